"""A charge held by an open dispute is neither approved nor paid, on the page, in the API or on a bill, until the
dispute is withdrawn or settled with a reason (issue 20)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from portal.billing.models import Transaction, VendorDispute
from portal.billing.services import approve_transactions, create_bill, mark_bill_paid, mark_transactions_paid
from tests.api.conftest import token_client
from tests.billing.factories import TransactionFactory

pytestmark = pytest.mark.django_db

Status = Transaction.Status
HTMX = {"HTTP_HX_REQUEST": "true"}


def _hold(charge: Transaction, by, note: str = "Time log says 2 h more") -> VendorDispute:
    return VendorDispute.objects.create(
        kind=VendorDispute.Kind.HOLD_CHARGE,
        exception_key=f"hours_differ:transaction:{charge.pk}",
        work_at=charge.occurred_at,
        transaction=charge,
        note=note,
        raised_by=by,
        raised_at=timezone.now(),
    )


def test_bulk_approval_skips_the_held_charge_naming_its_dispute(coordinator):
    held, free = TransactionFactory.create_batch(2)
    dispute = _hold(held, coordinator)

    outcomes = approve_transactions([held.pk, free.pk], by=coordinator)

    assert outcomes[free.pk]["changed"] and not outcomes[held.pk]["ok"]
    assert outcomes[held.pk]["held_by"] == dispute.pk
    assert f"held by dispute #{dispute.pk} (“Time log says 2 h more”)" in outcomes[held.pk]["message"]
    assert Transaction.objects.get(pk=held.pk).status == Status.PENDING


def test_a_held_approved_charge_is_not_paid_and_a_closed_hold_does_not_count(coordinator):
    charge = TransactionFactory(status=Status.APPROVED)
    _hold(charge, coordinator)
    assert not mark_transactions_paid([charge.pk], by=coordinator)[charge.pk]["ok"]
    VendorDispute.objects.update(closed_as="settled", close_reason="Ceki agreed", closed_at=timezone.now())
    assert mark_transactions_paid([charge.pk], by=coordinator)[charge.pk]["changed"]


def test_the_page_shows_the_hold_and_refuses_approval(coordinator_client, coordinator):
    held = TransactionFactory()
    dispute = _hold(held, coordinator, note="Billed twice")

    page = coordinator_client.get("/billing/approvals/").content.decode()
    assert "held: Billed twice" in page and f"dispute #{dispute.pk}" in page
    day = timezone.localtime(held.occurred_at).date()
    assert f"/billing/reconciliation/?first={day}&amp;last={day}" in page, "the link opens the dispute's day"

    answer = coordinator_client.post("/billing/approvals/", {"action": "approve", "ids": [held.pk]}, **HTMX)
    assert f"Transaction #{held.pk} was not approved: It is held by dispute #{dispute.pk}" in answer.content.decode()
    assert Transaction.objects.get(pk=held.pk).status == Status.PENDING


def test_the_api_answers_409_with_the_reason_then_approves_once_withdrawn(
    api_client_user, coordinator_client, coordinator
):
    api = token_client(api_client_user)
    held = TransactionFactory()
    dispute = _hold(held, coordinator)

    refused = api.post(f"/api/v1/transactions/{held.pk}/approve/")
    assert refused.status_code == 409
    assert refused.json()["dispute"] == dispute.pk and "withdraw or settle" in refused.json()["status"][0]
    batch = api.post("/api/v1/transactions/approve/", {"ids": [held.pk]}, format="json").json()
    assert batch[0]["held_by"] == dispute.pk and batch[0]["ok"] is False

    answer = coordinator_client.post(
        "/billing/reconciliation/close/",
        {"key": dispute.exception_key, "dispute": dispute.pk, "closed_as": "withdrawn", "reason": "Our mistake"},
        **HTMX,
    )
    assert f"Dispute #{dispute.pk} withdrawn." in answer.content.decode()
    dispute.refresh_from_db()
    assert (dispute.closed_as, dispute.close_reason, dispute.closed_by) == ("withdrawn", "Our mistake", coordinator)
    assert any("closed_as" in entry.changes for entry in dispute.audit_history())

    approved = api.post(f"/api/v1/transactions/{held.pk}/approve/")
    assert approved.status_code == 200 and approved.json()["status"] == "approved"


def test_closing_needs_the_disputes_own_exception_and_a_reason(coordinator_client, coordinator):
    dispute = _hold(TransactionFactory(), coordinator)
    wrong = {"key": "other", "dispute": dispute.pk, "closed_as": "settled", "reason": "x"}
    assert coordinator_client.post("/billing/reconciliation/close/", wrong, **HTMX).status_code == 404
    blank = {"key": dispute.exception_key, "dispute": dispute.pk, "closed_as": "settled", "reason": " "}
    coordinator_client.post("/billing/reconciliation/close/", blank, **HTMX)
    assert VendorDispute.objects.get().closed_at is None


def test_a_bill_holding_a_disputed_charge_is_not_paid(coordinator):
    charge = TransactionFactory(status=Status.APPROVED)
    bill = create_bill(charge.contract, [charge.pk], label="June")
    _hold(charge, coordinator)
    with pytest.raises(ValidationError, match=r"held by dispute"):
        mark_bill_paid(bill, by=coordinator)
    assert Transaction.objects.get(pk=charge.pk).status == Status.APPROVED
