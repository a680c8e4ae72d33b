"""Margin (bill - pay, from the rate cards and the hours engine's buckets) of one shift, of one engagement, and a
period's summed per client or facility and per week or month (issue 20).

A shift's or an engagement's hours are bucketed with its worker's whole week, so an overtime hour there is priced as
overtime; only that worker's records are read, so the cost is a fixed handful of queries whatever else was worked.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q
from django.utils import timezone

from portal.billing.hours import HOUR, SUNDAY, Bucket
from portal.billing.rates import PeriodMargin, ShiftMargin, TimeLogScope, period_margin
from portal.contracts.models import Engagement
from portal.core.timezones import to_local
from portal.jobs.models import Client, Facility
from portal.shifts.models import ProfessionalType

__all__ = ["GROUPS", "STEPS", "MarginLine", "engagement_margin", "shift_margin", "summarize"]

GROUPS = {"client": "Client", "facility": "Facility"}
STEPS = {"week": "Week", "month": "Month"}
MAX_ENGAGEMENT_DAYS = 366  # a year of an open-ended engagement, the most a page reads


def shift_margin(shift) -> PeriodMargin:
    """The margin of a shift's timecards (usually one), priced as worked in its worker's week."""
    workers = {shift.assigned_professional_id, *shift.timecards.values_list("professional_id", flat=True)} - {None}
    if not workers:
        return PeriodMargin(shifts=[])
    first = to_local(shift.starts_at, shift.time_zone).date()
    last = to_local(shift.ends_at, shift.time_zone).date()
    return period_margin(first, last, workers=workers, where=Q(shift_id=shift.pk))


def engagement_margin(engagement) -> PeriodMargin:
    """The margin of the engagement's talent's shifts at its facility between its start and its end (or today), and
    of the Ceki time logged on the engagement's contracts, priced as worked at its facility in its profession."""
    facility = engagement.facility_id
    if not engagement.talent_id or not facility or not engagement.starts_on:
        return PeriodMargin(shifts=[])
    last = min(engagement.ends_on or timezone.localdate(), engagement.starts_on + dt.timedelta(MAX_ENGAGEMENT_DAYS))
    if last < engagement.starts_on:
        return PeriodMargin(shifts=[])
    where = Q(shift__facility_id=facility)
    time_logs = _time_log_scope(engagement)
    return period_margin(engagement.starts_on, last, workers={engagement.talent_id}, where=where, time_logs=time_logs)


def _time_log_scope(engagement) -> TimeLogScope:
    """Where the engagement's Ceki time was worked and as what: its facility, and its requisition's profession when
    a rate card knows it (one query, made only when the engagement has Ceki time)."""

    @functools.cache
    def place_facts() -> tuple[str, int | None, str]:
        row = Engagement.objects.filter(pk=engagement.pk).values_list(
            "job_requisition__profession__abbreviation", "facility__client_id", "facility__province__abbreviation"
        )
        profession, client, state = row.get()
        profession = (profession or "").upper()
        return (profession if profession in ProfessionalType.values else ""), client, state or ""

    return TimeLogScope(engagement.pk, engagement.facility_id, place_facts)


@dataclass
class MarginLine:
    """One client's or facility's shifts in one week or month, in one currency."""

    group: str
    starts: dt.date
    currency: str
    shifts: int = 0
    bill: Decimal = Decimal(0)
    pay: Decimal = Decimal(0)
    hours: dict[Bucket, dt.timedelta] = field(default_factory=lambda: dict.fromkeys(Bucket, dt.timedelta()))

    @property
    def margin(self) -> Decimal:
        return self.bill - self.pay

    @property
    def hours_by_bucket(self) -> dict[str, float]:
        return {bucket.value: round(value / HOUR, 2) for bucket, value in self.hours.items()}


def _step_start(day: dt.date, step: str) -> dt.date:
    return day.replace(day=1) if step == "month" else day - dt.timedelta(days=(day.weekday() - SUNDAY) % 7)


def summarize(result: PeriodMargin, group: str = "client", step: str = "week") -> list[MarginLine]:
    """The priced shifts of `result` summed per client or facility and per week (Sunday-Saturday) or month of their
    local start; two queries for the names. Unpriced shifts are left out (the page counts them)."""
    priced = [row for row in result.shifts if row.card is not None]
    ids = {(row.place.facility_id if group == "facility" else row.place.client_id) for row in priced}
    model = Facility if group == "facility" else Client
    names = dict(model.objects.filter(pk__in=ids - {None}).values_list("pk", "name"))
    lines: dict[tuple, MarginLine] = {}
    for row in priced:
        owner = row.place.facility_id if group == "facility" else row.place.client_id
        label = names.get(owner) or ("Home care (no facility)" if group == "facility" else "No client")
        starts = _step_start(to_local(row.place.starts_at, row.place.zone).date(), step)
        line = lines.setdefault((label, starts, row.card.currency), MarginLine(label, starts, row.card.currency))
        _add(line, row)
    return sorted(lines.values(), key=lambda line: (line.starts, line.group, line.currency))


def _add(line: MarginLine, row: ShiftMargin) -> None:
    line.shifts += 1
    line.bill += row.bill
    line.pay += row.pay
    for bucket, value in row.buckets.items():
        line.hours[bucket] += value
