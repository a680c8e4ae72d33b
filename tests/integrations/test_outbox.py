"""The outbox against the IntelyCare sandbox: sent once, in order, parked with a readable error when refused."""

from __future__ import annotations

import json

import pytest
from django.db import transaction
from django.template.loader import render_to_string

from portal.integrations import outbox
from portal.integrations.models import OutboundRequest
from tests.shifts.factories import ShiftRequestFactory

pytestmark = pytest.mark.django_db


def posts(sandbox, path="/v1/shifts"):
    return [r for r in sandbox.requests if r[1] == "POST" and r[2] == path]


def test_a_shift_is_created_then_updated_then_deleted_in_order(sandbox, intelycare):
    shift = ShiftRequestFactory()
    key = shift.external_shift_id
    with transaction.atomic():
        created = outbox.enqueue(intelycare, "create_shift", natural_key=key, related=shift)
        updated = outbox.enqueue(intelycare, "update_shift", natural_key=key, related=shift)
        deleted = outbox.enqueue(intelycare, "delete_shift", natural_key=key, related=shift)
    assert outbox.dispatch(updated.pk).detail == "waiting for an earlier request for the same record"
    assert outbox.dispatch(created.pk).state == "sent"
    assert outbox.dispatch(updated.pk).state == "sent"
    assert outbox.dispatch(deleted.pk).state == "sent"

    created.refresh_from_db()
    shift.refresh_from_db()
    vendor_shift = sandbox.vendors["intelycare"].world.shifts[int(created.vendor_id)]
    assert shift.external_id == created.vendor_id and shift.connection == intelycare
    assert vendor_shift["externalShiftId"] == key
    assert vendor_shift["shiftStartTime"] == "2026-03-02T12:00:00Z", "07:00 in New York, sent as UTC with Z"
    assert vendor_shift["_status"] == "Deleted"
    assert created.vendor_response["shiftDate"] == "2026-03-02"
    assert OutboundRequest.objects.get(pk=deleted.pk).vendor_response["removed"] == 1


def test_missing_required_fields_are_refused_before_sending(sandbox, intelycare):
    row = outbox.enqueue(intelycare, "create_shift", payload={"externalShiftId": "x1"}, natural_key="x1")
    outcome = outbox.dispatch(row.pk)
    row.refresh_from_db()
    assert outcome.state == row.state == "failed"
    assert row.last_error.startswith("Not sent to IntelyCare: the shift request is missing shiftStartTime")
    assert sandbox.requests == [], "nothing left the portal"
    assert outbox.failure_for(row) is None  # no related record; the row itself shows the error


def test_a_parked_request_is_retried_by_the_button_and_sent(sandbox, intelycare, django_capture_on_commit_callbacks):
    shift = ShiftRequestFactory()
    row = outbox.enqueue(intelycare, "create_shift", natural_key=shift.external_shift_id, related=shift)
    intelycare.credentials = {**intelycare.credentials, "api_key": "revoked"}
    intelycare.save()
    assert outbox.dispatch(row.pk).state == "failed"
    parked = outbox.failure_for(shift)
    assert parked.last_error == (
        "IntelyCare refused the connection's credentials (HTTP 401): "
        "Unauthorized: X-API-KEY and X-CLIENT-ID must match."
    )
    assert json.loads(parked.last_error_body) == {"message": "Unauthorized: X-API-KEY and X-CLIENT-ID must match."}
    intelycare.credentials = {**intelycare.credentials, "api_key": "sandbox-key"}
    intelycare.save()
    with django_capture_on_commit_callbacks():
        outbox.retry_request(row)
    assert outbox.dispatch(row.pk).state == "sent"
    assert outbox.failure_for(shift) is None


def test_a_vendor_outage_leaves_the_request_pending_and_it_is_sent_once_later(sandbox, intelycare):
    shift = ShiftRequestFactory()
    row = outbox.enqueue(intelycare, "create_shift", natural_key=shift.external_shift_id, related=shift)
    sandbox.add_fault("503", count=10, path="/v1/shifts")  # outlasts the client's own retries
    first = outbox.dispatch(row.pk)
    assert first.state == "pending" and first.retry_in is not None
    sandbox.clear_faults()
    OutboundRequest.objects.filter(pk=row.pk).update(next_attempt_at=None)
    assert row.pk in outbox.due_request_ids()
    assert outbox.dispatch(row.pk).state == "sent"
    assert len(sandbox.vendors["intelycare"].world.shifts) == 1


def test_delivery_states_of_a_page_of_records_in_one_query(intelycare, rf, django_assert_num_queries):
    shifts = [ShiftRequestFactory() for _ in range(3)]
    for shift in shifts[:2]:
        outbox.enqueue(intelycare, "create_shift", natural_key=shift.external_shift_id, related=shift)
    OutboundRequest.objects.filter(object_id=str(shifts[1].pk)).update(state="failed", last_error="IntelyCare said no")
    with django_assert_num_queries(1):
        states = outbox.delivery_states(shifts)
    assert set(states) == {shifts[0].pk, shifts[1].pk}
    html = render_to_string(
        "htmx/delivery_state.html",
        {"outbound": states[shifts[1].pk], "retry_url": "/retry/", "request": rf.get("/shifts/")},
    )
    assert "Not sent to IntelyCare sandbox: IntelyCare said no" in " ".join(html.split()) and "Retry" in html
