"""A Ceki charge disputed from the reconciliation queue: held with a note through the outbox (the doc has no hold,
so a correction back to pending is proposed on the charge), landing in the sandbox, refused there for a paid charge
with Ceki's reason shown in the queue, and never proposed twice after a worker died mid-call. Withdrawing the
dispute votes the hold down at Ceki, behind the hold, once."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from portal.billing.models import Transaction, VendorDispute
from portal.core.timezones import agency_zone, to_local
from portal.integrations import outbox
from portal.integrations.models import OutboundRequest
from portal.integrations.sync import run_sync
from tests.contracts.factories import TimeEntryFactory

pytestmark = pytest.mark.django_db

URL = "/billing/reconciliation/"
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def synced(ceki):
    for name in ("contracts", "participants", "transactions"):
        run_sync(ceki, name)
    return ceki


def _charge_with_longer_time_log(connection, status: str) -> tuple[Transaction, str]:
    """A synced charge whose time log says two hours more than it bills: an hours-differ exception."""
    charge = Transaction.objects.filter(connection=connection, kind="charge", status=status).first()
    started = charge.occurred_at
    charge.time_entry = TimeEntryFactory(
        contract=charge.contract, started_at=started, stopped_at=started + dt.timedelta(hours=float(charge.hours) + 2)
    )
    charge.save()
    day = to_local(started, agency_zone()).date()
    return charge, f"?first={day - dt.timedelta(days=1)}&last={day + dt.timedelta(days=1)}"


def _row(client, query: str, charge: Transaction):
    rows = client.get(URL + query).context["rows"]
    return next(row for row in rows if row.exception.record == f"transaction:{charge.pk}")


def _dispute(client, query: str, charge: Transaction, note: str):
    key = _row(client, query, charge).exception.key
    return client.post(f"{URL}dispute/{query}", {"key": key, "note": note}, **HTMX)


def test_a_held_charge_reaches_ceki_as_a_proposed_correction_with_the_note(synced, ceki_vendor, coordinator_client):
    charge, query = _charge_with_longer_time_log(synced, "pending")
    row = _row(coordinator_client, query, charge)
    assert (row.target.kind, row.target.vendor) == ("hold_charge", "Ceki sandbox")

    answer = _dispute(coordinator_client, query, charge, "Time log says 2 h more")
    assert "Dispute queued for Ceki sandbox." in answer.content.decode()
    dispute = VendorDispute.objects.get()
    request = OutboundRequest.objects.get(operation="hold_charge")
    assert request.related_object == dispute and request.natural_key == f"ceki-dispute:{charge.external_id}"

    assert outbox.dispatch(request.pk).state == "sent"
    (proposal,) = ceki_vendor.corrections[int(charge.external_id)]
    assert proposal["payment_status_id"] == "100" and proposal["status"] == "proposed"
    assert proposal["description"] == f"Time log says 2 h more (portal dispute #{dispute.pk})"
    page = coordinator_client.get(URL + query).content.decode()
    assert "Charge held with a note" in page and "Sent to Ceki sandbox" in page


def test_ceki_refuses_to_hold_a_paid_charge_and_the_queue_shows_why(synced, ceki_vendor, coordinator_client):
    charge, query = _charge_with_longer_time_log(synced, "paid")
    _dispute(coordinator_client, query, charge, "Billed two hours short")
    request = OutboundRequest.objects.get(operation="hold_charge")

    assert outbox.dispatch(request.pk).state == "failed"
    assert int(charge.external_id) not in ceki_vendor.corrections
    page = coordinator_client.get(URL + query).content.decode()
    assert f"Transaction {charge.external_id} is paid; a paid transaction cannot be held." in page


def test_a_hold_whose_worker_died_mid_call_is_not_proposed_twice(synced, ceki_vendor, coordinator_client):
    charge, query = _charge_with_longer_time_log(synced, "approved")
    _dispute(coordinator_client, query, charge, "Check the log")
    request = OutboundRequest.objects.get(operation="hold_charge")
    assert outbox.dispatch(request.pk).state == "sent"
    # As if the worker had been killed after Ceki took the proposal and before the answer was recorded.
    OutboundRequest.objects.filter(pk=request.pk).update(
        state="sending", sending_started_at=timezone.now() - dt.timedelta(hours=1)
    )
    assert outbox.dispatch(request.pk).state == "sent"
    assert len(ceki_vendor.corrections[int(charge.external_id)]) == 1


def test_a_charge_not_held_at_ceki_offers_no_dispute(coordinator_client):
    from tests.billing.factories import TransactionFactory

    charge = TransactionFactory(hours="5.00", time_entry=TimeEntryFactory())
    row = _row(coordinator_client, "?first=2026-03-01&last=2026-03-14", charge)
    assert row.target is None
    answer = coordinator_client.post(
        f"{URL}dispute/?first=2026-03-01&last=2026-03-14", {"key": row.exception.key, "note": "x"}
    )
    assert answer.status_code == 404 and not VendorDispute.objects.exists()


def _withdraw(client, query: str, dispute: VendorDispute):
    data = {"key": dispute.exception_key, "dispute": dispute.pk, "closed_as": "withdrawn", "reason": "Log was wrong"}
    return client.post(f"{URL}close/{query}", data, **HTMX)


def test_a_withdrawn_dispute_votes_its_hold_down_at_ceki_once(synced, ceki_vendor, coordinator_client):
    charge, query = _charge_with_longer_time_log(synced, "pending")
    _dispute(coordinator_client, query, charge, "Time log says 2 h more")
    dispute = VendorDispute.objects.get()
    hold = OutboundRequest.objects.get(operation="hold_charge")
    assert outbox.dispatch(hold.pk).state == "sent"

    assert f"Dispute #{dispute.pk} withdrawn." in _withdraw(coordinator_client, query, dispute).content.decode()
    release = OutboundRequest.objects.get(operation="release_hold")
    assert release.related_object == dispute and release.natural_key == hold.natural_key
    assert outbox.dispatch(release.pk).state == "sent"
    (proposal,) = ceki_vendor.corrections[int(charge.external_id)]
    assert proposal["status"] == "rejected" and release.refresh_from_db() is None
    assert release.vendor_id == str(proposal["id"])

    # As if the worker had been killed after Ceki counted the vote and before the answer was recorded.
    OutboundRequest.objects.filter(pk=release.pk).update(
        state="sending", sending_started_at=timezone.now() - dt.timedelta(hours=1)
    )
    assert outbox.dispatch(release.pk).state == "sent"  # found decided: not voted again (a second vote is a 422)


def test_a_release_waits_for_a_hold_still_on_its_way(synced, ceki_vendor, coordinator_client):
    charge, query = _charge_with_longer_time_log(synced, "approved")
    _dispute(coordinator_client, query, charge, "Check the log")
    _withdraw(coordinator_client, query, VendorDispute.objects.get())
    hold = OutboundRequest.objects.get(operation="hold_charge")
    release = OutboundRequest.objects.get(operation="release_hold")

    assert outbox.dispatch(release.pk).state == "skipped"  # behind the hold of the same charge
    assert OutboundRequest.objects.get(pk=release.pk).state == "pending"
    assert int(charge.external_id) not in ceki_vendor.corrections
    assert outbox.dispatch(hold.pk).state == "sent"
    assert outbox.dispatch(release.pk).state == "sent"
    assert [c["status"] for c in ceki_vendor.corrections[int(charge.external_id)]] == ["rejected"]


def test_withdrawing_a_dispute_whose_hold_ceki_refused_sends_nothing(synced, ceki_vendor, coordinator_client):
    charge, query = _charge_with_longer_time_log(synced, "paid")
    _dispute(coordinator_client, query, charge, "Billed two hours short")
    assert outbox.dispatch(OutboundRequest.objects.get(operation="hold_charge").pk).state == "failed"

    _withdraw(coordinator_client, query, VendorDispute.objects.get())
    assert VendorDispute.objects.get().closed_as == "withdrawn"
    assert not OutboundRequest.objects.filter(operation="release_hold").exists()


def test_a_settled_dispute_leaves_the_hold_to_ceki(synced, ceki_vendor, coordinator_client):
    charge, query = _charge_with_longer_time_log(synced, "pending")
    _dispute(coordinator_client, query, charge, "Time log says 2 h more")
    dispute = VendorDispute.objects.get()
    data = {"key": dispute.exception_key, "dispute": dispute.pk, "closed_as": "settled", "reason": "Ceki fixed it"}
    coordinator_client.post(f"{URL}close/{query}", data, **HTMX)
    assert VendorDispute.objects.get().closed_as == "settled"
    assert not OutboundRequest.objects.filter(operation="release_hold").exists()
