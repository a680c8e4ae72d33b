"""Worked time from the records that hold it, as the hours engine's `WorkSpan`s, per worker.

IntelyCare timecards (a shift's facility gives zone and state), Alaunus punchcards (stored as `shifts.Timecard`
rows for a visit: the visit's zone, the patient's state) and Ceki time logs (`contracts.TimeEntry`: its own zone;
Ceki names no state, so the federal rule). Weeks are read whole so a period that starts mid-week still sees the
week's earlier hours when it counts towards 40; allocations outside the period are then dropped.
"""

from __future__ import annotations

import datetime as dt
import heapq
from collections import defaultdict
from collections.abc import Collection, Iterator
from itertools import groupby
from operator import itemgetter

from django.conf import settings
from django.db.models import Q
from django.db.models.functions import Coalesce

from portal.billing.hours import HOUR, SUNDAY, Allocation, OvertimeRule, WorkSpan, allocate, rule_for_state
from portal.contracts.models import TimeEntry
from portal.core.timezones import local_midnight
from portal.shifts.models import Timecard

__all__ = [
    "allocations_by_worker",
    "configured_rules",
    "spans_by_worker",
    "worker_allocations",
    "worker_spans",
    "working_between",
]

CHUNK = 500  # timecards with their shift, facility and province: a week of a large agency is several chunks


def configured_rules() -> dict[str, OvertimeRule]:
    """`settings.OVERTIME_RULES`: {"WA": {"daily_overtime_after": 10, ...}} in hours, over the built-in states."""
    rules = {}
    for state, fields in getattr(settings, "OVERTIME_RULES", {}).items():
        hours = {k: (v * HOUR if v is not None else None) for k, v in fields.items() if k != "seventh_day"}
        rules[state.upper()] = OvertimeRule(**hours, seventh_day=bool(fields.get("seventh_day")))
    return rules


def _window(first: dt.date, last: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """From the Sunday before `first` (a day early, for a night shift ending on it) to a day after `last`."""
    zone = settings.TIME_ZONE
    since = local_midnight(first - dt.timedelta(days=(first.weekday() - SUNDAY) % 7), zone) - dt.timedelta(days=1)
    return since, local_midnight(last + dt.timedelta(days=1), zone) + dt.timedelta(days=1)


def _timecards(since: dt.datetime, until: dt.datetime):
    return (
        Timecard.objects.filter(check_out__isnull=False, check_in__gte=since, check_in__lt=until)
        .annotate(worker=Coalesce("professional_id", "shift__assigned_professional_id", "visit__caregiver_id"))
        .filter(worker__isnull=False)
        .select_related("shift__facility__province", "visit__patient__province")
    )


def _time_entries(since: dt.datetime, until: dt.datetime):
    return TimeEntry.objects.filter(
        stopped_at__isnull=False, started_at__gte=since, started_at__lt=until, participant__talent__isnull=False
    ).select_related("participant")


def _timecard_span(card: Timecard, rules: dict[str, OvertimeRule]) -> WorkSpan:
    place = card.shift.facility if card.shift else card.visit.patient
    state = place.province.abbreviation if place and place.province else ""
    zone_name = card.shift.time_zone if card.shift else card.visit.time_zone
    return WorkSpan(
        ("timecard", card.pk), card.check_in, card.check_out, zone_name or settings.TIME_ZONE, card.break_minutes,
        state, rule_for_state(state, rules),
    )  # fmt: skip


def _entry_span(entry: TimeEntry) -> WorkSpan:
    return WorkSpan(("time_entry", entry.pk), entry.started_at, entry.stopped_at, entry.time_zone)


def spans_by_worker(first: dt.date, last: dt.date, workers: Collection[int] | None = None) -> dict[int, list[WorkSpan]]:
    """Finished work starting between the Sunday before `first` and the end of `last`, keyed by talent id; only
    `workers`' when given (a shift's or an engagement's margin needs its worker's week, not everyone's)."""
    since, until = _window(first, last)
    rules = configured_rules()
    cards, entries = _timecards(since, until), _time_entries(since, until)
    if workers is not None:
        ids = list(workers)
        cards, entries = cards.filter(worker__in=ids), entries.filter(participant__talent_id__in=ids)
    spans: dict[int, list[WorkSpan]] = defaultdict(list)
    # In the order `worker_spans` gives them: the engine pays identical overlapping spans in the order given.
    for card in cards.order_by("check_in", "pk"):
        spans[card.worker].append(_timecard_span(card, rules))
    for entry in entries.order_by("started_at", "pk"):
        spans[entry.participant.talent_id].append(_entry_span(entry))
    return dict(spans)


def worker_spans(first: dt.date, last: dt.date) -> Iterator[tuple[int, list[WorkSpan]]]:
    """The same spans one worker at a time, by talent id, from two cursors read in chunks: an export of any size
    holds one worker's work at once, in two queries."""
    since, until = _window(first, last)
    rules = configured_rules()
    cards = _timecards(since, until).order_by("worker", "check_in", "pk").iterator(CHUNK)
    entries = _time_entries(since, until).order_by("participant__talent_id", "started_at", "pk").iterator(CHUNK)
    merged = heapq.merge(
        ((card.worker, _timecard_span(card, rules)) for card in cards),
        ((entry.participant.talent_id, _entry_span(entry)) for entry in entries),
        key=itemgetter(0),
    )
    for worker, group in groupby(merged, key=itemgetter(0)):
        yield worker, [span for _, span in group]


def working_between(first: dt.date, last: dt.date) -> Q:
    """Which talent profiles have finished work read for `first`..`last`: a filter to read their names at once."""
    since, until = _window(first, last)
    entries = _time_entries(since, until).values("participant__talent")
    return Q(pk__in=_timecards(since, until).values("worker")) | Q(pk__in=entries)


def _allocated(spans: list[WorkSpan], first: dt.date, last: dt.date) -> list[Allocation]:
    return [row for row in allocate(spans) if first <= row.day <= last]


def allocations_by_worker(
    first: dt.date, last: dt.date, workers: Collection[int] | None = None
) -> dict[int, list[Allocation]]:
    """Each worker's (or each of `workers`') hours on the local days `first`..`last`, in buckets."""
    spans = spans_by_worker(first, last, workers)
    return {worker: _allocated(own, first, last) for worker, own in spans.items()}


def worker_allocations(first: dt.date, last: dt.date) -> Iterator[tuple[int, list[Allocation]]]:
    """The same, one worker at a time by talent id (`worker_spans`)."""
    for worker, spans in worker_spans(first, last):
        yield worker, _allocated(spans, first, last)
