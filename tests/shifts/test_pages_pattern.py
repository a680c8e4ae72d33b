"""Repeated shift patterns expanded on the facility's wall clock: weekdays, DST changes, night shifts."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from portal.shifts.services import expand_pattern

NY = "America/New_York"


def local(instant: dt.datetime) -> dt.datetime:
    return instant.astimezone(ZoneInfo(NY))


def test_every_weekday_for_two_weeks_is_ten_day_shifts():
    shifts = expand_pattern(
        first_day=dt.date(2026, 1, 5),  # a Monday
        last_day=dt.date(2026, 1, 18),
        start=dt.time(7),
        end=dt.time(15),
        time_zone=NY,
        weekdays=("MO", "TU", "WE", "TH", "FR"),
    )
    assert len(shifts) == 10
    assert {local(start).weekday() for start, _ in shifts} == {0, 1, 2, 3, 4}
    assert all((local(s).hour, local(e).hour, e - s) == (7, 15, dt.timedelta(hours=8)) for s, e in shifts)
    assert shifts[0][0] == dt.datetime(2026, 1, 5, 12, tzinfo=dt.UTC)


def test_no_weekdays_means_every_day_and_a_single_day_is_one_shift():
    assert (
        len(
            expand_pattern(
                first_day=dt.date(2026, 1, 5),
                last_day=dt.date(2026, 1, 11),
                start=dt.time(7),
                end=dt.time(15),
                time_zone=NY,
            )
        )
        == 7
    )
    assert (
        len(
            expand_pattern(
                first_day=dt.date(2026, 1, 5),
                last_day=dt.date(2026, 1, 5),
                start=dt.time(7),
                end=dt.time(15),
                time_zone=NY,
            )
        )
        == 1
    )


def test_07_00_stays_07_00_across_the_spring_change():
    shifts = expand_pattern(
        first_day=dt.date(2026, 3, 6), last_day=dt.date(2026, 3, 10), start=dt.time(7), end=dt.time(15), time_zone=NY
    )
    assert [local(s).hour for s, _ in shifts] == [7, 7, 7, 7, 7]
    utc_hours = [s.hour for s, _ in shifts]
    assert utc_hours == [12, 12, 11, 11, 11], "EST is UTC-5 until 8 March 2026, EDT is UTC-4 after"


def test_a_night_shift_over_the_autumn_change_lasts_nine_real_hours():
    shifts = expand_pattern(
        first_day=dt.date(2026, 10, 30), last_day=dt.date(2026, 11, 1), start=dt.time(23), end=dt.time(7), time_zone=NY
    )
    lengths = [end - start for start, end in shifts]
    assert lengths == [dt.timedelta(hours=8), dt.timedelta(hours=9), dt.timedelta(hours=8)]
    assert all(local(end).date() == local(start).date() + dt.timedelta(days=1) for start, end in shifts)
