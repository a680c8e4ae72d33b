"""Properties of the gate's time arithmetic (issue 19): overlap is symmetric, back-to-back work never overlaps,
rest is measured between the right pair, and local days follow each zone's midnights through DST."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as st

from portal.core.timezones import local_to_utc
from portal.gate import rules
from portal.gate.facts import PersonFacts
from portal.gate.intervals import gap, hours_in_local_days, local_days, longest_week, overlaps, worked_within
from portal.gate.work import Work

BASE = dt.datetime(2026, 3, 1, tzinfo=dt.UTC)
minutes = st.integers(min_value=0, max_value=60 * 24 * 30)
lengths = st.integers(min_value=1, max_value=60 * 24)
NEW_YORK = ZoneInfo("America/New_York")


@st.composite
def spans(draw):
    start = BASE + dt.timedelta(minutes=draw(minutes))
    return start, start + dt.timedelta(minutes=draw(lengths))


@given(spans(), spans())
def test_overlap_is_symmetric(a, b):
    assert overlaps(a, b) == overlaps(b, a)
    assert gap(a, b) == gap(b, a)


@given(spans(), lengths)
def test_back_to_back_work_never_overlaps_and_has_no_rest(a, length):
    after = (a[1], a[1] + dt.timedelta(minutes=length))
    assert not overlaps(a, after)
    assert gap(a, after) == dt.timedelta(0)


@given(spans(), spans())
def test_overlap_means_a_shared_instant(a, b):
    shared = worked_within([a], b) > dt.timedelta(0)
    assert overlaps(a, b) == shared
    if not overlaps(a, b):
        assert gap(a, b) == max(b[0] - a[1], a[0] - b[1])


@given(st.lists(spans(), max_size=6), spans())
def test_a_week_never_holds_more_than_a_week_nor_less_than_the_work_itself(others, around):
    week = longest_week(others, around)
    assert min(around[1] - around[0], dt.timedelta(days=7)) <= week <= dt.timedelta(days=7)


def test_a_night_shift_counts_in_both_local_days():
    night = (local_to_utc(dt.datetime(2026, 3, 2, 19), NEW_YORK), local_to_utc(dt.datetime(2026, 3, 3, 7), NEW_YORK))
    assert local_days(night, NEW_YORK) == [dt.date(2026, 3, 2), dt.date(2026, 3, 3)]
    hours = hours_in_local_days([night], local_days(night, NEW_YORK), NEW_YORK)
    assert hours == {dt.date(2026, 3, 2): dt.timedelta(hours=5), dt.date(2026, 3, 3): dt.timedelta(hours=7)}


def test_work_ending_at_midnight_does_not_touch_the_next_day():
    evening = (local_to_utc(dt.datetime(2026, 3, 2, 16), NEW_YORK), local_to_utc(dt.datetime(2026, 3, 3), NEW_YORK))
    assert local_days(evening, NEW_YORK) == [dt.date(2026, 3, 2)]


def test_spring_forward_and_fall_back_nights_last_their_real_hours():
    """19:00-07:00 on the night clocks go forward is 11 hours; on the night they go back, 13."""
    spring = (local_to_utc(dt.datetime(2026, 3, 7, 19), NEW_YORK), local_to_utc(dt.datetime(2026, 3, 8, 7), NEW_YORK))
    autumn = (
        local_to_utc(dt.datetime(2026, 10, 31, 19), NEW_YORK),
        local_to_utc(dt.datetime(2026, 11, 1, 7), NEW_YORK),
    )
    assert spring[1] - spring[0] == dt.timedelta(hours=11)
    assert autumn[1] - autumn[0] == dt.timedelta(hours=13)
    whole_day = hours_in_local_days([(spring[0], spring[1] + dt.timedelta(days=1))], [dt.date(2026, 3, 8)], NEW_YORK)
    assert whole_day == {dt.date(2026, 3, 8): dt.timedelta(hours=23)}
    long_day = hours_in_local_days([(autumn[0], autumn[1] + dt.timedelta(days=1))], [dt.date(2026, 11, 1)], NEW_YORK)
    assert long_day == {dt.date(2026, 11, 1): dt.timedelta(hours=25)}


@given(st.sampled_from(["America/New_York", "America/Los_Angeles", "Europe/London"]), st.integers(0, 364))
def test_a_night_and_the_next_morning_compare_as_instants_in_any_zone(zone_name, day_offset):
    """A 19:00-07:00 night and a 07:00 start the next morning touch, whatever DST does that night."""
    zone = ZoneInfo(zone_name)
    day = dt.date(2026, 1, 1) + dt.timedelta(days=day_offset)
    night = (
        local_to_utc(dt.datetime.combine(day, dt.time(19)), zone),
        local_to_utc(dt.datetime.combine(day + dt.timedelta(days=1), dt.time(7)), zone),
    )
    morning = (night[1], night[1] + dt.timedelta(hours=8))
    assert not overlaps(night, morning)
    assert gap(night, morning) == dt.timedelta(0)
    assert dt.timedelta(hours=11) <= night[1] - night[0] <= dt.timedelta(hours=13)


def _work(span, n: int) -> Work:
    return Work(1, span[0], span[1], "Shift", f"piece {n}", ("shifts.shiftrequest", n))


@given(spans(), st.lists(spans(), max_size=8), st.integers(min_value=1, max_value=16))
def test_rest_is_measured_only_to_the_nearest_work_on_each_side(work_span, other_spans, limit):
    """The rest rule names at most the piece ending last before the work and the one starting first after it,
    and names each exactly when the gap to it is shorter than the limit."""
    work = _work(work_span, 0)
    others = [_work(span, n) for n, span in enumerate(other_spans, start=1)]
    named = [problem.other for problem in rules.rest(work, others, PersonFacts(), Decimal(limit))]
    before = [o for o in others if o.ends_at <= work.starts_at]
    after = [o for o in others if o.starts_at >= work.ends_at]
    nearest = []
    if before:
        nearest.append(max(before, key=lambda o: o.ends_at))
    if after:
        nearest.append(min(after, key=lambda o: o.starts_at))
    expected = [o for o in nearest if gap(work.span, o.span) < dt.timedelta(hours=limit)]
    assert named == expected
