"""Eventsgroups' RFC 5545 fields become dateutil rrule kwargs that expand to the visits Alaunus means."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from dateutil import rrule

from tests.vendors.alaunus.support import fixture
from vendors.alaunus.schemas import EventsGroup, Frequency, Recurrence

TORONTO = ZoneInfo("America/Toronto")


def groups() -> list[EventsGroup]:
    return [EventsGroup.from_payload(payload) for payload in fixture("eventsgroups")]


def test_weekly_kwargs_and_wall_clock_kept_across_the_dst_change():
    weekly = groups()[0].recurrence
    kwargs = weekly.rrule_kwargs(TORONTO)
    assert kwargs["freq"] == rrule.WEEKLY and kwargs["interval"] == 1
    assert kwargs["byweekday"] == (rrule.MO, rrule.WE, rrule.FR)
    assert kwargs["wkst"] == rrule.MO.weekday
    assert kwargs["dtstart"] == datetime(2026, 11, 2, 9, tzinfo=TORONTO)  # 14:00Z is 09:00 EST
    visits = list(rrule.rrule(**kwargs))
    assert visits[0] == datetime(2026, 11, 2, 9, tzinfo=TORONTO)
    assert visits[-1] == datetime(2027, 1, 29, 9, tzinfo=TORONTO)
    assert {visit.time().hour for visit in visits} == {9}
    assert len(visits) == 39  # 13 weeks x MO/WE/FR


def test_spring_forward_keeps_nine_oclock_local_but_moves_utc():
    rule = Recurrence(freq=Frequency.DAILY, dtstart=datetime(2026, 3, 7, 9), count=3)
    visits = list(rrule.rrule(**rule.rrule_kwargs(TORONTO)))
    assert [visit.astimezone(UTC).hour for visit in visits] == [14, 13, 13]  # 8 March 2026: EST -> EDT
    assert {visit.hour for visit in visits} == {9}


def test_monthly_by_month_day_with_count():
    monthly = groups()[1].recurrence
    kwargs = monthly.rrule_kwargs(TORONTO)
    assert kwargs["bymonthday"] == (1, 15) and kwargs["count"] == 12 and "until" not in kwargs
    visits = list(rrule.rrule(**kwargs))
    assert len(visits) == 12
    assert [(v.month, v.day) for v in visits[:4]] == [(12, 1), (12, 15), (1, 1), (1, 15)]
    assert visits[-1].date().isoformat() == "2027-05-15"


def test_last_friday_every_other_month_from_rrule_js_numbers():
    last_friday = groups()[2].recurrence
    kwargs = last_friday.rrule_kwargs()
    assert kwargs["freq"] == rrule.MONTHLY and kwargs["interval"] == 2
    assert kwargs["byweekday"] == (rrule.FR(-1),)
    visits = list(rrule.rrule(count=3, **kwargs))
    assert [v.date().isoformat() for v in visits] == ["2026-11-27", "2027-01-29", "2027-03-26"]


def test_date_only_until_includes_that_day():
    group = EventsGroup.from_payload({"freq": "DAILY", "start": "2026-11-02T09:00:00", "until": "2026-11-04"})
    visits = list(rrule.rrule(**group.recurrence.rrule_kwargs()))
    assert [v.day for v in visits] == [2, 3, 4]


def test_count_and_until_together_keep_count_with_a_warning():
    group = EventsGroup.from_payload(
        {"_id": "g", "freq": "weekly", "start": "2026-11-02T14:00:00Z", "count": "4", "until": "2026-12-31T00:00:00Z"}
    )
    assert group.recurrence.count == 4 and group.recurrence.until is None
    assert [w.path for w in group.warnings] == ["until"]
    assert len(list(rrule.rrule(**group.recurrence.rrule_kwargs(TORONTO)))) == 4


def test_unreadable_rule_parts_are_dropped_one_by_one():
    group = EventsGroup.from_payload(
        {"freq": "WEEKLY", "interval": 0, "byweekday": ["MO", "XX", 7], "bymonthday": ["x", 32, "15"], "wkst": "funday"}
    )
    rule = group.recurrence
    assert (rule.interval, [str(d) for d in rule.byweekday], rule.bymonthday, rule.wkst) == (1, ["MO"], (15,), None)
    assert [w.path for w in group.warnings] == [
        "interval",
        "byweekday[1]",
        "byweekday[2]",
        "bymonthday[0]",
        "bymonthday[1]",
        "wkst",
    ]


def test_a_group_without_a_rule_has_no_recurrence():
    assert EventsGroup.from_payload({"_id": "g"}).recurrence is None
    bad = EventsGroup.from_payload({"_id": "g", "freq": "FORTNIGHTLY"})
    assert bad.recurrence is None and bad.warnings[0].path == "freq"


def test_mixed_naive_and_aware_needs_the_account_zone():
    rule = Recurrence(freq=Frequency.DAILY, dtstart=datetime(2026, 11, 2, 9), until=datetime(2026, 11, 5, tzinfo=UTC))
    with pytest.raises(ValueError, match="time zone"):
        rule.rrule_kwargs()
    kwargs = rule.rrule_kwargs(TORONTO)
    assert kwargs["until"] == datetime(2026, 11, 4, 19, tzinfo=TORONTO)
    assert len(list(rrule.rrule(**kwargs))) == 3
