"""Today's figures (issue 18 item 1), computed in the coordinator's zone with a fixed number of queries.

Each figure is a count (or amount) and the address of the page listing the records behind it, so the page, the
REST API (`/api/v1/dashboard/`) and the digest show the same numbers with the same links. Every query groups or
aggregates in the database: the number of queries does not grow with the number of shifts, visits or
transactions (tests/dashboard/test_query_counts.py).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.db.models import Count, DurationField, ExpressionWrapper, F, Min, Q, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone

from portal.billing.models import Transaction
from portal.contracts.models import EXPIRY_WARNING, CredentialingRequirement, Engagement
from portal.core.timezones import agency_zone, local_midnight
from portal.dashboard import links
from portal.gate.models import Finding, Severity
from portal.jobs.filters import IDLE_DAYS
from portal.jobs.models import JobRequisition
from portal.shifts.forms import ATTENTION_WINDOW, URGENT_WINDOW
from portal.shifts.models import ShiftRequest, Visit

__all__ = [
    "CurrencyWaiting",
    "DayFill",
    "FacilityShifts",
    "Figure",
    "FillRate",
    "TodayFigures",
    "today_figures",
]

AHEAD_DAYS = 30
TREND_DAYS = 30
Shift = ShiftRequest.Status
WORKED = (Shift.FILLED, Shift.COMPLETED)


@dataclass(frozen=True)
class Figure:
    """A number and the page that lists what it counts."""

    value: int
    href: str


@dataclass(frozen=True)
class FacilityShifts:
    facility_id: int
    facility: str
    open: Figure
    urgent: Figure
    portal_only: int


@dataclass(frozen=True)
class DayFill:
    """One day of shifts that started: requested (not cancelled), filled (or worked), cancelled apart."""

    day: dt.date
    requested: int
    filled: int
    cancelled: int

    @property
    def rate(self) -> float | None:
        return round(100 * self.filled / self.requested, 1) if self.requested else None


@dataclass(frozen=True)
class FillRate:
    days: int
    requested: Figure
    filled: Figure
    cancelled: Figure

    @property
    def rate(self) -> float | None:
        return round(100 * self.filled.value / self.requested.value, 1) if self.requested.value else None


@dataclass(frozen=True)
class CurrencyWaiting:
    currency: str
    count: Figure
    amount: Decimal
    oldest: dt.datetime
    oldest_href: str


@dataclass
class TodayFigures:
    zone: ZoneInfo
    now: dt.datetime
    today: dt.date
    shifts_by_facility: list[FacilityShifts] = field(default_factory=list)
    open_shifts: Figure | None = None
    urgent_shifts: Figure | None = None
    visits_without_caregiver_today: Figure | None = None
    visits_without_caregiver_tomorrow: Figure | None = None
    fill_rates: list[FillRate] = field(default_factory=list)
    fill_trend: list[DayFill] = field(default_factory=list)
    median_time_to_fill: dt.timedelta | None = None
    approvals: list[CurrencyWaiting] = field(default_factory=list)
    engagements_starting: Figure | None = None
    engagements_ending: Figure | None = None
    idle_requisitions: Figure | None = None
    credentials_expired: Figure | None = None
    credentials_expiring: Figure | None = None
    findings_blocking: Figure | None = None
    findings_warning: Figure | None = None
    vendor_health: list = field(default_factory=list)  # vendor_health.ConnectionHealth, filled by the caller

    @property
    def approvals_waiting(self) -> int:
        return sum(waiting.count.value for waiting in self.approvals)


def today_figures(zone: ZoneInfo, now: dt.datetime | None = None) -> TodayFigures:
    """Every figure of Today for a coordinator whose day is read in `zone`: nine queries."""
    now = now or timezone.now()
    figures = TodayFigures(zone=zone, now=now, today=now.astimezone(zone).date())
    _unfilled_shifts(figures)
    _visits_without_caregiver(figures)
    _fill_rates(figures)
    _median_time_to_fill(figures)
    _approvals(figures)
    _engagements_ahead(figures)
    _idle_requisitions(figures)
    _credentials(figures)
    _gate_findings(figures)
    return figures


def _unfilled_shifts(figures: TodayFigures) -> None:
    """Open shifts starting within 48 h, by facility; those within 12 h are urgent. IntelyCare's and the portal's
    own (not sent to any vendor) alike: the latter are counted apart so a coordinator knows who can fill them."""
    now = figures.now
    rows = (
        ShiftRequest.objects.filter(
            status=Shift.OPEN, archived_at=None, starts_at__gte=now, starts_at__lt=now + ATTENTION_WINDOW
        )
        .values("facility_id", "facility__name")
        .annotate(
            open=Count("id"),
            urgent=Count("id", filter=Q(starts_at__lt=now + URGENT_WINDOW)),
            portal_only=Count("id", filter=Q(connection__isnull=True)),
        )
        .order_by("-urgent", "-open", "facility__name")
    )
    figures.shifts_by_facility = [
        FacilityShifts(
            facility_id=row["facility_id"],
            facility=row["facility__name"],
            open=Figure(row["open"], links.open_shifts(row["facility_id"])),
            urgent=Figure(row["urgent"], links.urgent_shifts(row["facility_id"])),
            portal_only=row["portal_only"],
        )
        for row in rows
    ]
    figures.open_shifts = Figure(sum(f.open.value for f in figures.shifts_by_facility), links.open_shifts())
    figures.urgent_shifts = Figure(sum(f.urgent.value for f in figures.shifts_by_facility), links.urgent_shifts())


def _visits_without_caregiver(figures: TodayFigures) -> None:
    """Alaunus visits still to happen today and tomorrow (the coordinator's days) that have no caregiver."""
    today, zone = figures.today, figures.zone
    start, middle, end = (local_midnight(today + dt.timedelta(days=n), zone) for n in range(3))
    counts = Visit.objects.filter(
        caregiver=None, archived_at=None, status=Visit.Status.SCHEDULED, starts_at__gte=start, starts_at__lt=end
    ).aggregate(
        today=Count("id", filter=Q(starts_at__lt=middle)), tomorrow=Count("id", filter=Q(starts_at__gte=middle))
    )
    figures.visits_without_caregiver_today = Figure(counts["today"], links.unassigned_visits(today))
    tomorrow = today + dt.timedelta(days=1)
    figures.visits_without_caregiver_tomorrow = Figure(counts["tomorrow"], links.unassigned_visits(tomorrow))


def _fill_rates(figures: TodayFigures) -> None:
    """Shifts of the last 30 local days, today included, by day and status: the 14- and 30-day rates and the
    daily trend come from one grouped query. Whole days, so each figure is what the board lists for those days."""
    today, zone = figures.today, figures.zone
    first = today - dt.timedelta(days=TREND_DAYS - 1)
    rows = (
        ShiftRequest.objects.filter(
            archived_at=None,
            starts_at__gte=local_midnight(first, zone),
            starts_at__lt=local_midnight(today + dt.timedelta(days=1), zone),
        )
        .annotate(day=TruncDate("starts_at", tzinfo=zone))
        .values("day", "status")
        .annotate(n=Count("id"))
        .order_by()
    )
    by_day: dict[dt.date, dict[str, int]] = {}
    for row in rows:
        by_day.setdefault(row["day"], {})[row["status"]] = row["n"]
    trend = []
    for offset in range(TREND_DAYS):
        day = first + dt.timedelta(days=offset)
        counts = by_day.get(day, {})
        cancelled = counts.get(Shift.CANCELLED, 0)
        requested = sum(counts.values()) - cancelled
        trend.append(DayFill(day, requested, sum(counts.get(s, 0) for s in WORKED), cancelled))
    figures.fill_trend = trend
    figures.fill_rates = [_fill_rate(trend[-days:], days, today) for days in (14, 30)]


def _fill_rate(days: list[DayFill], length: int, today: dt.date) -> FillRate:
    first = today - dt.timedelta(days=length - 1)
    return FillRate(
        days=length,
        requested=Figure(sum(d.requested for d in days), links.shifts_between(first, today, outcome="requested")),
        filled=Figure(sum(d.filled for d in days), links.shifts_between(first, today, outcome="worked")),
        cancelled=Figure(sum(d.cancelled for d in days), links.shifts_between(first, today, status=Shift.CANCELLED)),
    )


def _median_time_to_fill(figures: TodayFigures) -> None:
    """Median of (accepted - requested) over shifts filled in the last 30 days. Two queries: the count, then the
    middle row(s) by offset, which both SQLite (the demo) and PostgreSQL answer."""
    since = figures.now - dt.timedelta(days=TREND_DAYS)
    filled = ShiftRequest.objects.filter(
        status=Shift.FILLED,
        status_changed_at__gte=since,
        status_changed_at__lte=figures.now,  # a vendor clock ahead of ours is not a fill yet
        status_changed_at__gt=F("created_at"),
    ).annotate(wait=ExpressionWrapper(F("status_changed_at") - F("created_at"), output_field=DurationField()))
    total = filled.count()
    # Asked even when there is none, so the page's query count does not depend on the data.
    middle = list(filled.order_by("wait").values_list("wait", flat=True)[max(0, total - 1) // 2 : total // 2 + 1])
    if middle:
        figures.median_time_to_fill = sum(middle, dt.timedelta()) / len(middle)


def _approvals(figures: TodayFigures) -> None:
    """Ceki transactions waiting for approval: count and amount per currency, and the oldest."""
    rows = (
        Transaction.objects.filter(status=Transaction.Status.PENDING, archived_at=None)
        .values("currency")
        .annotate(count=Count("id"), amount=Sum("amount"), oldest=Min("occurred_at"))
        .order_by("currency")
    )
    figures.approvals = [
        CurrencyWaiting(
            currency=row["currency"],
            count=Figure(row["count"], links.approvals(currency=row["currency"])),
            amount=row["amount"],
            oldest=row["oldest"],
            # The approvals page reads its dates on the agency's clock.
            oldest_href=links.approvals(currency=row["currency"], until=row["oldest"].astimezone(agency_zone()).date()),
        )
        for row in rows
    ]


def _engagements_ahead(figures: TodayFigures) -> None:
    """Kamana engagements, not complete, starting or ending within the next 30 days (today included)."""
    today = figures.today
    last = today + dt.timedelta(days=AHEAD_DAYS)
    counts = (
        Engagement.objects.filter(archived_at=None)
        .exclude(status=Engagement.Status.COMPLETE)
        .aggregate(
            starting=Count("id", filter=Q(starts_on__gte=today, starts_on__lte=last)),
            ending=Count("id", filter=Q(ends_on__gte=today, ends_on__lte=last)),
        )
    )
    figures.engagements_starting = Figure(counts["starting"], links.engagements(starts=(today, last)))
    figures.engagements_ending = Figure(counts["ending"], links.engagements(ends=(today, last)))


def _idle_requisitions(figures: TodayFigures) -> None:
    """Open requisitions at least 5 days old with no candidate activity (an engagement made or moved) in 5 days."""
    since = figures.now - dt.timedelta(days=IDLE_DAYS)
    count = JobRequisition.objects.idle(since).count()
    figures.idle_requisitions = Figure(count, links.idle_requisitions())


def _credentials(figures: TodayFigures) -> None:
    """Credentials expired, or expiring within 30 days, of people whose engagement is not over."""
    now = figures.now
    counts = (
        CredentialingRequirement.objects.for_work_ahead(figures.today)
        .filter(expires_at__lte=now + EXPIRY_WARNING)
        .aggregate(
            expired=Count("id", filter=Q(expires_at__lte=now)), expiring=Count("id", filter=Q(expires_at__gt=now))
        )
    )
    figures.credentials_expired = Figure(counts["expired"], links.credentials())
    figures.credentials_expiring = Figure(counts["expiring"], links.credentials())


def _gate_findings(figures: TodayFigures) -> None:
    """The gate's open findings (issue 19, "on the home page") of work not yet over, blocks and warnings apart: what
    the findings page lists with the same filters (acknowledged ones have been seen, so they are not counted)."""
    counts = Finding.objects.filter(state=Finding.State.OPEN, work_ends_at__gt=figures.now).aggregate(
        blocking=Count("id", filter=Q(severity=Severity.BLOCK)), warning=Count("id", filter=Q(severity=Severity.WARN))
    )
    figures.findings_blocking = Figure(counts["blocking"], links.findings(Severity.BLOCK))
    figures.findings_warning = Figure(counts["warning"], links.findings(Severity.WARN))
