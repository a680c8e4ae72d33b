"""The calendar's per-day cap as a property: whatever the shifts and the zone, every local day shows at most `cap`
of the entries that start on it, the earliest ones, and "+K more" is exactly the rest; nothing is lost or drawn
twice, across daylight-saving changes too."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from portal.dashboard.calendar import CalendarFilters, calendar_days
from tests.jobs.factories import FacilityFactory
from tests.shifts.factories import ShiftRequestFactory
from tests.support.properties import database_property, rolled_back

pytestmark = pytest.mark.django_db

# The week of the spring change in New York and Berlin's (a week apart in 2026): days of 23 hours included.
FIRST, LAST = dt.date(2026, 3, 23), dt.date(2026, 3, 29)
WEEK_START = dt.datetime(2026, 3, 22, tzinfo=dt.UTC)


@pytest.fixture
def facility():
    return FacilityFactory()


@database_property
@given(
    starts=st.lists(st.integers(min_value=0, max_value=9 * 24 * 4 - 1), max_size=40),
    hours=st.integers(min_value=1, max_value=14),
    zone=st.sampled_from(["America/New_York", "Europe/Berlin", "Asia/Kolkata", "Pacific/Auckland"]),
    cap=st.integers(min_value=1, max_value=5),
)
def test_each_day_shows_its_earliest_entries_and_counts_the_rest(facility, starts, hours, zone, cap):
    tz = ZoneInfo(zone)
    with rolled_back():
        instants = [WEEK_START + dt.timedelta(minutes=15 * quarter) for quarter in starts]
        for instant in instants:
            ShiftRequestFactory(facility=facility, starts_at=instant, ends_at=instant + dt.timedelta(hours=hours))
        per_day = Counter(instant.astimezone(tz).date() for instant in instants)
        for day in calendar_days(FIRST, LAST, tz, CalendarFilters(), cap=cap):
            started = [entry for entry in day.entries if not entry.continued]
            assert len(started) == min(cap, per_day[day.day])
            assert day.more == per_day[day.day] - len(started)
            expected = sorted(i for i in instants if i.astimezone(tz).date() == day.day)[: len(started)]
            assert [entry.starts_at for entry in started] == expected
            for entry in day.entries:
                if entry.continued:  # drawn on a later day only while it is still running
                    assert entry.starts_at.astimezone(tz).date() < day.day <= entry.ends_at.astimezone(tz).date()
