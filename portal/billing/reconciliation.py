"""The three-way match (issue 20): work done <-> its timecard or punchcard <-> what bills it, and the exceptions.

IntelyCare: a completed shift <-> its timecard, whose bill rate is IntelyCare's bill. Alaunus: a completed visit <->
its punchcard <-> the invoice line that names the punchcard. Ceki: a time log <-> the charge it made. Found:
work with no timecard; billed hours that differ from worked hours by more than `HOURS_TOLERANCE`; billing for work
that was cancelled, missed or never clocked out; a billed rate that is not the rate card's for that shift; a
punchcard on two invoice lines; and work done, with its time record, that nothing bills once
`settings.BILLING_GRACE_DAYS` have passed since it ended.

Each exception names its vendor record (`record`, "timecard:12"), so `key` (problem, source, record) stays the
same from one computation to the next: resolutions (`resolutions.py`) and disputes (`disputes.py`) hang on it.

Computed, not stored: each source is read once in chunks (`iterator`), so a month of 50,000 rows keeps memory flat
and the page costs the same queries at any size; only the exceptions are kept.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Collection, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import chain

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from portal.billing.models import InvoiceLine, RateCard, Transaction
from portal.billing.rates import RateBook, card_for
from portal.contracts.models import TimeEntry
from portal.shifts.models import ShiftRequest, Timecard, Visit

__all__ = ["HOURS_TOLERANCE", "SHOW", "MatchException", "Problem", "Reconciliation", "reconcile"]

HOURS_TOLERANCE = Decimal("0.25")  # a quarter hour: vendors round punches to it
CHUNK = 2000
NOT_WORKED = {Visit.Status.CANCELLED, Visit.Status.MISSED, ShiftRequest.Status.CANCELLED}


class Problem(models.TextChoices):
    NO_TIMECARD = "no_timecard", "Worked, no timecard"
    HOURS_DIFFER = "hours_differ", "Hours differ"
    BILLED_NOT_WORKED = "billed_not_worked", "Billed, not worked"
    RATE_DIFFERS = "rate_differs", "Rate differs from the rate card"
    BILLED_TWICE = "billed_twice", "Billed twice"
    WORKED_NOT_BILLED = "worked_not_billed", "Worked, not billed"


# Which exceptions a queue lists: those still open (the default), those resolved with a reason, or both.
SHOW = {"open": "Open", "resolved": "Resolved", "all": "Open and resolved"}


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
    record: str = ""  # the vendor record it is about: "timecard:12", "invoice_line:7", "transaction:3" ...

    @property
    def label(self) -> str:
        return Problem(self.problem).label

    @property
    def key(self) -> str:
        """Problem, source and record: the same exception gets the same key every time it is computed."""
        return f"{self.problem}/{self.source.lower().replace(' ', '-')}/{self.record}"

    @property
    def record_pk(self) -> int:
        return int(self.record.rpartition(":")[2])


@dataclass
class Reconciliation:
    """Open and resolved counts per problem over the whole range; the first `keep` exceptions that `show` picks
    (of problem `only`, when given). `resolved` holds the keys of resolved exceptions."""

    keep: int
    only: str = ""
    show: str = "open"
    resolved: Collection[str] = frozenset()
    counts: Counter = field(default_factory=Counter)
    resolved_counts: Counter = field(default_factory=Counter)
    exceptions: list[MatchException] = field(default_factory=list)

    def add(self, found: MatchException) -> None:
        is_resolved = found.key in self.resolved
        (self.resolved_counts if is_resolved else self.counts)[found.problem] += 1
        shown = self.show == "all" or (self.show == "resolved") is is_resolved
        if shown and len(self.exceptions) < self.keep and self.only in ("", found.problem):
            self.exceptions.append(found)

    @property
    def listable(self) -> int:
        picked = [self.counts, self.resolved_counts] if self.show == "all" else []
        picked = picked or [self.resolved_counts if self.show == "resolved" else self.counts]
        return sum(c[self.only] if self.only else sum(c.values()) for c in picked)


def _hours(timecard: Timecard) -> Decimal | None:
    minutes = timecard.worked_minutes
    return None if minutes is None else (Decimal(minutes) / 60).quantize(Decimal("0.01"))


def _unrecorded_work(since: dt.datetime, until: dt.datetime) -> Iterator[MatchException]:
    shifts = ShiftRequest.objects.filter(
        status=ShiftRequest.Status.COMPLETED, ends_at__gte=since, ends_at__lt=until, timecards__isnull=True
    ).select_related("facility")
    for shift in shifts.iterator(CHUNK):
        yield MatchException(
            Problem.NO_TIMECARD, "IntelyCare shift", str(shift.facility), shift.starts_at, shift.time_zone,
            record=f"shift:{shift.pk}",
        )  # fmt: skip
    visits = Visit.objects.filter(
        status=Visit.Status.COMPLETED, ends_at__gte=since, ends_at__lt=until, timecards__isnull=True
    ).select_related("patient")
    for visit in visits.iterator(CHUNK):
        yield MatchException(
            Problem.NO_TIMECARD,
            "Alaunus visit",
            str(visit),
            visit.starts_at,
            visit.time_zone,
            record=f"visit:{visit.pk}",
        )


def _check_bill(source, subject, timecard, status, billed_hours, billed_rate, book, record) -> Iterator[MatchException]:
    place, _, card = card_for(book, timecard)
    worked = _hours(timecard)
    common = {"source": source, "subject": subject, "when": place.starts_at, "zone": place.zone, "record": record}
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
                               card.bill_rate, book, f"timecard:{card.pk}")  # fmt: skip
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
                record=f"invoice_line:{line.pk}",
            )  # fmt: skip
            continue
        billed = line
        yield from _check_bill(
            "Alaunus visit",
            subject,
            line.timecard,
            visit.status,
            line.quantity,
            line.rate,
            book,
            f"invoice_line:{line.pk}",
        )


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
        common["record"] = f"transaction:{charge.pk}"
        sides = {"worked_hours": worked, "billed_hours": charge.hours}
        if worked is None:
            yield MatchException(Problem.BILLED_NOT_WORKED, **common, **sides, detail="the time log is still running")
        elif charge.hours is not None and abs(charge.hours - worked) > HOURS_TOLERANCE:
            yield MatchException(Problem.HOURS_DIFFER, **common, **sides, zone=entry.time_zone)


def _unbilled_work(since: dt.datetime, until: dt.datetime) -> Iterator[MatchException]:
    """Finished work with its timecard, punchcard or time log that nothing bills, its grace period over:
    an IntelyCare timecard without a bill rate, a punchcard on no invoice line, a time log without a live charge."""
    cutoff = timezone.now() - dt.timedelta(days=settings.BILLING_GRACE_DAYS)
    done = {"check_out__isnull": False, "check_out__lt": cutoff, "check_in__gte": since, "check_in__lt": until}
    detail = f"nothing bills it {settings.BILLING_GRACE_DAYS} days after"
    shifts = Timecard.objects.filter(
        **done, shift__status=ShiftRequest.Status.COMPLETED, bill_rate__isnull=True, bill_total__isnull=True
    ).select_related("shift__facility")
    for card in shifts.iterator(CHUNK):
        yield MatchException(
            Problem.WORKED_NOT_BILLED, "IntelyCare shift", str(card.shift.facility), card.shift.starts_at,
            card.shift.time_zone, _hours(card), detail=detail, record=f"timecard:{card.pk}",
        )  # fmt: skip
    visits = Timecard.objects.filter(
        **done, visit__status=Visit.Status.COMPLETED, invoice_lines__isnull=True
    ).select_related("visit__patient")
    for card in visits.iterator(CHUNK):
        yield MatchException(
            Problem.WORKED_NOT_BILLED, "Alaunus visit", str(card.visit), card.visit.starts_at, card.visit.time_zone,
            _hours(card), detail=detail, record=f"timecard:{card.pk}",
        )  # fmt: skip
    logs = (
        TimeEntry.objects.filter(stopped_at__isnull=False, stopped_at__lt=cutoff, started_at__gte=since)
        .filter(started_at__lt=until)
        .filter(Q(charge__isnull=True) | Q(charge__status=Transaction.Status.DELETED))
        .select_related("contract")
    )
    for entry in logs.iterator(CHUNK):
        yield MatchException(
            Problem.WORKED_NOT_BILLED, "Ceki time log", str(entry.contract), entry.started_at, entry.time_zone,
            Decimal(str(entry.hours)), detail=detail, record=f"time_entry:{entry.pk}",
        )  # fmt: skip


def reconcile(
    since: dt.datetime,
    until: dt.datetime,
    keep: int = 200,
    only: str = "",
    show: str = "open",
    resolved: Collection[str] = frozenset(),
) -> Reconciliation:
    """Every exception of work, time records and bills in [since, until), counted open or resolved (`resolved`:
    the keys of resolved ones); the first `keep` that `show` picks (of problem `only`, when given) kept."""
    book = RateBook(RateCard.objects.filter(Q(effective_to__isnull=True) | Q(effective_to__gte=since.date())))
    result = Reconciliation(keep=keep, only=only, show=show, resolved=resolved)
    sources = (_unrecorded_work, _unbilled_work, _charged_time)
    found = chain(*(source(since, until) for source in sources), _billed_work(since, until, book))
    for exception in found:
        result.add(exception)
    return result
