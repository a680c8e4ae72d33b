"""IntelyCare deliveries through the inbox: stored raw, applied once, duplicates recorded, the vendor order kept,
a drained burst folded, a failing event retried then parked. The inbox's vendor-neutral behaviour, on the fake
vendor: tests/integrations/test_receiver.py, test_inbox_drain.py."""

from __future__ import annotations

import datetime as dt

import pytest

from portal.core.models import AuditEntry
from portal.integrations.inbox import process_event
from portal.integrations.inbox_drain import drain_queued
from portal.integrations.models import WebhookEvent
from tests.shifts.factories import ShiftRequestFactory
from tests.vendors.intelycare.fixtures import burst, event, post

pytestmark = pytest.mark.django_db


def test_a_signed_event_is_stored_queued_and_applied(client, intelycare, django_capture_on_commit_callbacks):
    shift = ShiftRequestFactory(connection=intelycare)
    with django_capture_on_commit_callbacks() as callbacks:
        response = post(client, intelycare, event(shift, "Accepted", "2024-01-17T15:01:00"))
    assert response.status_code == 202
    assert len(callbacks) == 1, "processing is queued once the row is committed"
    stored = WebhookEvent.objects.get()
    assert (stored.state, stored.event_type) == ("queued", "shift.accepted")
    assert stored.occurred_at == dt.datetime(2024, 1, 17, 15, 1, tzinfo=dt.UTC)
    assert "X-Signature-Ic" in stored.headers and "Nightengale" in stored.body

    assert process_event(stored.pk) == "accepted: applied"
    shift.refresh_from_db()
    assert shift.status == "filled"
    assert shift.assigned_professional.email == "florence.nightengale@gmail.com"
    assert AuditEntry.objects.filter(object_id=str(shift.pk), source="webhook").exists()
    assert process_event(stored.pk) == "nothing to do", "running the task twice applies it once"


def test_a_drained_burst_folds_each_shift_at_its_first_event(client, intelycare):
    shifts = ShiftRequestFactory.create_batch(2, connection=intelycare)
    in_vendor_order = burst(client, intelycare, shifts)

    assert drain_queued(batch_size=4, max_batches=10) == {"applied": 6, "failed": 0, "more": False}
    applied = WebhookEvent.objects.order_by("processed_at", "pk")
    assert list(applied.values_list("pk", flat=True)) == in_vendor_order
    # The first event of each shift already folds all three of its events; the other two change nothing.
    outcomes = sorted(applied.values_list("outcome", flat=True))
    assert (
        outcomes
        == ["accepted: applied"] * 2
        + ["accepted: folded with the shift's other events, no change"] * 2
        + ["released: folded with the shift's other events, no change"] * 2
    )
    for shift in shifts:
        shift.refresh_from_db()
        assert shift.status == "filled" and shift.status_changed_at.minute == 2


def test_a_redelivered_event_is_recorded_as_duplicate_and_applied_once(client, intelycare):
    shift = ShiftRequestFactory(connection=intelycare)
    payload = event(shift, "Accepted", "2024-01-17T15:01:00")
    first, second = post(client, intelycare, payload), post(client, intelycare, payload)
    assert (first.status_code, second.status_code) == (202, 200)
    original, duplicate = WebhookEvent.objects.order_by("pk")
    assert duplicate.state == "duplicate" and duplicate.duplicate_of_id == original.pk
    process_event(original.pk)
    assert process_event(duplicate.pk) == "nothing to do"
    assert AuditEntry.objects.filter(object_id=str(shift.pk), action="update").count() == 1


def test_out_of_order_events_end_in_the_state_of_vendor_order(client, intelycare):
    shift = ShiftRequestFactory(connection=intelycare)

    def deliver(status, at):
        return process_event(post(client, intelycare, event(shift, status, at)).json()["id"])

    # Delivered accepted, then completed, then a release that happened before the completion.
    assert deliver("Accepted", "2024-01-17T15:01:00") == "accepted: applied"
    assert deliver("Completed", "2024-01-18T08:00:00Z") == "completed: applied"
    assert deliver("Released", "2024-01-17T16:00:00") == "released: applied"
    shift.refresh_from_db()
    # In the vendor's order the professional released the shift before it was completed: no one holds it.
    assert (shift.status, shift.assigned_professional) == ("completed", None)
    assert shift.status_changed_at == dt.datetime(2024, 1, 18, 8, tzinfo=dt.UTC)
    assert deliver("Completed", "2024-01-18T08:00:00Z") == "nothing to do", "a redelivery is a duplicate"


def test_an_event_that_keeps_failing_is_retried_then_parked_with_its_error(intelycare, settings, time_machine):
    settings.WEBHOOK_MAX_ATTEMPTS = 3
    broken = WebhookEvent.objects.create(
        connection=intelycare, vendor="intelycare", state="queued", body='{"shiftStatus": "Accepted"}'
    )
    assert process_event(broken.pk).startswith("retry in ")
    for attempt in (2, 3):  # each retry is the drain's once the row says it is due
        broken.refresh_from_db()
        assert (broken.state, broken.attempts) == ("queued", attempt - 1)
        time_machine.move_to(broken.next_attempt_at + dt.timedelta(milliseconds=1))
        assert drain_queued(batch_size=10, max_batches=1) == {"applied": 0, "failed": 1, "more": False}
    broken.refresh_from_db()
    assert (broken.state, broken.attempts, broken.next_attempt_at) == ("failed", 3, None)
    assert broken.error == "ValueError: an Accepted event must carry healthcareProfessional"
    assert broken.can_replay
