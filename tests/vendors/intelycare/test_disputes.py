"""An IntelyCare timecard disputed from the reconciliation queue: the correction goes out as IntelyCare's update
timecard through the outbox, lands in the sandbox with the corrected instants, and IntelyCare's refusal of a
timecard it does not hold is shown in the queue."""

from __future__ import annotations

import pytest

from portal.billing.models import VendorDispute
from portal.integrations import outbox
from portal.integrations.models import OutboundRequest
from tests.shifts.factories import ShiftRequestFactory, TimecardFactory

pytestmark = pytest.mark.django_db

URL = "/billing/reconciliation/"
QUERY = "?first=2026-03-01&last=2026-03-14"
HTMX = {"HTTP_HX_REQUEST": "true"}
CORRECTION = {"check_in": "2026-03-02T07:00", "check_out": "2026-03-02T14:00", "break_minutes": "30"}


def _unbilled_timecard(connection, *, sent: bool):
    card = TimecardFactory(shift=ShiftRequestFactory(status="completed", connection=connection), bill_rate=None)
    shift = card.shift
    if sent:
        outbox.dispatch(
            outbox.enqueue(connection, "create_shift", natural_key=shift.external_shift_id, related=shift).pk
        )
        key = f"timecard:{shift.external_shift_id}"
        assert (
            outbox.dispatch(outbox.enqueue(connection, "create_timecard", natural_key=key, related=card).pk).state
            == "sent"
        )
    return card


def _row(client, card):
    rows = client.get(URL + QUERY).context["rows"]
    return next(row for row in rows if row.exception.record == f"timecard:{card.pk}")


def _dispute(client, card, **fields):
    key = _row(client, card).exception.key
    return client.post(f"{URL}dispute/{QUERY}", {"key": key, "note": "Left at 14:00", **fields}, **HTMX)


def test_a_timecard_correction_reaches_intelycare_as_its_update_timecard(sandbox, intelycare, coordinator_client):
    card = _unbilled_timecard(intelycare, sent=True)
    target = _row(coordinator_client, card).target
    # The form starts from the timecard's own times on the shift's clock (07:00-15:00 in New York).
    assert (target.kind, target.times) == ("correct_timecard", ("2026-03-02T07:00", "2026-03-02T15:00"))

    answer = _dispute(coordinator_client, card, **CORRECTION)
    assert "Dispute queued for IntelyCare sandbox." in answer.content.decode()
    dispute = VendorDispute.objects.get()
    assert (dispute.break_minutes, dispute.timecard) == (30, card)
    request = OutboundRequest.objects.get(operation="update_timecard")
    assert request.natural_key == f"timecard:{card.shift.external_shift_id}"

    assert outbox.dispatch(request.pk).state == "sent"
    held = sandbox.vendors["intelycare"].world.timecards[card.shift.external_shift_id]
    # 07:00 and 14:00 in New York on 2 March (EST) are 12:00 and 19:00 UTC.
    assert (held["checkIn"], held["checkOut"], held["breakDuration"]) == (
        "2026-03-02T12:00:00Z", "2026-03-02T19:00:00Z", 30,
    )  # fmt: skip
    page = coordinator_client.get(URL + QUERY).content.decode()
    assert "Timecard correction" in page and "Sent to IntelyCare sandbox" in page


def test_intelycare_refuses_a_correction_of_a_timecard_it_does_not_hold(sandbox, intelycare, coordinator_client):
    card = _unbilled_timecard(intelycare, sent=False)
    outbox.dispatch(outbox.enqueue(intelycare, "create_shift", natural_key=card.shift.external_shift_id,
                                   related=card.shift).pk)  # fmt: skip
    _dispute(coordinator_client, card, **CORRECTION)
    request = OutboundRequest.objects.get(operation="update_timecard")
    assert outbox.dispatch(request.pk).state == "failed"
    assert "Timecard not found" in coordinator_client.get(URL + QUERY).content.decode()


def test_a_correction_ending_before_it_starts_is_refused_on_the_form(sandbox, intelycare, coordinator_client):
    card = _unbilled_timecard(intelycare, sent=True)
    answer = _dispute(coordinator_client, card, check_in="2026-03-02T07:00", check_out="2026-03-02T07:10",
                      break_minutes="30")  # fmt: skip
    assert "The check-out must come after the check-in and the break." in answer.content.decode()
    assert not VendorDispute.objects.exists() and not OutboundRequest.objects.filter(operation="update_timecard")
