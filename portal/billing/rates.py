"""Rate cards applied to worked hours: the kind of a shift, the card that prices it, and the margin it makes.

Margins come from the hours engine's buckets, so an overtime hour is billed and paid at the card's multiplier and a
California double-time hour at its double rate. A shift that no card prices shows without money rather than with a
guess. Cards are few (clients x professions x kinds), so a period loads them once and matches in memory: the cost
of a period is a fixed number of queries whatever its number of shifts.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import NamedTuple

from django.db.models import F, Q

from portal.billing.hours import HOUR, Bucket, holiday_name, totals
from portal.billing.hours_sources import allocations_by_worker
from portal.billing.models import RateCard
from portal.contracts.models import TimeEntry
from portal.core.timezones import to_local
from portal.shifts.models import ProfessionalType, Timecard

__all__ = [
    "PeriodMargin",
    "Place",
    "RateBook",
    "ShiftMargin",
    "TimeLogScope",
    "card_for",
    "period_margin",
    "shift_kind",
]

CENT = Decimal("0.01")
Kind = RateCard.ShiftKind
NIGHT_STARTS, NIGHT_ENDS = dt.time(18), dt.time(5)  # a shift starting 18:00-04:59 local is a night shift
HOME_CARE_PROFESSION = ProfessionalType.HHA  # Alaunus visits name no profession: a home health aide's card


def shift_kind(starts_at: dt.datetime, time_zone: str, state: str) -> str:
    """Holiday, weekend, night or day, by the local start: the kind a booking is priced as."""
    start = to_local(starts_at, time_zone)
    if holiday_name(start.date(), state):
        return Kind.HOLIDAY
    if start.weekday() >= 5:
        return Kind.WEEKEND
    if start.time() >= NIGHT_STARTS or start.time() < NIGHT_ENDS:
        return Kind.NIGHT
    return Kind.DAY


class RateBook:
    """Cards indexed by place, profession and kind; the facility's card first, then its client's, and the day
    kind when no card names the shift's own kind."""

    def __init__(self, cards: Iterable[RateCard]) -> None:
        self._cards: dict[tuple, list[RateCard]] = defaultdict(list)
        for card in sorted(cards, key=lambda c: c.effective_from, reverse=True):
            scope = ("facility", card.facility_id) if card.facility_id else ("client", card.client_id)
            self._cards[(*scope, card.profession, card.shift_kind)].append(card)

    def find(self, facility_id, client_id, profession: str, kind: str, day: dt.date) -> RateCard | None:
        for wanted in dict.fromkeys((kind, Kind.DAY)):
            for scope in (("facility", facility_id), ("client", client_id)):
                for card in self._cards.get((*scope, profession, wanted), []):
                    if card.applies_on(day):
                        return card
        return None


def _priced(card: RateCard, buckets: dict[Bucket, dt.timedelta], rate: Decimal) -> Decimal:
    multiplier = {Bucket.REGULAR: Decimal(1), Bucket.OVERTIME: card.overtime_multiplier}
    multiplier[Bucket.DOUBLE] = card.double_multiplier
    amount = sum((Decimal(hours / HOUR) * rate * multiplier[b] for b, hours in buckets.items()), Decimal(0))
    return amount.quantize(CENT)


@dataclass
class ShiftMargin:
    """One timecard or punchcard's hours by bucket, the card that prices it and what it bills, pays and keeps."""

    timecard: Timecard | TimeEntry  # a Ceki time log when an engagement prices one
    place: Place
    kind: str
    buckets: dict[Bucket, dt.timedelta]
    card: RateCard | None
    bill: Decimal | None = None
    pay: Decimal | None = None

    @property
    def margin(self) -> Decimal | None:
        return None if self.bill is None or self.pay is None else self.bill - self.pay

    @property
    def hours(self) -> dict[str, float]:
        return {bucket.value: round(value / HOUR, 2) for bucket, value in self.buckets.items()}


@dataclass
class PeriodMargin:
    """A period's shifts and, per currency, what they bill, pay and keep; hours by bucket over all of them."""

    shifts: list[ShiftMargin]
    money: dict[str, dict[str, Decimal]] = field(default_factory=dict)
    hours: dict[str, float] = field(default_factory=dict)
    unpriced: int = 0
    unpriced_time_logs: int = 0  # Ceki time logs of the workers that no engagement place and card price


class Place(NamedTuple):
    """Where and as what a timecard's shift or visit was worked, as rate cards and the engine need it."""

    facility_id: int | None
    client_id: int | None
    profession: str
    state: str
    zone: str
    starts_at: dt.datetime
    label: str


