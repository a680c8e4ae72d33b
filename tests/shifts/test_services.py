"""Fill-status services: applied once, in the vendor's timestamp order, within the allowed moves."""

from __future__ import annotations

import datetime as dt

import pytest

from portal.core.audit import InvalidTransition, audit_context
from portal.shifts.models import ShiftRequest
from portal.shifts.services import assign_professional, cancel_shift, complete_shift, release_shift
from tests.shifts.factories import ShiftRequestFactory
from tests.talent.factories import TalentProfileFactory

pytestmark = pytest.mark.django_db

T0 = dt.datetime(2026, 3, 1, 15, tzinfo=dt.UTC)
Status = ShiftRequest.Status


def test_accept_then_complete_records_professional_and_timestamps():
    shift, florence = ShiftRequestFactory(), TalentProfileFactory()
    assert assign_professional(shift, florence, at=T0) is True
    assert (shift.status, shift.assigned_professional, shift.status_changed_at) == (Status.FILLED, florence, T0)
    assert complete_shift(shift, at=T0 + dt.timedelta(hours=9)) is True
    shift.refresh_from_db()
    assert (shift.status, shift.assigned_professional) == (Status.COMPLETED, florence)
    changes = [entry.changes["status"] for entry in shift.audit_history() if "status" in entry.changes]
    assert changes == [["filled", "completed"], ["open", "filled"], [None, "open"]]


def test_an_event_older_than_the_stored_status_is_ignored():
    shift, florence = ShiftRequestFactory(), TalentProfileFactory()
    assign_professional(shift, florence, at=T0)
    # A Released sent before the Accepted arrives late: it must not reopen the shift.
    assert release_shift(shift, at=T0 - dt.timedelta(minutes=5)) is False
    shift.refresh_from_db()
    assert (shift.status, shift.assigned_professional_id, shift.status_changed_at) == (Status.FILLED, florence.pk, T0)


def test_a_duplicate_event_changes_nothing():
    shift, florence = ShiftRequestFactory(), TalentProfileFactory()
    assert assign_professional(shift, florence, at=T0) is True
    assert assign_professional(shift, florence, at=T0) is False
    assert shift.audit_history().count() == 2  # created, then filled once


def test_release_reopens_and_unassigns():
    shift, florence = ShiftRequestFactory(), TalentProfileFactory()
    assign_professional(shift, florence, at=T0)
    assert release_shift(shift, at=T0 + dt.timedelta(hours=1)) is True
    assert (shift.status, shift.assigned_professional_id) == (Status.OPEN, None)


def test_cancel_an_open_shift():
    shift = ShiftRequestFactory()
    assert cancel_shift(shift, at=T0) is True
    assert ShiftRequest.objects.get(pk=shift.pk).status == Status.CANCELLED


def test_portal_cannot_complete_an_open_shift_but_a_vendor_report_is_recorded():
    shift = ShiftRequestFactory()
    with pytest.raises(InvalidTransition):
        complete_shift(shift, at=T0)
    assert ShiftRequest.objects.get(pk=shift.pk).status == Status.OPEN
    with audit_context("webhook", detail="intelycare Completed"):
        assert complete_shift(shift, at=T0) is True
    assert shift.status == Status.COMPLETED
    assert shift.audit_history().first().source == "webhook"
