"""The three-way match (issue 20): work done <-> its timecard or punchcard <-> what bills it, and the exceptions.

IntelyCare: a completed shift <-> its timecard, whose bill rate is IntelyCare's bill. Alaunus: a completed visit <->
its punchcard <-> the invoice line that names the punchcard. Ceki: a time log <-> the charge it made. Found:
work with no timecard; billed hours that differ from worked hours by more than `HOURS_TOLERANCE`; billing for work
that was cancelled, missed or never clocked out; a billed rate that is not the rate card's for that shift; a
punchcard on two invoice lines.

Computed, not stored: each source is read once in chunks (`iterator`), so a month of 50,000 rows keeps memory flat
and the page costs the same queries at any size; only the exceptions are kept.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import chain

from django.db import models
from django.db.models import Q

from portal.billing.models import InvoiceLine, RateCard, Transaction
from portal.billing.rates import RateBook, card_for
from portal.shifts.models import ShiftRequest, Timecard, Visit

__all__ = ["HOURS_TOLERANCE", "MatchException", "Problem", "Reconciliation", "reconcile"]

HOURS_TOLERANCE = Decimal("0.25")  # a quarter hour: vendors round punches to it
CHUNK = 2000
NOT_WORKED = {Visit.Status.CANCELLED, Visit.Status.MISSED, ShiftRequest.Status.CANCELLED}


class Problem(models.TextChoices):
    NO_TIMECARD = "no_timecard", "Worked, no timecard"
    HOURS_DIFFER = "hours_differ", "Hours differ"
    BILLED_NOT_WORKED = "billed_not_worked", "Billed, not worked"
    RATE_DIFFERS = "rate_differs", "Rate differs from the rate card"
    BILLED_TWICE = "billed_twice", "Billed twice"


@dataclass(frozen=True)
class MatchException:
    """One mismatch with its sources side by side: the work, the time record, the bill and the card."""

    problem: str
    source: str  # "IntelyCare shift", "Alaunus visit", "Ceki charge"
    subject: str
    when: dt.datetime
    zone: str = "UTC"
    worked_hours: Decimal | None = None
    billed_hours: Decimal | None = None
    billed_rate: Decimal | None = None
    card_rate: Decimal | None = None
    detail: str = ""

    @property
    def label(self) -> str:
        return Problem(self.problem).label


@dataclass
class Reconciliation:
    """Counts per problem over the whole range; the first `keep` exceptions (of problem `only`, when given)."""

    keep: int
    only: str = ""
    counts: Counter = field(default_factory=Counter)
    exceptions: list[MatchException] = field(default_factory=list)

    def add(self, found: MatchException) -> None:
        self.counts[found.problem] += 1
        if len(self.exceptions) < self.keep and self.only in ("", found.problem):
            self.exceptions.append(found)

    @property
    def listable(self) -> int:
        return self.counts[self.only] if self.only else sum(self.counts.values())


def _hours(timecard: Timecard) -> Decimal | None:
    minutes = timecard.worked_minutes
    return None if minutes is None else (Decimal(minutes) / 60).quantize(Decimal("0.01"))


def _unrecorded_work(since: dt.datetime, until: dt.datetime) -> Iterator[MatchException]:
    shifts = ShiftRequest.objects.filter(
        status=ShiftRequest.Status.COMPLETED, ends_at__gte=since, ends_at__lt=until, timecards__isnull=True
    ).select_related("facility")
    for shift in shifts.iterator(CHUNK):
        yield MatchException(
            Problem.NO_TIMECARD, "IntelyCare shift", str(shift.facility), shift.starts_at, shift.time_zone
        )
    visits = Visit.objects.filter(
        status=Visit.Status.COMPLETED, ends_at__gte=since, ends_at__lt=until, timecards__isnull=True
    ).select_related("patient")
    for visit in visits.iterator(CHUNK):
        yield MatchException(Problem.NO_TIMECARD, "Alaunus visit", str(visit), visit.starts_at, visit.time_zone)


def _check_bill(source, subject, timecard, status, billed_hours, billed_rate, book) -> Iterator[MatchException]:
    place, _, card = card_for(book, timecard)
    worked = _hours(timecard)
    common = {"source": source, "subject": subject, "when": place.starts_at, "zone": place.zone}
    sides = {"worked_hours": worked, "billed_hours": billed_hours, "billed_rate": billed_rate}
    if status in NOT_WORKED or worked is None:
        detail = f"the work is {status}" if status in NOT_WORKED else "never clocked out"
        yield MatchException(Problem.BILLED_NOT_WORKED, **common, **sides, detail=detail)
        return
    if billed_hours is not None and abs(billed_hours - worked) > HOURS_TOLERANCE:
        yield MatchException(Problem.HOURS_DIFFER, **common, **sides)
    if card and billed_rate is not None and billed_rate != card.bill_rate:
        yield MatchException(Problem.RATE_DIFFERS, **common, **sides, card_rate=card.bill_rate)


def _billed_work(since: dt.datetime, until: dt.datetime, book: RateBook) -> Iterator[MatchException]:
    timecards = Timecard.objects.filter(
        shift__isnull=False, bill_rate__isnull=False, check_in__gte=since, check_in__lt=until
    ).select_related("shift__facility__province")
    for card in timecards.iterator(CHUNK):
        # IntelyCare bills the timecard itself: its own hours, so only the work's state and the rate can differ.
        yield from _check_bill("IntelyCare shift", str(card.shift.facility), card, card.shift.status, None,
                               card.bill_rate, book)  # fmt: skip
    lines = InvoiceLine.objects.filter(
        kind=InvoiceLine.Kind.SERVICE,
        timecard__visit__isnull=False,
        timecard__check_in__gte=since,
        timecard__check_in__lt=until,
    ).select_related("invoice", "timecard__visit__patient__province")
    billed = None  # lines come by punchcard, so a second line for one punchcard follows its first
    for line in lines.order_by("timecard_id", "id").iterator(CHUNK):
        visit = line.timecard.visit
        subject = f"Invoice {line.invoice.number or line.invoice_id}: {visit}"
        if billed is not None and billed.timecard_id == line.timecard_id:
            yield MatchException(
                Problem.BILLED_TWICE, "Alaunus visit", subject, visit.starts_at, visit.time_zone,
                _hours(line.timecard), line.quantity, line.rate,
                detail=f"also on invoice {billed.invoice.number or billed.invoice_id}",
            )  # fmt: skip
            continue
        billed = line
        yield from _check_bill("Alaunus visit", subject, line.timecard, visit.status, line.quantity, line.rate, book)


def _charged_time(since: dt.datetime, until: dt.datetime) -> Iterator[MatchException]:
    charges = (
        Transaction.objects.filter(
            kind=Transaction.Kind.CHARGE, time_entry__isnull=False, occurred_at__gte=since, occurred_at__lt=until
        )
        .exclude(status=Transaction.Status.DELETED)
        .select_related("time_entry", "contract")
    )
    for charge in charges.iterator(CHUNK):
        entry = charge.time_entry
        worked = None if entry.hours is None else Decimal(str(entry.hours))
        common = {"source": "Ceki charge", "subject": str(charge.contract), "when": entry.started_at}
        sides = {"worked_hours": worked, "billed_hours": charge.hours}
        if worked is None:
            yield MatchException(Problem.BILLED_NOT_WORKED, **common, **sides, detail="the time log is still running")
        elif charge.hours is not None and abs(charge.hours - worked) > HOURS_TOLERANCE:
            yield MatchException(Problem.HOURS_DIFFER, **common, **sides, zone=entry.time_zone)


def reconcile(since: dt.datetime, until: dt.datetime, keep: int = 200, only: str = "") -> Reconciliation:
    """Every exception of work, time records and bills in [since, until), counted; the first `keep` (of problem
    `only`, when given) kept."""
    book = RateBook(RateCard.objects.filter(Q(effective_to__isnull=True) | Q(effective_to__gte=since.date())))
    result = Reconciliation(keep=keep, only=only)
    for found in chain(_unrecorded_work(since, until), _billed_work(since, until, book), _charged_time(since, until)):
        result.add(found)
    return result
