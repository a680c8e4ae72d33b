"""Issue 23: a weekly visit series expanded on the patient's wall clock (dateutil rrule), overnight and across
daylight-saving changes, and "this and following" splitting the rule without losing or doubling an occurrence."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from portal.core.timezones import to_local
from portal.shifts.localtime import shift_instants
from portal.shifts.series import clock_gap_problem, occurrences_from, split_rule, weekly_series

CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
ZONES = ("America/Toronto", "America/New_York", "Europe/London", "Australia/Sydney", "America/Los_Angeles")

# Days around every kind of change: spring forward, fall back, both hemispheres, and plain weeks.
days = st.dates(min_value=dt.date(2026, 1, 1), max_value=dt.date(2027, 12, 31))
clock = st.times().map(lambda t: t.replace(second=0, microsecond=0, fold=0))  # as a form reads them
series_inputs = st.fixed_dictionaries(
    {
        "first_day": days,
        "start": clock,
        "end": clock,
        "time_zone": st.sampled_from(ZONES),
        "weekdays": st.lists(st.sampled_from(CODES), min_size=1, max_size=7, unique=True),
        "weeks": st.integers(min_value=1, max_value=12),
        "interval": st.integers(min_value=1, max_value=3),
    }
)


def expected_days(first_day, weekdays, weeks, interval) -> list[dt.date]:
    """Worked out without dateutil: listed weekdays in the span, every `interval`-th week counted from the week
    (Monday-based) of the first match."""
    span = [first_day + dt.timedelta(days=n) for n in range(7 * weeks)]
    listed = [day for day in span if CODES[day.weekday()] in weekdays]
    if not listed:
        return []
    first_monday = listed[0] - dt.timedelta(days=listed[0].weekday())
    return [day for day in listed if ((day - first_monday).days // 7) % interval == 0]


def _clock_exists(first, day: dt.date, values) -> bool:
    """Whether the first visit's start and end read back as the clock times they were made from."""
    zone = values["time_zone"]
    end_day = day + dt.timedelta(days=1) if values["end"] <= values["start"] else day
    start, end = (to_local(moment, zone).replace(tzinfo=None) for moment in first)
    return start == dt.datetime.combine(day, values["start"]) and end == dt.datetime.combine(end_day, values["end"])


@settings(max_examples=300, deadline=None)
@given(series_inputs)
def test_a_weekly_series_is_its_listed_days_at_the_same_wall_clock_times(values):
    group, occurrences = weekly_series(**values)
    zone = values["time_zone"]
    local_days = [to_local(o.starts_at, zone).date() for o in occurrences]
    wanted = expected_days(values["first_day"], values["weekdays"], values["weeks"], values["interval"])
    # The group keeps its clock as the first visit's instants. When that visit's start or end falls in a spring
    # gap (01:00 in London on 29 March 2026), the instant reads 02:00, as a real 02:00 would, and the series would
    # keep 02:00: the instants alone cannot tell the two apart, so the pages refuse such a series
    # (`clock_gap_problem`, tested below) and it is left out here.
    assume(not occurrences or not wanted or _clock_exists(occurrences[0], wanted[0], values))
    # A start inside a spring gap is read an hour later on the clock (portal.core.timezones): same day still.
    assert local_days == wanted
    for day, occurrence in zip(wanted, occurrences, strict=True):
        # Exactly what one visit made from the same day and clock times would be: overnight ends next morning,
        # and a night across a change lasts an hour more or less, ending at the same clock time.
        assert occurrence == shift_instants(day, values["start"], values["end"], zone)
        assert occurrence.ends_at > occurrence.starts_at
    if occurrences:
        assert (group.starts_at, group.ends_at) == occurrences[0]
        assert group.count is None and group.until is not None


@settings(max_examples=150, deadline=None)
@given(series_inputs, st.integers(min_value=1, max_value=80), st.booleans())
def test_splitting_a_series_loses_and_doubles_no_occurrence(values, cut, counted):
    group, occurrences = weekly_series(**values)
    if len(occurrences) < 2:
        return
    if counted:  # Alaunus's own series often end after a count: the two counts must add up
        group.count, group.until = len(occurrences), None
    at = occurrences[1 + cut % (len(occurrences) - 1)]
    total = list(occurrences)
    ended, following = split_rule(group, at.starts_at)
    before = occurrences_from(ended, ended.starts_at)
    after = occurrences_from(following, following.starts_at)
    assert before + after == total
    assert after[0] == at and before[-1].starts_at < at.starts_at


