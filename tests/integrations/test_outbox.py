"""The outbox against a real vendor's sandbox (IntelyCare's): parked with the vendor's words when refused and sent by
the Retry button, sent once after an outage, and each record's delivery state read in one query. What IntelyCare's
own operations send and refuse is tests/vendors/intelycare/test_outbox.py."""

from __future__ import annotations

import json

import pytest
from django.template.loader import render_to_string

from portal.integrations import outbox
from portal.integrations.models import OutboundRequest
from tests.shifts.factories import ShiftRequestFactory

pytestmark = pytest.mark.django_db


def posts(sandbox, path="/v1/shifts"):
    return [r for r in sandbox.requests if r[1] == "POST" and r[2] == path]


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
