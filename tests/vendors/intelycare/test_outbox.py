"""IntelyCare's operations through the outbox: a shift created, updated and deleted in order, with the body and
answers IntelyCare keeps; a body missing a required field refused before anything leaves the portal."""

from __future__ import annotations

import pytest
from django.db import transaction

from portal.integrations import outbox
from portal.integrations.models import OutboundRequest
from tests.shifts.factories import ShiftRequestFactory

pytestmark = pytest.mark.django_db


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