def test_mon_wed_fri_for_six_weeks_across_the_autumn_change_keeps_nine_oclock():
    toronto = ZoneInfo("America/Toronto")
    group, occurrences = weekly_series(
        first_day=dt.date(2026, 10, 19),  # clocks go back on Sunday 1 November 2026
        start=dt.time(9),
        end=dt.time(11),
        time_zone="America/Toronto",
        weekdays=["MO", "WE", "FR"],
        weeks=6,
    )
    assert len(occurrences) == 18
    assert {o.starts_at.astimezone(toronto).time() for o in occurrences} == {dt.time(9)}
    assert {o.starts_at.hour for o in occurrences} == {13, 14}  # EDT then EST in UTC
    assert group.rule_text.startswith("FREQ=WEEKLY;INTERVAL=1;BYDAY=MO,WE,FR;UNTIL=")


def test_an_overnight_visit_on_the_spring_night_ends_at_its_clock_time():
    _group, occurrences = weekly_series(
        first_day=dt.date(2026, 3, 7),  # Saturday; clocks go forward at 02:00 on Sunday 8 March in New York
        start=dt.time(22),
        end=dt.time(6),
        time_zone="America/New_York",
        weekdays=["SA"],
        weeks=2,
    )
    first, second = occurrences
    assert first.ends_at - first.starts_at == dt.timedelta(hours=7)
    assert second.ends_at - second.starts_at == dt.timedelta(hours=8)
    assert to_local(first.ends_at, "America/New_York").time() == dt.time(6)


def test_no_listed_weekday_in_the_span_gives_no_visit():
    _group, occurrences = weekly_series(
        first_day=dt.date(2026, 3, 2), start=dt.time(9), end=dt.time(10), time_zone="UTC", weekdays=[], weeks=0
    )
    assert occurrences == []


# The spring-forward gaps of 2026 in the zones above, as the zones' rules publish them: [first, last] minute.
GAPS = {
    "America/New_York": (dt.date(2026, 3, 8), dt.time(2, 0), dt.time(2, 59)),
    "America/Toronto": (dt.date(2026, 3, 8), dt.time(2, 0), dt.time(2, 59)),
    "America/Los_Angeles": (dt.date(2026, 3, 8), dt.time(2, 0), dt.time(2, 59)),
    "Europe/London": (dt.date(2026, 3, 29), dt.time(1, 0), dt.time(1, 59)),
    "Australia/Sydney": (dt.date(2026, 10, 4), dt.time(2, 0), dt.time(2, 59)),
}
minutes = st.integers(min_value=0, max_value=24 * 60 - 1).map(lambda m: dt.time(m // 60, m % 60))


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(sorted(GAPS)), minutes, minutes, st.integers(min_value=-1, max_value=0))
def test_a_series_is_refused_exactly_when_its_first_visit_starts_or_ends_in_a_spring_gap(zone, start, end, shift):
    gap_day, first, last = GAPS[zone]
    day = gap_day + dt.timedelta(days=shift)  # the gap day itself, or the evening before (an overnight end in it)
    end_day = day + dt.timedelta(days=1) if end <= start else day
    in_gap = (day == gap_day and first <= start <= last) or (end_day == gap_day and first <= end <= last)
    problem = clock_gap_problem(day, start, end, zone)
    assert (problem is not None) == in_gap
    if problem:
        assert zone in problem and f"{gap_day.day} {gap_day:%B %Y}" in problem


@pytest.mark.parametrize(
    ("zone", "day", "start"),
    [
        ("America/New_York", dt.date(2026, 11, 1), dt.time(1, 30)),  # autumn: 01:30 happens twice, it exists
        ("Europe/London", dt.date(2026, 3, 29), dt.time(2, 0)),  # the first minute after the gap
        ("UTC", dt.date(2026, 3, 8), dt.time(2, 30)),  # a zone without changes
    ],
)
def test_a_time_the_clock_shows_at_least_once_is_no_problem(zone, day, start):
    assert clock_gap_problem(day, start, dt.time(4), zone) is None
