"""Recurring home-care visits expand on the group's wall clock (RFC 5545 via dateutil), across DST too."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from portal.shifts.localtime import local_to_utc
from portal.shifts.models import RecurringVisitGroup

pytestmark = pytest.mark.django_db

NY = "America/New_York"
UTC = dt.UTC
WHOLE_YEAR = (dt.datetime(2026, 1, 1, tzinfo=UTC), dt.datetime(2027, 1, 1, tzinfo=UTC))


def group(first_local: dt.datetime, **rule) -> RecurringVisitGroup:
    starts_at = local_to_utc(first_local, NY)
    return RecurringVisitGroup.objects.create(
        time_zone=NY, starts_at=starts_at, ends_at=starts_at + dt.timedelta(hours=2), **rule
    )


def local_starts(occurrences) -> list[str]:
    return [o.starts_at.astimezone(dt.timezone(dt.timedelta(0))).strftime("%m-%d %H:%M") for o in occurrences]


def test_weekly_rule_keeps_nine_oclock_local_across_the_spring_change():
    visits = group(dt.datetime(2026, 3, 2, 9), freq="WEEKLY", byweekday=["MO", "WE", "FR"], count=6)
    occurrences = visits.occurrences(WHOLE_YEAR)

    # 09:00 EST is 14:00 UTC; from Sunday 8 March 09:00 EDT is 13:00 UTC.
    assert local_starts(occurrences) == [
        "03-02 14:00",
        "03-04 14:00",
        "03-06 14:00",
        "03-09 13:00",
        "03-11 13:00",
        "03-13 13:00",
    ]
    assert all(o.ends_at - o.starts_at == dt.timedelta(hours=2) for o in occurrences)


def test_weekly_rule_with_interval_and_until_includes_the_last_day():
    visits = group(
        dt.datetime(2026, 10, 20, 18),
        freq="WEEKLY",
        interval=2,
        byweekday=["TU"],
        until=local_to_utc(dt.datetime(2026, 12, 1, 18), NY),
    )
    occurrences = visits.occurrences(WHOLE_YEAR)
    # Every other Tuesday at 18:00 local: EDT (22:00 UTC) before 1 November, EST (23:00 UTC) after.
    assert local_starts(occurrences) == ["10-20 22:00", "11-03 23:00", "11-17 23:00", "12-01 23:00"]


def test_monthly_by_month_day_and_by_nth_weekday():
    by_day = group(dt.datetime(2026, 1, 15, 10), freq="MONTHLY", bymonthday=[15, -1], count=5)
    assert local_starts(by_day.occurrences(WHOLE_YEAR)) == [
        "01-15 15:00",
        "01-31 15:00",
        "02-15 15:00",
        "02-28 15:00",
        "03-15 14:00",
    ]
    second_tuesday = group(dt.datetime(2026, 1, 13, 10), freq="MONTHLY", byweekday=["+2TU"], count=3)
    assert local_starts(second_tuesday.occurrences(WHOLE_YEAR)) == ["01-13 15:00", "02-10 15:00", "03-10 14:00"]


def test_occurrences_only_within_the_window():
    visits = group(dt.datetime(2026, 3, 2, 9), freq="DAILY")
    window = (dt.datetime(2026, 3, 10, tzinfo=UTC), dt.datetime(2026, 3, 12, 23, tzinfo=UTC))
    assert local_starts(visits.occurrences(window)) == ["03-10 13:00", "03-11 13:00", "03-12 13:00"]


def test_count_and_until_together_are_refused():
    visits = RecurringVisitGroup(
        starts_at=dt.datetime(2026, 1, 1, 14, tzinfo=UTC),
        ends_at=dt.datetime(2026, 1, 1, 16, tzinfo=UTC),
        count=3,
        until=dt.datetime(2026, 2, 1, tzinfo=UTC),
    )
    with pytest.raises(ValidationError) as excinfo:
        visits.full_clean()
    assert "until" in excinfo.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        visits.save()


def test_bad_weekday_code_is_a_validation_error():
    visits = RecurringVisitGroup(
        starts_at=dt.datetime(2026, 1, 1, 14, tzinfo=UTC),
        ends_at=dt.datetime(2026, 1, 1, 16, tzinfo=UTC),
        byweekday=["XX"],
    )
    with pytest.raises(ValidationError) as excinfo:
        visits.full_clean()
    assert "byweekday" in excinfo.value.message_dict
