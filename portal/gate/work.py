"""Every piece of work a person holds, from every source the portal keeps (issue 19: shifts, visits, Kamana
engagements, Ceki contract events and slots booked through a sourcing channel), as one shape the rules compare.

Each loader answers for a set of people (or everyone) and a window with one query; the gate sits above the
domain apps in the layers, so it reads their models directly. Cancelled, missed and archived work is not work.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.db.models import F, Q

from portal.contracts.models import ContractEvent, Engagement
from portal.contracts.schedule import (
    BOOKED,
    EXTENDED_TO,
    engagement_zone,
    placement_span,
    timed,
    with_extensions,
    working_days,
)
from portal.jobs.models import DEFAULT_TIME_ZONE
from portal.shifts.models import ShiftRequest, SlotBooking, Visit

__all__ = ["LOADERS", "Work", "WorkRef", "load_work"]

WorkRef = tuple[str, int]  # (model label, pk), e.g. ("shifts.shiftrequest", 12)
# Ceki events and engagement days carry no end column; a window query reaches back this far for ones still running.
LONGEST_PIECE = dt.timedelta(days=1)


@dataclass(frozen=True)
class Work:
    """One piece of work: who, when (UTC instants), where, and which record it is."""

    profile_id: int
    starts_at: dt.datetime
    ends_at: dt.datetime
    kind: str
    title: str
    ref: WorkRef
    facility_id: int | None = None
    time_zone: str = DEFAULT_TIME_ZONE
    # False for a placement with no shift hours: it spans its dates but books no particular hours, so only the
    # rules about the person (credentials, do-not-hire, do-not-return) apply to it, and no other work is timed
    # against it.
    timed: bool = True

    @property
    def span(self) -> tuple[dt.datetime, dt.datetime]:
        return self.starts_at, self.ends_at

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.time_zone or DEFAULT_TIME_ZONE)

    def describe(self) -> str:
        start, end = self.starts_at.astimezone(self.zone), self.ends_at.astimezone(self.zone)
        return f"{self.kind}: {self.title}, {start:%a %d %b %H:%M}-{end:%H:%M %Z}"


def _source_name(connection_name: str | None, noun: str) -> str:
    return f"{connection_name} {noun}" if connection_name else noun.capitalize()


# The loaders read values, not model instances: a re-check of everyone reads tens of thousands of rows.
def _shifts(people: list[int] | None, start: dt.datetime, end: dt.datetime) -> Iterator[Work]:
    rows = ShiftRequest.objects.filter(assigned_professional__isnull=False, starts_at__lt=end, ends_at__gt=start)
    rows = rows.exclude(status=ShiftRequest.Status.CANCELLED).filter(archived_at__isnull=True)
    if people is not None:
        rows = rows.filter(assigned_professional_id__in=people)
    fields = (
        "pk",
        "assigned_professional_id",
        "starts_at",
        "ends_at",
        "facility_id",
        "time_zone",
        "facility__time_zone",
    )
    names = ("professional_type", "facility__name", "unit", "connection__name")
    for pk, person, starts_at, ends_at, facility, zone, facility_zone, kind, place, unit, source in rows.values_list(
        *fields, *names
    ):
        title = f"{kind} at {place}, {unit}"
        ref = ("shifts.shiftrequest", pk)
        yield Work(
            person, starts_at, ends_at, _source_name(source, "shift"), title, ref, facility, zone or facility_zone
        )


def _visits(people: list[int] | None, start: dt.datetime, end: dt.datetime) -> Iterator[Work]:
    rows = Visit.objects.filter(caregiver__isnull=False, archived_at__isnull=True, starts_at__lt=end, ends_at__gt=start)
    rows = rows.exclude(status__in=[Visit.Status.CANCELLED, Visit.Status.MISSED])
    if people is not None:
        rows = rows.filter(caregiver_id__in=people)
    fields = ("pk", "caregiver_id", "starts_at", "ends_at", "time_zone", "service_name", "connection__name")
    patient = ("patient__first_name", "patient__last_name")
    for pk, person, starts_at, ends_at, zone, service, source, first, last in rows.values_list(*fields, *patient):
        who = f"{first or ''} {last or ''}".strip() or "a patient"
        title = f"{service or 'Visit'} with {who}"
        yield Work(person, starts_at, ends_at, _source_name(source, "visit"), title, ("shifts.visit", pk), None, zone)


def _contract_events(people: list[int] | None, start: dt.datetime, end: dt.datetime) -> Iterator[Work]:
    rows = ContractEvent.objects.filter(
        beneficiary__talent__isnull=False,
        archived_at__isnull=True,
        starts_at__lt=end,
        starts_at__gt=start - LONGEST_PIECE,
    )
    if people is not None:
        rows = rows.filter(beneficiary__talent_id__in=people)
    fields = ("pk", "beneficiary__talent_id", "starts_at", "duration_minutes", "time_zone", "label", "contract__label")
    for pk, person, starts_at, minutes, zone, label, contract, source in rows.values_list(*fields, "connection__name"):
        ends_at = starts_at + dt.timedelta(minutes=minutes)
        ref = ("contracts.contractevent", pk)
        yield Work(
            person, starts_at, ends_at, _source_name(source, "contract event"), label or contract, ref, None, zone
        )


def _slot_bookings(people: list[int] | None, start: dt.datetime, end: dt.datetime) -> Iterator[Work]:
    """Pending and booked slots (a refused one books nobody), under the record they are for, so a re-booking of
    that record is not held against its own slot. A slot that filled its shift or visit with its person is left
    out: the record's own hours are read already; one on a record a vendor holds keeps the slot's hours."""
    rows = SlotBooking.objects.filter(
        state__in=(SlotBooking.State.PENDING, SlotBooking.State.BOOKED), slot_starts_at__lt=end, slot_ends_at__gt=start
    )
    rows = rows.exclude(shift__assigned_professional=F("profile")).exclude(visit__caregiver=F("profile"))
    if people is not None:
        rows = rows.filter(profile_id__in=people)
    fields = ("profile_id", "slot_starts_at", "slot_ends_at", "shift_id", "visit_id", "requisition_id")
    places = ("shift__facility_id", "requisition__facility_id", "shift__facility__name", "requisition__name")
    zones = ("shift__time_zone", "shift__facility__time_zone", "visit__time_zone", "requisition__facility__time_zone")
    for person, starts_at, ends_at, shift, visit, requisition, *where, source in rows.values_list(
        *fields, *places, *zones, "connection__name"
    ):
        shift_place, requisition_place, shift_name, requisition_name, *zone_names = where
        if shift:
            ref, title = ("shifts.shiftrequest", shift), f"Shift at {shift_name}"
        elif visit:
            ref, title = ("shifts.visit", visit), "Visit"
        else:
            ref, title = ("jobs.jobrequisition", requisition), requisition_name
        zone = next((name for name in zone_names if name), DEFAULT_TIME_ZONE)
        yield Work(
            person, starts_at, ends_at, _source_name(source, "booking"), title, ref, shift_place or requisition_place,
            zone,
        )  # fmt: skip


def _engagement_days(engagement: Engagement, start: dt.datetime, end: dt.datetime) -> Iterator[Work]:
    """A placement's working days from its shift hours (`contracts.schedule`); without shift hours, the placement
    as one untimed piece, from its first day's midnight to its last day's end."""
    if not engagement.starts_on:
        return
    zone = engagement_zone(engagement)
    source = _source_name(engagement.connection.name if engagement.connection_id else None, "engagement")
    place = engagement.facility.name if engagement.facility_id else "placement"
    ref = ("contracts.engagement", engagement.pk)
    if not timed(engagement):
        yield Work(engagement.talent_id, *placement_span(engagement), source, place, ref, engagement.facility_id, zone,
                   timed=False)  # fmt: skip
        return
    days = working_days(engagement, (start - LONGEST_PIECE).date(), (end + LONGEST_PIECE).date())
    for day, piece_start, piece_end in days:
        if piece_start < end and start < piece_end:
            title = f"{place} ({day:%d %b})"
            yield Work(engagement.talent_id, piece_start, piece_end, source, title, ref, engagement.facility_id, zone)


def _engagements(people: list[int] | None, start: dt.datetime, end: dt.datetime) -> Iterator[Work]:
    """Booked placements running into the window, their extensions included (read in the same query)."""
    rows = Engagement.objects.filter(talent__isnull=False, status__in=BOOKED, archived_at__isnull=True)
    rows, since = with_extensions(rows), (start - LONGEST_PIECE).date()
    rows = rows.filter(starts_on__lte=(end + LONGEST_PIECE).date()).filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=since) | Q(**{f"{EXTENDED_TO}__gte": since})
    )
    if people is not None:
        rows = rows.filter(talent_id__in=people)
    for engagement in rows.select_related("facility", "connection"):
        yield from _engagement_days(engagement, start, end)


Loader = Callable[[list[int] | None, dt.datetime, dt.datetime], Iterable[Work]]
LOADERS: tuple[Loader, ...] = (_shifts, _visits, _slot_bookings, _contract_events, _engagements)


def load_work(people: Iterable[int] | None, start: dt.datetime, end: dt.datetime) -> dict[int, list[Work]]:
    """Every source's work overlapping [start, end), by person, in time order: one query per source."""
    wanted = None if people is None else list(people)
    found: dict[int, list[Work]] = {}
    for loader in LOADERS:
        for work in loader(wanted, start, end):
            if work.starts_at < end and start < work.ends_at:
                found.setdefault(work.profile_id, []).append(work)
    for pieces in found.values():
        pieces.sort(key=lambda w: (w.starts_at, w.ref))
    return found
