"""Worked time from the records that hold it, as the hours engine's `WorkSpan`s, per worker.

IntelyCare timecards (a shift's facility gives zone and state), Alaunus punchcards (stored as `shifts.Timecard`
rows for a visit: the visit's zone, the patient's state) and Ceki time logs (`contracts.TimeEntry`: its own zone;
Ceki names no state, so the federal rule). Weeks are read whole so a period that starts mid-week still sees the
week's earlier hours when it counts towards 40; allocations outside the period are then dropped.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Collection

from django.conf import settings
from django.db.models import Q

from portal.billing.hours import HOUR, SUNDAY, Allocation, OvertimeRule, WorkSpan, allocate, rule_for_state
from portal.contracts.models import TimeEntry
from portal.core.timezones import local_midnight
from portal.shifts.models import Timecard

__all__ = ["allocations_by_worker", "configured_rules", "spans_by_worker"]


def configured_rules() -> dict[str, OvertimeRule]:
    """`settings.OVERTIME_RULES`: {"WA": {"daily_overtime_after": 10, ...}} in hours, over the built-in states."""
    rules = {}
    for state, fields in getattr(settings, "OVERTIME_RULES", {}).items():
        hours = {k: (v * HOUR if v is not None else None) for k, v in fields.items() if k != "seventh_day"}
        rules[state.upper()] = OvertimeRule(**hours, seventh_day=bool(fields.get("seventh_day")))
    return rules


def spans_by_worker(first: dt.date, last: dt.date, workers: Collection[int] | None = None) -> dict[int, list[WorkSpan]]:
    """Finished work starting between the Sunday before `first` and the end of `last`, keyed by talent id; only
    `workers`' when given (a shift's or an engagement's margin needs its worker's week, not everyone's)."""
    zone = settings.TIME_ZONE
    since = local_midnight(first - dt.timedelta(days=(first.weekday() - SUNDAY) % 7), zone) - dt.timedelta(days=1)
    until = local_midnight(last + dt.timedelta(days=1), zone) + dt.timedelta(days=1)
    rules = configured_rules()
    spans: dict[int, list[WorkSpan]] = defaultdict(list)
    cards = Timecard.objects.filter(check_out__isnull=False, check_in__gte=since, check_in__lt=until).select_related(
        "shift__facility__province", "visit__patient__province", "visit__caregiver"
    )
    if workers is not None:
        ids = list(workers)
        cards = cards.filter(
            Q(professional_id__in=ids) | Q(shift__assigned_professional_id__in=ids) | Q(visit__caregiver_id__in=ids)
        )
    for card in cards:
        worker = card.professional_id or (card.shift and card.shift.assigned_professional_id)
        worker = worker or (card.visit and card.visit.caregiver_id)
        if not worker:
            continue
        place = card.shift.facility if card.shift else card.visit.patient
        state = place.province.abbreviation if place and place.province else ""
        zone_name = card.shift.time_zone if card.shift else card.visit.time_zone
        spans[worker].append(
            WorkSpan(
                ("timecard", card.pk), card.check_in, card.check_out, zone_name or settings.TIME_ZONE,
                card.break_minutes, state, rule_for_state(state, rules),
            )
        )  # fmt: skip
    entries = TimeEntry.objects.filter(
        stopped_at__isnull=False, started_at__gte=since, started_at__lt=until, participant__talent__isnull=False
    ).select_related("participant")
    if workers is not None:
        entries = entries.filter(participant__talent_id__in=list(workers))
    for entry in entries:
        spans[entry.participant.talent_id].append(
            WorkSpan(("time_entry", entry.pk), entry.started_at, entry.stopped_at, entry.time_zone)
        )
    return dict(spans)


def allocations_by_worker(
    first: dt.date, last: dt.date, workers: Collection[int] | None = None
) -> dict[int, list[Allocation]]:
    """Each worker's (or each of `workers`') hours on the local days `first`..`last`, in buckets."""
    return {
        worker: [row for row in allocate(spans) if first <= row.day <= last]
        for worker, spans in spans_by_worker(first, last, workers).items()
    }
