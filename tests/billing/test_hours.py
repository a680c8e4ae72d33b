"""The hours engine: properties (paid = worked, one bucket per hour, splitting never moves an hour) and the
state rules by example (California daily and seventh day, federal weekly, DST nights, holidays)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from portal.billing.hours import (
    FEDERAL,
    Bucket,
    OvertimeRule,
    WorkSpan,
    allocate,
    rule_for_state,
    totals,
)

LA = "America/Los_Angeles"
NY = "America/New_York"
CA = rule_for_state("CA")
H = dt.timedelta(hours=1)
# Sunday 2026-03-01: the week holding the spring change (Sunday 8 March) starts a week later.
WEEK = dt.datetime(2026, 3, 1, tzinfo=dt.UTC)


def local(day: str, clock: str, zone: str = LA) -> dt.datetime:
    return dt.datetime.fromisoformat(f"{day}T{clock}").replace(tzinfo=ZoneInfo(zone)).astimezone(dt.UTC)


def span(key, start, end, rule=CA, zone=LA, break_minutes=0, state="CA") -> WorkSpan:
    return WorkSpan(key, start, end, zone, break_minutes=break_minutes, state=state, rule=rule)


def hours(buckets) -> tuple[float, float, float]:
    return tuple(buckets[b] / H for b in (Bucket.REGULAR, Bucket.OVERTIME, Bucket.DOUBLE))


# A week of work: spans as (offset minutes from WEEK, length minutes, break minutes), never overlapping.
spans_strategy = st.lists(
    st.tuples(st.integers(0, 60 * 24 * 20), st.integers(1, 60 * 16), st.integers(0, 90)), min_size=1, max_size=12
)
rules = st.sampled_from([FEDERAL, CA, rule_for_state("AK"), rule_for_state("CO")])


def _build(raw, rule, zone) -> list[WorkSpan]:
    out, cursor = [], WEEK
    for index, (gap, length, brk) in enumerate(sorted(raw)):
        start = max(cursor, WEEK + dt.timedelta(minutes=gap))
        end = start + dt.timedelta(minutes=length)
        out.append(span(index, start, end, rule, zone, break_minutes=min(brk, length - 1)))
        cursor = end
    return out


@settings(max_examples=150, deadline=None)
@given(raw=spans_strategy, rule=rules, zone=st.sampled_from([LA, NY, "UTC"]))
def test_paid_hours_equal_worked_hours_and_each_hour_sits_in_one_bucket(raw, rule, zone):
    spans = _build(raw, rule, zone)
    allocations = allocate(spans)
    worked = sum((s.ends_at - s.starts_at - dt.timedelta(minutes=s.break_minutes) for s in spans), dt.timedelta())
    assert sum(totals(allocations).values(), dt.timedelta()) == worked
    for row in allocations:
        assert all(v >= dt.timedelta() for v in row.buckets.values())
    for s in spans:  # each span's own hours, across its days, are exactly its worked time
        mine = [r for r in allocations if r.key == s.key]
        assert sum((r.total for r in mine), dt.timedelta()) == s.ends_at - s.starts_at - dt.timedelta(
            minutes=s.break_minutes
        )


@settings(max_examples=150, deadline=None)
@given(raw=spans_strategy, rule=rules, zone=st.sampled_from([LA, NY]), data=st.data())
def test_splitting_the_same_instants_differently_never_moves_an_hour(raw, rule, zone, data):
    whole = [span(s.key, s.starts_at, s.ends_at, rule, zone) for s in _build(raw, rule, zone)]
    split = []
    for s in whole:
        minutes = int((s.ends_at - s.starts_at).total_seconds() // 60)
        if minutes < 2:
            split.append(s)
            continue
        cut = s.starts_at + dt.timedelta(minutes=data.draw(st.integers(1, minutes - 1)))
        split += [span((s.key, "a"), s.starts_at, cut, rule, zone), span((s.key, "b"), cut, s.ends_at, rule, zone)]
    assert totals(allocate(split)) == totals(allocate(whole))


def test_california_daily_overtime_after_8_and_double_after_12():
    rows = allocate([span(1, local("2026-06-02", "06:00"), local("2026-06-02", "20:00"))])
    assert hours(totals(rows)) == (8, 4, 2)


def test_federal_rule_has_no_daily_overtime_but_weekly_over_40():
    days = [f"2026-06-0{n}" for n in range(1, 6)]  # Monday to Friday, 10 h a day
    spans = [span(d, local(d, "07:00", NY), local(d, "17:00", NY), FEDERAL, NY, state="NY") for d in days]
    assert hours(totals(allocate(spans))) == (40, 10, 0)
    friday = [r for r in allocate(spans) if r.key == "2026-06-05"]
    assert hours(friday[0].buckets) == (0, 10, 0)


def test_california_week_counts_only_regular_hours_towards_40():
    # Sunday-Friday 9 h a day: 8 regular + 1 daily OT each; the 6th day's regular hours pass 40.
    days = [f"2026-06-{n:02d}" for n in range(7, 13)]
    spans = [span(d, local(d, "07:00"), local(d, "16:00")) for d in days]
    assert hours(totals(allocate(spans))) == (40, 14, 0)


def test_seventh_consecutive_day_is_overtime_to_8_then_double():
    days = [f"2026-06-{n:02d}" for n in range(7, 14)]  # Sunday to Saturday, 4 h a day then 10 h on Saturday
    spans = [span(d, local(d, "08:00"), local(d, "12:00")) for d in days[:6]]
    spans.append(span(days[6], local(days[6], "08:00"), local(days[6], "18:00")))
    saturday = next(r for r in allocate(spans) if r.key == days[6])
    assert hours(saturday.buckets) == (0, 8, 2)
    # A day off breaks the run: the same Saturday is then an ordinary California day.
    without_monday = [s for s in spans if s.key != days[1]]
    saturday = next(r for r in allocate(without_monday) if r.key == days[6])
    assert hours(saturday.buckets) == (8, 2, 0)


def test_overnight_shift_lands_on_both_days_with_its_break_in_the_middle():
    # 19:00-07:30 less 30 min taken at 01:00-01:30: 5 h on the evening's day, 7 h on the morning's.
    rows = allocate([span(1, local("2026-06-02", "19:00"), local("2026-06-03", "07:30"), break_minutes=30)])
    by_day = {r.day: r.total / H for r in rows}
    assert by_day == {dt.date(2026, 6, 2): 5, dt.date(2026, 6, 3): 7}


@pytest.mark.parametrize(
    ("start_day", "end_day", "worked", "expected"),
    [
        # Spring forward (8 March 2026): 19:00-07:00 on the clock is 11 real hours; 5 before midnight, 6 after.
        ("2026-03-07", "2026-03-08", 11, (11, 0, 0)),
        # Fall back (1 November 2026): 13 real hours; the 25-hour Sunday holds 8 of them.
        ("2026-10-31", "2026-11-01", 13, (13, 0, 0)),
    ],
)
def test_dst_nights_count_the_hours_that_passed(start_day, end_day, worked, expected):
    night = span(1, local(start_day, "19:00"), local(end_day, "07:00"))
    rows = allocate([night])
    assert sum((r.total for r in rows), dt.timedelta()) == worked * H
    assert hours(totals(rows)) == expected
    assert {r.day: r.total / H for r in rows}[dt.date.fromisoformat(end_day)] == worked - 5


def test_a_25_hour_day_in_california_pays_daily_overtime_on_real_hours():
    # 00:00-23:59 local on 1 November 2026 is 24 h 59 min of real time.
    rows = allocate([span(1, local("2026-11-01", "00:00"), local("2026-11-01", "23:59"))])
    assert hours(totals(rows)) == (8, 4, pytest.approx(12 + 59 / 60))


def test_holidays_come_from_the_holidays_package_by_state():
    rows = allocate([span(1, local("2026-11-27", "08:00"), local("2026-11-27", "16:00"))])
    assert rows[0].holiday == "Day After Thanksgiving"
    rows = allocate(
        [span(1, local("2026-11-27", "08:00", NY), local("2026-11-27", "16:00", NY), FEDERAL, NY, state="NY")]
    )
    assert rows[0].holiday == ""


def test_a_break_as_long_as_the_span_is_refused():
    with pytest.raises(ValueError, match="break must be shorter"):
        allocate([span(1, local("2026-06-02", "08:00"), local("2026-06-02", "09:00"), break_minutes=60)])


def test_overrides_configure_other_states():
    custom = OvertimeRule(weekly_overtime_after=None, daily_overtime_after=10 * H)
    assert rule_for_state("wa", {"WA": custom}) is custom
    assert rule_for_state("WA") is FEDERAL
    assert custom.tiers(seventh=False) == [(10 * H, Bucket.REGULAR), (None, Bucket.OVERTIME)]
    assert FEDERAL.tiers(seventh=True) == [(None, Bucket.REGULAR)]
