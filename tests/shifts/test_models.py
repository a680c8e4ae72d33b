"""Shift instants across overnight and daylight-saving changes, and timecard validation at both layers."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from portal.shifts.localtime import local_to_utc, shift_instants
from portal.shifts.models import ShiftRequest, Timecard
from tests.jobs.factories import FacilityFactory
from tests.shifts.factories import ShiftRequestFactory

pytestmark = pytest.mark.django_db

UTC = dt.UTC


def test_overnight_shift_ends_next_local_morning():
    facility = FacilityFactory(time_zone="America/Chicago")
    starts_at, ends_at = shift_instants(dt.date(2024, 1, 16), dt.time(23), dt.time(7), facility.time_zone)
    shift = ShiftRequestFactory(facility=facility, starts_at=starts_at, ends_at=ends_at)
    shift.refresh_from_db()

    assert shift.time_zone == "America/Chicago"  # copied from the facility
    assert shift.starts_at == dt.datetime(2024, 1, 17, 5, tzinfo=UTC)
    assert shift.ends_at == dt.datetime(2024, 1, 17, 13, tzinfo=UTC)
    assert (shift.local_starts_at.hour, shift.local_ends_at.hour) == (23, 7)
    assert shift.is_overnight
    assert shift.duration == dt.timedelta(hours=8)


def test_night_shift_across_autumn_change_keeps_local_clock_times_and_lasts_nine_hours():
    # 2026-11-01 02:00 EDT -> 01:00 EST in New York.
    starts_at, ends_at = shift_instants(dt.date(2026, 10, 31), dt.time(23), dt.time(7), "America/New_York")
    shift = ShiftRequestFactory(starts_at=starts_at, ends_at=ends_at)

    assert starts_at == dt.datetime(2026, 11, 1, 3, tzinfo=UTC)  # 23:00 EDT (UTC-4)
    assert ends_at == dt.datetime(2026, 11, 1, 12, tzinfo=UTC)  # 07:00 EST (UTC-5)
    assert shift.local_starts_at.strftime("%H:%M %Z") == "23:00 EDT"
    assert shift.local_ends_at.strftime("%H:%M %Z") == "07:00 EST"
    assert shift.duration == dt.timedelta(hours=9)


def test_spring_gap_time_reads_with_the_offset_before_the_change():
    # 2026-03-08 02:30 does not exist in New York; it is read as EST, i.e. 03:30 EDT.
    assert local_to_utc(dt.datetime(2026, 3, 8, 2, 30), "America/New_York") == dt.datetime(
        2026, 3, 8, 7, 30, tzinfo=UTC
    )
    starts_at, ends_at = shift_instants(dt.date(2026, 3, 7), dt.time(23), dt.time(7), "America/New_York")
    assert ends_at - starts_at == dt.timedelta(hours=7)


def test_shift_must_end_after_start_in_clean_and_in_the_database():
    shift = ShiftRequestFactory.build(facility=FacilityFactory())
    shift.ends_at = shift.starts_at
    with pytest.raises(ValidationError) as excinfo:
        shift.clean()
    assert "ends_at" in excinfo.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        shift.save()


def test_each_shift_gets_its_own_numeric_external_shift_id():
    first, second = ShiftRequestFactory(), ShiftRequestFactory()
    assert first.external_shift_id.isdigit()
    assert first.external_shift_id != second.external_shift_id


def test_shift_status_transitions_are_refused_outside_the_allowed_moves():
    shift = ShiftRequestFactory()
    shift.status = ShiftRequest.Status.COMPLETED
    with pytest.raises(ValidationError) as excinfo:
        shift.save()
    assert "Cannot change status from 'open' to 'completed'" in str(excinfo.value)


@pytest.mark.parametrize(
    ("check_out_hours", "break_minutes", "field"),
    [(0, 0, "check_out"), (-1, 0, "check_out"), (8, 480, "break_minutes"), (8, 600, "break_minutes")],
)
def test_timecard_validation_refuses_bad_times_in_clean_and_database(check_out_hours, break_minutes, field):
    shift = ShiftRequestFactory()
    timecard = Timecard(
        shift=shift,
        check_in=shift.starts_at,
        check_out=shift.starts_at + dt.timedelta(hours=check_out_hours),
        break_minutes=break_minutes,
    )
    with pytest.raises(ValidationError) as excinfo:
        timecard.full_clean()
    assert field in excinfo.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        timecard.save()


def test_timecard_with_a_break_just_shorter_than_the_shift_is_kept():
    shift = ShiftRequestFactory()
    timecard = Timecard(shift=shift, check_in=shift.starts_at, check_out=shift.ends_at, break_minutes=30)
    timecard.full_clean()
    timecard.save()
    assert timecard.worked_minutes == 450
    with pytest.raises(IntegrityError), transaction.atomic():
        Timecard.objects.create(shift=shift, check_in=shift.starts_at)  # one timecard per shift
    still_on_shift = Timecard(shift=ShiftRequestFactory(), check_in=shift.starts_at)
    assert still_on_shift.worked_minutes is None


def test_timecard_belongs_to_a_shift_or_a_visit():
    with pytest.raises(IntegrityError), transaction.atomic():
        Timecard.objects.create(check_in=dt.datetime(2026, 1, 1, tzinfo=UTC))
