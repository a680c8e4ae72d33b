"""The cross-vendor calendar (issue 18 item 4): shifts (IntelyCare and the portal's own), visits (Alaunus),
contract events (Ceki), engagement starts and ends (Kamana), by the local day of the calendar's zone.

Each source answers one query whatever the data's size: its first `cap` entries of every day, each with the
number its day holds (window functions rank and count them per local day, so a busy day costs no more rows than
a quiet one). A day shows its first `cap` entries of all sources together and "+K more" for the rest.
Work across midnight is drawn on every day it touches ("continued"); a day is local midnight to local midnight,
so a daylight-saving day lasts 23 or 25 hours and its entries keep their true local times. An entry the gate
holds an open finding against is marked (issue 19), in the same query.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from zoneinfo import ZoneInfo

from django.db.models import CharField, Count, Exists, F, OuterRef, Q, QuerySet, Value, Window
from django.db.models.functions import Cast, Concat, RowNumber, TruncDate
from django.urls import reverse

from portal.contracts.models import ContractEvent, Engagement
from portal.core.timezones import local_midnight
from portal.gate.models import Finding
from portal.shifts.models import ShiftRequest, Visit

__all__ = [
    "DAY_CAP",
    "PORTAL_ONLY",
    "CalendarDay",
    "CalendarEntry",
    "CalendarFilters",
    "calendar_days",
    "calendar_entries",
]

DAY_CAP = 6
PORTAL_ONLY = "portal"  # the vendor filter's value for records sent to no vendor
# The vendor's raw payload can be kilobytes a row; an entry needs none of it.
PAYLOAD = ("vendor_data", "vendor_problems")


@dataclass(frozen=True)
class CalendarFilters:
    facility: int | None = None
    person: int | None = None
    vendor: str | None = None


@dataclass(frozen=True)
class CalendarEntry:
    """One thing on the calendar. Timed entries have instants; engagement starts and ends are whole days."""

    kind: str  # shift, visit, contract-event, engagement
    uid: str
    title: str
    href: str
    starts_at: dt.datetime | None = None
    ends_at: dt.datetime | None = None
    day: dt.date | None = None  # all-day entries
    zone: str = ""
    continued: bool = False  # drawn on a day after the one it started
    when: str = ""  # its times on the calendar's clock, as the day shows them ("23:00-07:00 (next day)")
    finding: bool = False  # the gate holds an open finding against the record (issue 19)

    def sort_key(self) -> tuple:
        return (self.starts_at is not None, self.starts_at or dt.datetime.min.replace(tzinfo=dt.UTC), self.uid)


@dataclass
class CalendarDay:
    day: dt.date
    entries: list[CalendarEntry] = field(default_factory=list)
    more: int = 0
    in_range: bool = True

    # Labels made here once, not by a template filter per use: a month has 42 days.
    @property
    def iso(self) -> str:
        return self.day.isoformat()

    @property
    def label(self) -> str:
        return f"{self.day:%a} {self.day.day} {self.day:%b}"

    @property
    def long_label(self) -> str:
        return f"{self.day:%A} {self.day.day} {self.day:%B %Y}"


@dataclass(frozen=True)
class Source:
    """A model on the calendar: its rows in a range (filtered), the field its day is read from, its entries."""

    rows: Callable[[CalendarFilters], QuerySet]
    start_field: str
    timed: bool
    make_entries: Callable[[object], list[CalendarEntry]]
    label: str  # the model's label, as the gate's findings name the work (`<label>:<pk>`)

    def with_findings(self, rows: QuerySet) -> QuerySet:
        """Each row marked when the gate holds an open finding against it: a subquery, no query more."""
        ref = Concat(Value(f"{self.label}:"), Cast(OuterRef("pk"), CharField()), output_field=CharField())
        return rows.annotate(open_finding=Exists(Finding.objects.filter(work_ref=ref, state=Finding.State.OPEN)))

    def entries(self, row: object) -> list[CalendarEntry]:
        return [replace(entry, finding=row.open_finding) for entry in self.make_entries(row)]


def calendar_days(
    first: dt.date, last: dt.date, zone: ZoneInfo, filters: CalendarFilters, cap: int = DAY_CAP
) -> list[CalendarDay]:
    """Days `first`..`last` in `zone`, each with at most `cap` entries (continued ones on top) and its "+K more"."""
    days = {
        first + dt.timedelta(days=n): CalendarDay(first + dt.timedelta(days=n)) for n in range((last - first).days + 1)
    }
    totals: dict[dt.date, int] = dict.fromkeys(days, 0)
    started: dict[dt.date, list[CalendarEntry]] = {day: [] for day in days}
    continued: dict[dt.date, list[CalendarEntry]] = {day: [] for day in days}
    for source in SOURCES:
        # From the day before: last night's shifts continue into the first day.
        day_totals = {}
        for row in _rows(source, first - dt.timedelta(days=1), last, zone, filters, cap):
            day_totals[row.calendar_day] = row.day_total
            for entry in source.entries(row):
                _place(entry, zone, started, continued)
        for day, count in day_totals.items():
            if day in totals:
                totals[day] += count
    for day, calendar_day in days.items():
        shown = sorted(started[day], key=CalendarEntry.sort_key)[:cap]
        calendar_day.entries = sorted(continued[day], key=CalendarEntry.sort_key) + shown
        calendar_day.more = totals[day] - len(shown)
    return list(days.values())


def _place(entry: CalendarEntry, zone: ZoneInfo, started: dict[dt.date, list], continued: dict[dt.date, list]) -> None:
    if entry.starts_at is None:
        if entry.day in started:
            started[entry.day].append(entry)
        return
    starts, ends = entry.starts_at.astimezone(zone), entry.ends_at.astimezone(zone)
    start_day = starts.date()
    # The instant an entry ends at midnight belongs to the day before: a shift ending 00:00 does not continue.
    end_day = (entry.ends_at - dt.timedelta(microseconds=1)).astimezone(zone).date()
    if start_day in started:
        later = " (next day)" if end_day > start_day else ""
        started[start_day].append(replace(entry, when=f"{starts:%H:%M}\u2013{ends:%H:%M}{later}"))
    day = start_day + dt.timedelta(days=1)
    while day <= end_day:
        if day in continued:
            continued[day].append(replace(entry, continued=True, when=f"until {ends:%H:%M}"))
        day += dt.timedelta(days=1)


def _bounds(source: Source, first: dt.date, last: dt.date, zone: ZoneInfo) -> Q:
    name = source.start_field
    if source.timed:
        return Q(
            **{
                f"{name}__gte": local_midnight(first, zone),
                f"{name}__lt": local_midnight(last + dt.timedelta(days=1), zone),
            }
        )
    return Q(**{f"{name}__gte": first, f"{name}__lte": last})


def _day_of(source: Source, zone: ZoneInfo):
    return TruncDate(source.start_field, tzinfo=zone) if source.timed else F(source.start_field)


def calendar_entries(first: dt.date, last: dt.date, zone: ZoneInfo, filters: CalendarFilters) -> list[CalendarEntry]:
    """Every entry starting on days `first`..`last` in `zone`, uncapped (the iCalendar feed): one query a source."""
    return [
        entry
        for source in SOURCES
        for row in source.with_findings(source.rows(filters).filter(_bounds(source, first, last, zone))).order_by(
            source.start_field, "id"
        )
        for entry in source.entries(row)
    ]


def _rows(
    source: Source, first: dt.date, last: dt.date, zone: ZoneInfo, filters: CalendarFilters, cap: int
) -> Iterable:
    """The first `cap` rows of each local day, each carrying its day and how many rows that day holds in all: one
    query, ranked and counted per day by window functions, so a busy day sends no more rows than a quiet one."""
    day = _day_of(source, zone)
    return (
        source.with_findings(source.rows(filters).filter(_bounds(source, first, last, zone)))
        .annotate(
            calendar_day=day,
            rank=Window(RowNumber(), partition_by=[day], order_by=[F(source.start_field), F("id")]),
            day_total=Window(Count("id"), partition_by=[day]),
        )
        .filter(rank__lte=cap)
        .order_by(source.start_field, "id")
    )


def _vendor(query: QuerySet, filters: CalendarFilters) -> QuerySet:
    if filters.vendor == PORTAL_ONLY:
        return query.filter(connection__isnull=True)
    if filters.vendor:
        return query.filter(connection__vendor=filters.vendor)
    return query


# -- the sources ---------------------------------------------------------------------------------------------------
def _shifts(filters: CalendarFilters) -> QuerySet:
    query = ShiftRequest.objects.filter(archived_at=None).exclude(status=ShiftRequest.Status.CANCELLED)
    if filters.facility:
        query = query.filter(facility_id=filters.facility)
    if filters.person:
        query = query.filter(assigned_professional_id=filters.person)
    return _vendor(query, filters).select_related("facility", "assigned_professional").defer(*PAYLOAD)


def _shift_entries(shift: ShiftRequest) -> list[CalendarEntry]:
    who = str(shift.assigned_professional) if shift.assigned_professional else "open"
    return [
        CalendarEntry(
            kind="shift",
            uid=f"shift-{shift.pk}",
            title=f"{shift.professional_type} {shift.unit}, {shift.facility.name} ({who})",
            href=reverse("shifts:detail", args=[shift.pk]),
            starts_at=shift.starts_at,
            ends_at=shift.ends_at,
            zone=shift.time_zone,
        )
    ]


def _visits(filters: CalendarFilters) -> QuerySet:
    query = Visit.objects.filter(archived_at=None).exclude(status=Visit.Status.CANCELLED)
    if filters.facility:
        return query.none()  # a home visit is at a patient's home, not at a facility
    if filters.person:
        query = query.filter(caregiver_id=filters.person)
    return _vendor(query, filters).select_related("caregiver", "patient").defer(*PAYLOAD)


def _visit_entries(visit: Visit) -> list[CalendarEntry]:
    who = str(visit.caregiver) if visit.caregiver else "no caregiver"
    week = visit.local_starts_at.date().isoformat()
    return [
        CalendarEntry(
            kind="visit",
            uid=f"visit-{visit.pk}",
            title=f"{visit.service_name or 'Visit'}, {visit.patient or 'patient'} ({who})",
            href=f"{reverse('shifts:visits')}?week={week}",
            starts_at=visit.starts_at,
            ends_at=visit.ends_at,
            zone=visit.time_zone,
        )
    ]


def _contract_events(filters: CalendarFilters) -> QuerySet:
    query = ContractEvent.objects.filter(archived_at=None)
    if filters.facility:
        return query.none()  # Ceki contracts name no facility
    if filters.person:
        query = query.filter(beneficiary__talent_id=filters.person)
    return _vendor(query, filters).select_related("contract", "beneficiary__talent").defer(*PAYLOAD)


def _contract_event_entries(event: ContractEvent) -> list[CalendarEntry]:
    who = event.beneficiary.talent if event.beneficiary and event.beneficiary.talent else None
    return [
        CalendarEntry(
            kind="contract-event",
            uid=f"contract-event-{event.pk}",
            title=f"{event.label or 'Event'}, {event.contract.label}" + (f" ({who})" if who else ""),
            href=reverse("billing:contract", args=[event.contract_id]),
            starts_at=event.starts_at,
            ends_at=event.starts_at + dt.timedelta(minutes=event.duration_minutes),
            zone=event.time_zone,
        )
    ]


def _engagements(filters: CalendarFilters) -> QuerySet:
    # A complete engagement stays only when its assignment ran its course: a cancelled or declined one never starts.
    query = Engagement.objects.filter(archived_at=None).exclude(
        Q(status=Engagement.Status.COMPLETE) & ~Q(sub_status=Engagement.SubStatus.ASSIGNMENT_COMPLETE)
    )
    if filters.facility:
        query = query.filter(
            Q(facility_id=filters.facility) | Q(facility__isnull=True, job_requisition__facility_id=filters.facility)
        )
    if filters.person:
        query = query.filter(talent_id=filters.person)
    return _vendor(query, filters).select_related("talent", "job_requisition").defer(*PAYLOAD)


def _engagement_entry(engagement: Engagement, what: str, day: dt.date) -> CalendarEntry:
    job = f" on {engagement.job_requisition.name}" if engagement.job_requisition else ""
    return CalendarEntry(
        kind="engagement",
        uid=f"engagement-{engagement.pk}-{what.lower()}",
        title=f"{what}: {engagement.talent or 'engagement'}{job}",
        href=reverse("contracts:engagement", args=[engagement.pk]),
        day=day,
    )


ENGAGEMENT = "contracts.engagement"
SOURCES: tuple[Source, ...] = (
    Source(_shifts, "starts_at", True, _shift_entries, "shifts.shiftrequest"),
    Source(_visits, "starts_at", True, _visit_entries, "shifts.visit"),
    Source(_contract_events, "starts_at", True, _contract_event_entries, "contracts.contractevent"),
    Source(_engagements, "starts_on", False, lambda e: [_engagement_entry(e, "Starts", e.starts_on)], ENGAGEMENT),
    Source(_engagements, "ends_on", False, lambda e: [_engagement_entry(e, "Ends", e.ends_on)], ENGAGEMENT),
)
