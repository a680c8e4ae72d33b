"""Billing resources, and the approve / mark-paid actions on transactions."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status as http
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from portal.billing.api import filters, serializers
from portal.billing.models import Bill, Invoice, Payroll, Transaction
from portal.billing.services import approve_transactions, create_bill, mark_bill_paid, mark_transactions_paid

__all__ = ["BillViewSet", "InvoiceViewSet", "PayrollViewSet", "TransactionViewSet"]

HELD = OpenApiResponse(description="An open dispute holds the charge: `status` says which and how to lift it.")


class TransactionViewSet(viewsets.ReadOnlyModelViewSet):
    """Charges and deposits. `POST approve/` or `pay/` with `{"ids": [...]}` works on many and answers one outcome
    per id (some may be refused while the rest are done; a charge held by an open dispute is refused, its outcome
    naming the dispute in `held_by`); `POST {id}/approve/` or `{id}/pay/` answers 400 with the reason when that one
    is refused, 409 when an open dispute holds it."""

    queryset = Transaction.objects.all()
    serializer_class = serializers.TransactionSerializer
    filterset_class = filters.TransactionFilter
    ordering_fields = ["id", "occurred_at", "amount"]

    @extend_schema(
        operation_id="transactions_approve_many",
        request=serializers.TransactionBatchSerializer,
        responses=serializers.TransactionOutcomeSerializer(many=True),
    )
    @action(detail=False, methods=["post"], url_path="approve", pagination_class=None, filter_backends=[])
    def approve_many(self, request):
        return self._batch(request, approve_transactions)

    @extend_schema(
        operation_id="transactions_pay_many",
        request=serializers.TransactionBatchSerializer,
        responses=serializers.TransactionOutcomeSerializer(many=True),
    )
    @action(detail=False, methods=["post"], url_path="pay", pagination_class=None, filter_backends=[])
    def pay_many(self, request):
        return self._batch(request, mark_transactions_paid)

    @extend_schema(request=None, responses={200: serializers.TransactionSerializer, 409: HELD})
    @action(detail=True, methods=["post"], filter_backends=[])
    def approve(self, request, pk=None):
        return self._one(request, approve_transactions)

    @extend_schema(request=None, responses={200: serializers.TransactionSerializer, 409: HELD})
    @action(detail=True, methods=["post"], filter_backends=[])
    def pay(self, request, pk=None):
        return self._one(request, mark_transactions_paid)

    def _batch(self, request, service):
        batch = serializers.TransactionBatchSerializer(data=request.data)
        batch.is_valid(raise_exception=True)
        outcomes = service(batch.validated_data["ids"], by=request.user)
        body = [{"id": pk, **outcome} for pk, outcome in outcomes.items()]
        return Response(serializers.TransactionOutcomeSerializer(body, many=True).data)

    def _one(self, request, service):
        transaction = self.get_object()
        outcome = service([transaction.pk], by=request.user)[transaction.pk]
        if "held_by" in outcome:
            body = {"status": [outcome["message"]], "dispute": outcome["held_by"]}
            return Response(body, status=http.HTTP_409_CONFLICT)
        if not outcome["ok"]:
            raise ValidationError({"status": [outcome["message"]]}, code="invalid_transition")
        transaction.refresh_from_db()
        return Response(self.get_serializer(transaction).data, status=http.HTTP_200_OK)


class BillViewSet(viewsets.ReadOnlyModelViewSet):
    """`POST` `{contract, label, transactions: [ids]}` bills approved charges (all or none, 400 naming each
    refused one); `POST {id}/pay/` pays the bill and its charges together."""

    queryset = Bill.objects.prefetch_related("line_items")
    serializer_class = serializers.BillSerializer
    filterset_fields = ["contract", "status", "connection", "external_id"]
    ordering_fields = ["id", "created_at"]

    @extend_schema(request=serializers.BillCreateSerializer, responses={201: serializers.BillSerializer})
    def create(self, request):
        data = serializers.BillCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        bill = create_bill(
            data.validated_data["contract"], data.validated_data["transactions"], label=data.validated_data["label"]
        )
        return Response(self.get_serializer(self.get_queryset().get(pk=bill.pk)).data, status=http.HTTP_201_CREATED)

    @extend_schema(request=None, responses=serializers.BillSerializer)
    @action(detail=True, methods=["post"], filter_backends=[])
    def pay(self, request, pk=None):
        bill = self.get_object()
        mark_bill_paid(bill, by=request.user)
        return Response(self.get_serializer(self.get_queryset().get(pk=bill.pk)).data)


class InvoiceViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Invoice.objects.prefetch_related("lines")
    serializer_class = serializers.InvoiceSerializer
    filterset_fields = ["client", "patient", "number", "currency", "connection", "external_id"]
    ordering_fields = ["id", "invoice_date"]


class PayrollViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Payroll.objects.prefetch_related("entries")
    serializer_class = serializers.PayrollSerializer
    filterset_fields = ["period_type", "connection", "external_id"]
    ordering_fields = ["id", "period_start"]
