"""IntelyCare's outbound bodies: the exact instants of overnight and DST shifts, timecards and their errors."""

from __future__ import annotations

import datetime as dt

import pytest

from portal.integrations import outbox
from portal.shifts.localtime import shift_instants
from tests.shifts.factories import ShiftRequestFactory, TimecardFactory
from vendors.intelycare.mapping import shift_request_body, utc_z

pytestmark = pytest.mark.django_db


def local_shift(day: dt.date, start: dt.time, end: dt.time):
    starts_at, ends_at = shift_instants(day, start, end, "America/New_York")
    return ShiftRequestFactory(starts_at=starts_at, ends_at=ends_at)


def test_an_overnight_shift_is_sent_as_its_two_utc_instants():
    body = shift_request_body(local_shift(dt.date(2026, 1, 16), dt.time(23), dt.time(7)))
    assert (body["shiftStartTime"], body["shiftEndTime"]) == ("2026-01-17T04:00:00Z", "2026-01-17T12:00:00Z")
    assert body["timezone"] == "America/New_York"


def test_a_night_shift_across_the_autumn_change_lasts_nine_hours():
    body = shift_request_body(local_shift(dt.date(2026, 10, 31), dt.time(23), dt.time(7)))
    start = dt.datetime.fromisoformat(body["shiftStartTime"])
    end = dt.datetime.fromisoformat(body["shiftEndTime"])
    assert body["shiftStartTime"] == "2026-11-01T03:00:00Z"  # 23:00 EDT
    assert end - start == dt.timedelta(hours=9), "07:00 EST is nine real hours after 23:00 EDT"


def test_naive_times_are_refused_rather_than_sent_as_local():
    with pytest.raises(ValueError):
        utc_z(dt.datetime(2026, 1, 1, 7))


def test_a_timecard_is_sent_and_vendor_errors_kept_on_it(sandbox, intelycare):
    card = TimecardFactory()
    shift = card.shift
    outbox.dispatch(outbox.enqueue(intelycare, "create_shift", natural_key=shift.external_shift_id, related=shift).pk)
    row = outbox.enqueue(intelycare, "create_timecard", natural_key=f"timecard:{shift.external_shift_id}", related=card)
    assert outbox.dispatch(row.pk).state == "sent"
    stored = sandbox.vendors["intelycare"].world.timecards[shift.external_shift_id]
    assert (stored["checkIn"], stored["breakDuration"]) == (utc_z(card.check_in), 30)
    card.refresh_from_db()
    assert card.vendor_errors == []

    again = outbox.enqueue(
        intelycare, "create_timecard", natural_key=f"timecard:{shift.external_shift_id}", related=card
    )
    assert outbox.dispatch(again.pk).state == "sent", "a repeated create is recognised, not an error"
    assert len(sandbox.vendors["intelycare"].world.timecards) == 1


def test_many_shifts_are_one_call_each_and_rate_limits_are_waited_out(sandbox, intelycare):
    shifts = [ShiftRequestFactory() for _ in range(12)]
    rows = [outbox.enqueue(intelycare, "create_shift", natural_key=s.external_shift_id, related=s) for s in shifts]
    sandbox.add_fault("429", count=3, path="/v1/shifts")
    assert {outbox.dispatch(row.pk).state for row in rows} == {"sent"}
    posts = [r[3] for r in sandbox.requests if r[1] == "POST"]
    assert posts.count(429) == 3 and posts.count(200) == 12, "bulk is not supported: one object per request"
    assert sorted(s["externalShiftId"] for s in sandbox.vendors["intelycare"].world.shifts.values()) == sorted(
        s.external_shift_id for s in shifts
    )
