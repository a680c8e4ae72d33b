"""How money looks in `/api/v1/`: amounts as decimal strings with their currency, never floats."""

from __future__ import annotations

from rest_framework import serializers

from portal.billing.models import Bill, BillLineItem, Invoice, InvoiceLine, Payroll, PayrollEntry, Transaction
from portal.contracts.models import Contract
from portal.core.api.serializers import VENDOR_RECORD_FIELDS

__all__ = [
    "BillCreateSerializer",
    "BillSerializer",
    "InvoiceSerializer",
    "PayrollSerializer",
    "TransactionBatchSerializer",
    "TransactionOutcomeSerializer",
    "TransactionSerializer",
]

MAX_BATCH = 1000


class TransactionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Transaction
        fields = [
            "id",
            "contract",
            "kind",
            "status",
            "amount",
            "currency",
            "hours",
            "beneficiary",
            "event",
            "time_entry",
            "label",
            "occurred_at",
            "approved_at",
            "approved_by",
            "paid_at",
            "paid_by",
            *VENDOR_RECORD_FIELDS,
        ]


class TransactionBatchSerializer(serializers.Serializer):
    ids = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=2**63 - 1), min_length=1, max_length=MAX_BATCH
    )


class TransactionOutcomeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    ok = serializers.BooleanField()
    changed = serializers.BooleanField()
    status = serializers.CharField()
    message = serializers.CharField()
    held_by = serializers.IntegerField(required=False, help_text="The open dispute holding a refused charge.")


class BillLineItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = BillLineItem
        fields = ["id", "transaction", "description", "hours", "amount", "currency"]


class BillSerializer(serializers.ModelSerializer):
    line_items = BillLineItemSerializer(many=True, read_only=True)

    class Meta:
        model = Bill
        fields = ["id", "contract", "label", "status", "currency", "paid_at", "line_items", *VENDOR_RECORD_FIELDS]


class BillCreateSerializer(serializers.Serializer):
    contract = serializers.PrimaryKeyRelatedField(queryset=Contract.objects.all())
    label = serializers.CharField(max_length=255)
    transactions = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=2**63 - 1), min_length=1, max_length=MAX_BATCH
    )


class InvoiceLineSerializer(serializers.ModelSerializer):
    class Meta:
        model = InvoiceLine
        fields = ["id", "kind", "code", "description", "quantity", "rate", "amount", "timecard"]


class InvoiceSerializer(serializers.ModelSerializer):
    lines = InvoiceLineSerializer(many=True, read_only=True)
    total = serializers.DecimalField(max_digits=13, decimal_places=2, read_only=True)

    class Meta:
        model = Invoice
        fields = [
            "id",
            "number",
            "client",
            "patient",
            "invoice_date",
            "due_date",
            "period_start",
            "period_end",
            "currency",
            "subtotal",
            "tax_total",
            "total",
            "amount_due",
            "amount_paid",
            "vendor_status",
            "closed_at",
            "lines",
            *VENDOR_RECORD_FIELDS,
        ]


class PayrollEntrySerializer(serializers.ModelSerializer):
    class Meta:
        model = PayrollEntry
        fields = ["id", "talent", "hours", "gross_pay", "adjustments", "currency", "external_id"]


class PayrollSerializer(serializers.ModelSerializer):
    entries = PayrollEntrySerializer(many=True, read_only=True)

    class Meta:
        model = Payroll
        fields = [
            "id",
            "period_start",
            "period_end",
            "period_type",
            "currency",
            "closed_at",
            "entries",
            *VENDOR_RECORD_FIELDS,
        ]
