"""Recurring visit series on the patient's wall clock (issue 23): "Mon/Wed/Fri 09:00-11:00 for 6 weeks".

A series is an RFC 5545 rule (`RecurringVisitGroup`, Alaunus's event group) expanded by dateutil's rrule over
naive local times, so 09:00 stays 09:00 across a daylight-saving change and a 22:00-06:00 night visit ends at
06:00 (`RecurringVisitGroup.occurrences`). The visits the portal creates for a series are exactly the rule's
occurrences, so the week never shows one twice (materialised and expected). Changing "this and following" splits
the rule in two at that occurrence, as calendar programs do: the first part ends before it, the second starts at it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from dateutil import rrule
from django.db.models import BigIntegerField, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce

from portal.core.timezones import local_to_utc
from portal.shifts.localtime import shift_instants, skipped_clock_time
from portal.shifts.models import Occurrence, RecurringVisitGroup, Visit

__all__ = [
    "MAX_SERIES_VISITS",
    "clock_gap_problem",
    "occurrences_from",
    "split_rule",
    "staffed_as_visits",
    "weekly_series",
]

MAX_SERIES_VISITS = 400
# Occurrences are asked for within a window; a rule that ends (count or until) is expanded to its end.
_FOREVER = dt.timedelta(days=366 * 5)


def weekly_series(
    *,
    first_day: dt.date,
    start: dt.time,
    end: dt.time,
    time_zone: str,
    weekdays: Iterable[str],
    weeks: int,
    interval: int = 1,
) -> tuple[RecurringVisitGroup, list[Occurrence]]:
    """An unsaved weekly group "every <weekdays> <start>-<end>" from `first_day` for `weeks` weeks, and its visits.

    The rule starts at the first listed weekday on or after `first_day` and runs until the last day of the span
    (inclusive); an end at or before the start is the next morning. No occurrence gives an empty list.
    """
    codes = [str(code).upper() for code in weekdays]
    days = [getattr(rrule, code) for code in codes] or None
    last_day = first_day + dt.timedelta(days=7 * weeks - 1)
    first = rrule.rrule(rrule.DAILY, dtstart=dt.datetime.combine(first_day, dt.time()), byweekday=days, count=1)
    first_match = first[0].date() if first.count() else None
    group = RecurringVisitGroup(
        time_zone=time_zone,
        freq=RecurringVisitGroup.Frequency.WEEKLY,
        interval=interval,
        byweekday=codes,
        wkst=RecurringVisitGroup.Weekday.MO,
    )
    if first_match is None or first_match > last_day:
        return group, []
    group.starts_at, group.ends_at = shift_instants(first_match, start, end, time_zone)
    group.until = local_to_utc(dt.datetime.combine(last_day, start), time_zone)
    return group, occurrences_from(group, group.starts_at)


def clock_gap_problem(day: dt.date, start: dt.time, end: dt.time, time_zone: str) -> str | None:
    """Why a series cannot take its clock from a first visit on `day` from `start` to `end`, or None.

    A series keeps its times as UTC instants of its first visit and reads the clock back from them, so a first
    visit inside a spring-forward gap (02:30 on the night clocks skip 02:00-03:00) would move every later visit
    an hour. A single visit there is read as the hour after, as IntelyCare reads facility times; a series is
    refused and the coordinator picks another first day or time.
    """
    if skipped := skipped_clock_time(day, start, end, time_zone):
        return (
            f"{skipped} A series takes its times from its first visit, so start it on another day or at another time."
        )
    return None


def occurrences_from(group: RecurringVisitGroup, moment: dt.datetime) -> list[Occurrence]:
    """The group's occurrences starting at or after `moment`, to the rule's end (at most five years on)."""
    return group.occurrences(between=(moment, moment + _FOREVER))


def split_rule(group: RecurringVisitGroup, at: dt.datetime) -> tuple[RecurringVisitGroup, RecurringVisitGroup]:
    """The rule cut at occurrence `at`: `group` changed in place to end before it (unsaved), and a new unsaved
    group with the same rule from `at` on. A counted rule keeps its total: the two counts add up to it."""
    before = group.occurrences(between=(group.starts_at, at - dt.timedelta(microseconds=1)))
    this = group.occurrences(between=(at, at))
    if not before or not this:
        raise ValueError("`at` must be an occurrence of the series after its first")
    following = RecurringVisitGroup(
        connection=group.connection,
        client_id=group.client_id,
        caregiver_id=group.caregiver_id,
        patient_id=group.patient_id,
        service_name=group.service_name,
        time_zone=group.time_zone,
        starts_at=this[0].starts_at,
        ends_at=this[0].ends_at,
        freq=group.freq,
        interval=group.interval,
        byweekday=list(group.byweekday),
        bymonthday=list(group.bymonthday),
        count=group.count - len(before) if group.count else None,
        until=group.until,
        wkst=group.wkst,
    )
    if group.count:
        group.count = len(before)
    else:
        group.until = before[-1].starts_at
    return group, following


def staffed_as_visits(groups: QuerySet[RecurringVisitGroup]) -> QuerySet[RecurringVisitGroup]:
    """`groups` with `staffed_by` and `for_patient`: the series' own caregiver and patient, else those of its latest
    live visit that names one.

    An Alaunus series carries neither (its doc gives a rule and the series' events); its visits do. So the visits
    it is still expected to have belong to whoever does its visits, not to "Unassigned" and "No patient".
    """
    latest = Visit.objects.filter(group=OuterRef("pk"), archived_at=None).order_by("-starts_at")
    key = BigIntegerField()
    return groups.annotate(
        staffed_by=Coalesce(
            "caregiver_id", Subquery(latest.exclude(caregiver=None).values("caregiver_id")[:1]), output_field=key
        ),
        for_patient=Coalesce(
            "patient_id", Subquery(latest.exclude(patient=None).values("patient_id")[:1]), output_field=key
        ),
    )
