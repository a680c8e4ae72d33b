"""The billing pages (Coordinator role, issue 7): the approvals queue across contracts, and a contract's money page.

Each view serves its full page and, to HTMX, the partial that changed (`HtmxTemplateMixin`). Actions post to the
same URL as the list they act on, with the list's filters in the query string, so the answer is the refreshed
list as the coordinator left it, plus the messages swapped in out of band.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch, Q, QuerySet, Sum
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.http import urlencode
from django.views.generic import DetailView, TemplateView

from portal.billing.disputes import open_holds
from portal.billing.forms import ApprovalActionForm, ApprovalFilterForm, CreateBillForm
from portal.billing.models import Bill, BillLineItem, Transaction
from portal.billing.services import (
    TransactionOutcome,
    approve_transactions,
    create_bill,
    mark_bill_paid,
    mark_transactions_paid,
)
from portal.contracts.models import Contract, ContractParticipant
from portal.core.htmx import HtmxTemplateMixin
from portal.core.roles import RoleRequiredMixin
from portal.integrations import outbox
from portal.integrations.delivery import back_to, sending_note

__all__ = ["PAGE_SIZE", "ApprovalsView", "ContractBillingView", "RetryDeliveryView"]

PAGE_SIZE = 50
ACTIONS: dict[str, tuple[Callable[..., dict[int, TransactionOutcome]], str]] = {
    "approve": (approve_transactions, "approved"),
    "pay": (mark_transactions_paid, "marked paid"),
}


class ApprovalsView(RoleRequiredMixin, HtmxTemplateMixin, TemplateView):
    """Transactions waiting for approval (or, filtered, for payment), newest first, across every contract.

    Paging is by keyset (`after=<occurred_at>~<id>` of the last row shown), never OFFSET and never COUNT: the
    page costs the same on the millionth row as on the first.
    """

    template_name = "billing/approvals.html"
    htmx_template_name = "billing/htmx/approval_rows.html"

    def get_context_data(self, **kwargs) -> dict:
        filters = ApprovalFilterForm(self.request.GET)
        rows_query = filters.filter(
            Transaction.objects.select_related("contract", "beneficiary__talent").order_by("-occurred_at", "-id")
        )
        cursor = _read_cursor(self.request.GET.get("after", ""))
        if cursor:
            at, pk = cursor
            rows_query = rows_query.filter(Q(occurred_at__lt=at) | Q(occurred_at=at, id__lt=pk))
        rows = list(rows_query[: PAGE_SIZE + 1])
        page, more = rows[:PAGE_SIZE], len(rows) > PAGE_SIZE
        deliveries = outbox.delivery_states(page)  # one query for the page
        holds = open_holds([row.pk for row in page])  # and one for the disputes holding its charges
        for row in page:
            row.delivery, row.hold = deliveries.get(row.pk), holds.get(row.pk)
        query = self.request.GET.copy()
        query.pop("after", None)
        first_page_query = query.urlencode()
        if more:
            query["after"] = _write_cursor(page[-1])
        chosen_contract = filters.cleaned_data.get("contract") if filters.is_valid() else None
        return super().get_context_data(
            filters=filters,
            waiting_for=filters.waiting_for,
            transactions=page,
            is_first_page=cursor is None,
            first_page_query=first_page_query,
            next_page_query=query.urlencode() if more else "",
            contracts=Contract.objects.filter(archived_at=None).only("id", "label").order_by("label", "id"),
            # Participants only of the chosen contract: across every contract the list would have no end.
            participants=(
                ContractParticipant.objects.filter(contract_id=chosen_contract).select_related("talent")
                if chosen_contract
                else []
            ),
            **kwargs,
        )

    def post(self, request: HttpRequest) -> HttpResponse:
        form = ApprovalActionForm(request.POST)
        if not form.is_valid():
            for errors in form.errors.values():
                messages.error(request, " ".join(errors))
        else:
            service, done = ACTIONS[form.cleaned_data["action"]]
            _report(request, service(form.cleaned_data["ids"], by=request.user), done)
        if not request.htmx:
            return HttpResponseRedirect(request.get_full_path())
        return self.render_to_response(self.get_context_data())


def _read_cursor(value: str) -> tuple[dt.datetime, int] | None:
    at, _, pk = value.partition("~")
    try:
        parsed = dt.datetime.fromisoformat(at)
    except ValueError:
        return None
    return (parsed, int(pk)) if pk.isdigit() and parsed.tzinfo else None


def _write_cursor(row: Transaction) -> str:
    return f"{row.occurred_at.isoformat()}~{row.pk}"


def _report(request: HttpRequest, outcomes: dict[int, TransactionOutcome], done: str) -> None:
    """One success line for what moved, one error line per refused transaction saying why (issue 7). What a vendor
    holds too says where it stands: "Approved here: 1 transaction; sending to Ceki", never that Ceki has it."""
    changed_ids = [pk for pk, outcome in outcomes.items() if outcome["changed"]]
    changed = len(changed_ids)
    unchanged = sum(outcome["ok"] and not outcome["changed"] for outcome in outcomes.values())
    refused = {pk: outcome for pk, outcome in outcomes.items() if not outcome["ok"]}
    if changed or not refused:
        extra = f" ({unchanged} already were)" if unchanged else ""
        counted = f"{changed} transaction{'s' if changed != 1 else ''}"
        note = sending_note(outbox.delivery_states([Transaction(pk=pk) for pk in changed_ids]).values())
        if note:
            messages.success(request, f"{done.capitalize()} here: {counted}{extra}; {note}.")
        else:
            messages.success(request, f"{counted} {done}{extra}.")
    for pk, outcome in refused.items():
        messages.error(request, f"Transaction #{pk} was not {done}: {outcome['message']}")


class ContractBillingView(RoleRequiredMixin, HtmxTemplateMixin, DetailView):
    """A Ceki contract's people, events, running clocks and bills; make a bill of approved charges and pay it.

    Lives under /billing/ (not /engagements/) because everything a coordinator does here is money.
    """

    model = Contract
    template_name = "billing/contract.html"
    htmx_template_name = "billing/htmx/contract_bills.html"
    context_object_name = "contract"
    EVENTS_SHOWN = 100
    DELIVERIES_SHOWN = 20

    def get_context_data(self, **kwargs) -> dict:
        contract = self.object
        line_items = BillLineItem.objects.select_related("transaction__beneficiary__talent").order_by("id")
        return super().get_context_data(
            participants=contract.participants.select_related("talent"),
            events=contract.events.select_related("beneficiary__talent").order_by("-starts_at", "-id")[
                : self.EVENTS_SHOWN
            ],
            events_shown=self.EVENTS_SHOWN,
            running=contract.time_entries.filter(stopped_at=None).select_related("participant__talent"),
            bills=contract.bills.annotate(total=Sum("line_items__amount")).prefetch_related(
                Prefetch("line_items", queryset=line_items)
            ),
            billable=_billable_charges(contract),
            pending_url=f"{reverse('billing:approvals')}?{urlencode({'contract': contract.pk})}",
            deliveries=_deliveries(contract)[: self.DELIVERIES_SHOWN],
            **kwargs,
        )

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        self.object = get_object_or_404(Contract, pk=pk)
        if "bill" in request.POST:
            _pay_bill(request, self.object, request.POST["bill"])
        else:
            _make_bill(request, self.object)
        if not request.htmx:
            return HttpResponseRedirect(request.get_full_path())
        return self.render_to_response(self.get_context_data())


def _deliveries(contract: Contract) -> list:
    """Every change of this contract on its way to (or refused by) its vendor: approvals, payments, bills."""
    return outbox.requests_about(contract, *contract.bills.all())


class RetryDeliveryView(RoleRequiredMixin, HtmxTemplateMixin, TemplateView):
    """The retry beside a change that has not reached the contract's vendor (only this contract's changes); back
    to the page it was pressed on, which HTMX swaps in."""

    def post(self, request: HttpRequest, pk: int, row_pk: int) -> HttpResponse:
        contract = get_object_or_404(Contract, pk=pk)
        row = next((row for row in _deliveries(contract) if row.pk == row_pk), None)
        if row is None:
            messages.error(request, "That change is not one of this contract's.")
        else:
            outbox.retry_request(row)
            messages.info(request, f"Sending to {row.connection.vendor_label} again.")
        return HttpResponseRedirect(back_to(request, reverse("billing:contract", args=[pk])))


def _billable_charges(contract: Contract) -> QuerySet[Transaction]:
    """Approved charges of the contract on no bill yet: what a new bill may hold."""
    return (
        contract.transactions.filter(
            status=Transaction.Status.APPROVED, kind=Transaction.Kind.CHARGE, bill_line__isnull=True
        )
        .select_related("beneficiary__talent")
        .order_by("occurred_at", "id")
    )


def _make_bill(request: HttpRequest, contract: Contract) -> None:
    form = CreateBillForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
        return
    try:
        bill = create_bill(contract, form.cleaned_data["ids"], label=form.cleaned_data["label"])
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, f"No bill was made: {message}")
        return
    messages.success(request, f"Bill “{bill.label}” made with {len(form.cleaned_data['ids'])} charges.")


def _pay_bill(request: HttpRequest, contract: Contract, bill_id: str) -> None:
    bill = get_object_or_404(Bill, pk=bill_id if bill_id.isdigit() else 0, contract=contract)
    try:
        mark_bill_paid(bill, by=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, f"Bill “{bill.label}” was not paid: {message}")
        return
    messages.success(request, f"Bill “{bill.label}” and its charges are marked paid.")