def _place(card: Timecard) -> Place:
    if card.shift_id:
        shift, facility = card.shift, card.shift.facility
        state = facility.province.abbreviation if facility.province else ""
        return Place(
            facility.pk, facility.client_id, shift.professional_type, state, shift.time_zone, shift.starts_at,
            facility.name,
        )  # fmt: skip
    visit, patient = card.visit, card.visit.patient
    state = patient.province.abbreviation if patient and patient.province else ""
    client = visit.client_id or (patient.client_id if patient else None)
    label = f"{visit.service_name or 'Visit'} for {patient}" if patient else visit.service_name or "Visit"
    return Place(None, client, HOME_CARE_PROFESSION, state, visit.time_zone, visit.starts_at, label)


def card_for(book: RateBook, timecard: Timecard) -> tuple[Place, str, RateCard | None]:
    """The place, kind of shift and rate card of a timecard's shift or visit (its relations loaded)."""
    place = _place(timecard)
    kind = shift_kind(place.starts_at, place.zone, place.state)
    day = to_local(place.starts_at, place.zone).date()
    return place, kind, book.find(place.facility_id, place.client_id, place.profession, kind, day)


def period_margin(
    first: dt.date,
    last: dt.date,
    workers: Collection[int] | None = None,
    where: Q | None = None,
    time_logs: TimeLogScope | None = None,
) -> PeriodMargin:
    """Every timecard and punchcard worked on the local days `first`..`last`, priced by the rate cards; only
    `workers`' and those `where` selects, when given (their hours still bucketed with the worker's whole week).
    With `time_logs`, the workers' Ceki time logs too, where that scope prices them (else counted unpriced)."""
    per_record: dict[tuple, list] = defaultdict(list)
    for rows in allocations_by_worker(first, last, workers).values():
        for row in rows:
            per_record[row.key].append(row)
    cards = Timecard.objects.filter(
        Q(pk__in=[pk for kind, pk in per_record if kind == "timecard"]), where or Q()
    ).select_related("shift__facility__province", "visit__patient__province")
    book = RateBook(RateCard.objects.filter(Q(effective_to__isnull=True) | Q(effective_to__gte=first)))
    result, counted = PeriodMargin(shifts=[]), []
    for timecard in sorted(cards, key=lambda c: (c.check_in, c.pk)):
        place, kind, rate_card = card_for(book, timecard)
        _add_priced(result, ShiftMargin(timecard, place, kind, totals(per_record["timecard", timecard.pk]), rate_card))
        counted += per_record["timecard", timecard.pk]
    ids = [pk for kind, pk in per_record if kind == "time_entry"]
    if time_logs is not None and ids:
        entries = TimeEntry.objects.filter(Q(pk__in=ids), time_logs.where)
        entries = entries.annotate(engagement_id=F("contract__engagement_id"))
        for entry in entries.order_by("started_at", "pk"):
            allocations = per_record["time_entry", entry.pk]
            if (row := time_logs.priced(book, entry, totals(allocations))) is not None:
                _add_priced(result, row)
                counted += allocations
            else:
                result.unpriced_time_logs += 1
    summed = totals(counted)
    result.hours = {bucket.value: round(value / HOUR, 2) for bucket, value in summed.items()}
    return result


def _add_priced(result: PeriodMargin, row: ShiftMargin) -> None:
    """Price a row by its card into the period's money, or count it unpriced."""
    rate_card = row.card
    if rate_card:
        row.bill = _priced(rate_card, row.buckets, rate_card.bill_rate)
        row.pay = _priced(rate_card, row.buckets, rate_card.pay_rate)
        money = result.money.setdefault(rate_card.currency, dict.fromkeys(("bill", "pay", "margin"), Decimal(0)))
        money["bill"], money["pay"] = money["bill"] + row.bill, money["pay"] + row.pay
        money["margin"] += row.margin
    else:
        result.unpriced += 1
    result.shifts.append(row)


@dataclass(frozen=True)
class TimeLogScope:
    """Where an engagement's Ceki time logs were worked: Ceki names no facility, state or profession, so only time
    logged on the engagement's own contracts is priced, at `place_facts()` (profession, or empty when no rate card
    knows it; client; state), which is read only when there is such time."""

    engagement_id: int
    facility_id: int | None
    place_facts: Callable[[], tuple[str, int | None, str]]

    @property
    def where(self) -> Q:
        """The engagement's time logs, and those no engagement claims (unpriced, so the box says so)."""
        return Q(contract__engagement_id=self.engagement_id) | Q(contract__engagement__isnull=True)

    def priced(self, book: RateBook, entry: TimeEntry, buckets: dict[Bucket, dt.timedelta]) -> ShiftMargin | None:
        """The time log as a priced row, or None when it is not this engagement's or no card prices it."""
        if entry.engagement_id != self.engagement_id:
            return None
        profession, client, state = self.place_facts()
        if not profession:
            return None
        label = entry.label or "Ceki time log"
        place = Place(self.facility_id, client, profession, state, entry.time_zone, entry.started_at, label)
        kind = shift_kind(place.starts_at, place.zone, place.state)
        day = to_local(place.starts_at, place.zone).date()
        card = book.find(place.facility_id, place.client_id, place.profession, kind, day)
        return ShiftMargin(entry, place, kind, buckets, card) if card else None
