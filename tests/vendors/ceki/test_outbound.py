"""Outbound Ceki operations through the outbox, landing in the sandbox: approvals and payments one call per
contract, a pending charge's payment refused with Ceki's reason, bills created and paid in order, time tracking
started and stopped, and nothing sent twice after a worker died mid-call."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from portal.billing import services
from portal.billing.models import Transaction
from portal.contracts.models import ContractParticipant
from portal.integrations import outbox
from portal.integrations.models import OutboundRequest
from portal.integrations.registry import get_provider
from portal.integrations.sync import run_sync
from vendors.ceki.client import CekiClient
from vendors.ceki.provider import Provider
from vendors.ceki.signals import contract_key, queue_bill_payment, queue_time_tracking, queue_transaction_moves

pytestmark = pytest.mark.django_db


@pytest.fixture
def synced(ceki):
    for name in Provider.resources:
        run_sync(ceki, name)
    return ceki


def charges(connection, status: str):
    return Transaction.objects.filter(connection=connection, kind="charge", status=status).select_related(
        "contract", "connection"
    )


def ceki_status(vendor, transaction: Transaction) -> str:
    return vendor.transactions[int(transaction.external_id)]["payment_status_id"]


def calls(server, suffix: str) -> int:
    return sum(1 for _, method, path, _ in server.requests if method == "POST" and path.endswith(suffix))


def test_approving_then_paying_sends_one_call_per_contract(synced, ceki_vendor, ceki_server):
    pending = list(charges(synced, "pending"))
    assert len({t.contract_id for t in pending}) == 3

    rows = queue_transaction_moves(pending, "approved")

    assert len(rows) == 3, "one request per contract, the vendor's unit"
    assert {row.natural_key for row in rows} == {contract_key(t.contract.external_id) for t in pending}
    assert [outbox.dispatch(row.pk).state for row in rows] == ["sent"] * 3
    assert {ceki_status(ceki_vendor, t) for t in pending} == {"200"}
    assert calls(ceki_server, "/transactions/approve") == 3

    for row in queue_transaction_moves(pending, "paid"):
        assert outbox.dispatch(row.pk).state == "sent"
    assert {ceki_status(ceki_vendor, t) for t in pending} == {"300"}


def test_paying_a_pending_charge_is_refused_with_cekis_reason(synced, ceki_vendor):
    pending = charges(synced, "pending").first()

    (row,) = queue_transaction_moves([pending], "paid")

    assert outbox.dispatch(row.pk).state == "failed"
    row.refresh_from_db()
    assert f"Transaction {pending.external_id} is pending; only approved transactions can be paid." in row.last_error
    assert ceki_status(ceki_vendor, pending) == "100", "nothing moved at Ceki"


def test_a_request_whose_worker_died_mid_call_is_not_sent_twice(synced, ceki_vendor, ceki_server):
    pending = charges(synced, "pending").first()
    (row,) = queue_transaction_moves([pending], "approved")
    # The worker marked the row `sending`, reached Ceki, and was killed before recording the answer.
    client = CekiClient(get_provider("ceki").client(synced))
    client.approve_transactions(int(pending.contract.external_id), {"transactions": [int(pending.external_id)]})
    OutboundRequest.objects.filter(pk=row.pk).update(
        state="sending", attempts=1, sending_started_at=timezone.now() - dt.timedelta(hours=1)
    )

    assert outbox.dispatch(row.pk).state == "sent"
    assert calls(ceki_server, "/transactions/approve") == 1, "Ceki's state was asked, the approval not resent"
    assert ceki_status(ceki_vendor, pending) == "200"


def queued_for(bill, operation: str) -> OutboundRequest:
    return OutboundRequest.objects.get(operation=operation, object_id=str(bill.pk))


def test_a_bill_is_created_then_paid_in_order(synced, ceki_vendor, coordinator):
    """Through the billing services, as the contract page does: Ceki's receivers (signals.py) queue both, in order."""
    approved = charges(synced, "approved").exclude(bill_line__isnull=False).first()
    bill = services.create_bill(approved.contract, [approved.pk], label="January cover")
    services.mark_bill_paid(bill, by=coordinator)
    create, pay = queued_for(bill, "create_bill"), queued_for(bill, "pay_bill")

    assert outbox.dispatch(pay.pk).state == "skipped", "the payment waits for the bill's creation"
    assert outbox.dispatch(create.pk).state == "sent"
    bill.refresh_from_db()
    assert ceki_vendor.bills[int(bill.external_id)]["data"]["transactions"] == [int(approved.external_id)]
    assert outbox.dispatch(pay.pk).state == "sent"
    assert ceki_vendor.bills[int(bill.external_id)]["status_id"] == 300
    assert ceki_status(ceki_vendor, approved) == "300"


def test_time_tracking_starts_and_stops_into_a_pending_charge(synced, ceki_vendor):
    participant = ContractParticipant.objects.filter(connection=synced).first()
    hand = int(participant.external_id)
    start, stop = queue_time_tracking(participant, start=True), queue_time_tracking(participant, start=False)

    assert outbox.dispatch(start.pk).state == "sent"
    assert hand in ceki_vendor.timers
    OutboundRequest.objects.filter(pk=start.pk).update(state="pending", attempts=1, last_error="timed out")
    assert outbox.dispatch(start.pk).state == "sent", "a repeated start finds the clock running"

    assert outbox.dispatch(stop.pk).state == "sent"
    stop.refresh_from_db()
    charge = ceki_vendor.transactions[int(stop.vendor_id)]
    assert (charge["benefitable_id"], charge["payment_status_id"]) == (hand, "100")
    assert charge["duration"] >= 15
    assert hand not in ceki_vendor.timers


def test_queueing_a_bulk_action_costs_two_queries_and_one_row_per_contract(
    synced, ceki_vendor, django_assert_max_num_queries
):
    pending = list(charges(synced, "pending"))
    local_only = Transaction.objects.create(
        contract=pending[0].contract, amount=10, occurred_at=timezone.now(), label="Entered in the portal"
    )

    with django_assert_max_num_queries(2 + 3 * 2):  # transactions, connections; per contract the row, its transactions
        rows = queue_transaction_moves([*pending, local_only], "approved")

    assert len(rows) == 3
    sent = {i for row in rows for i in row.payload["transactions"]}
    assert sent == {int(t.external_id) for t in pending}, "a transaction Ceki does not hold is not sent"


def test_a_bill_of_charges_already_paid_is_refused(synced, ceki_vendor):
    approved = charges(synced, "approved").exclude(bill_line__isnull=False).first()
    bill = services.create_bill(approved.contract, [approved.pk], label="February cover")
    assert outbox.dispatch(queued_for(bill, "create_bill").pk).state == "sent"
    bill.refresh_from_db()
    ceki_vendor.transactions[int(approved.external_id)]["payment_status_id"] = "300"  # paid another way

    row = queue_bill_payment(bill)

    assert outbox.dispatch(row.pk).state == "failed"
    row.refresh_from_db()
    assert "Only a bill of approved transactions can be paid." in row.last_error
