"""What the shifts app adds to a person's timeline: the shifts and home-care visits they worked."""

from __future__ import annotations

from collections.abc import Iterator

from portal.shifts.models import ShiftRequest, Visit
from portal.talent.models import TalentProfile
from portal.talent.timeline import TimelineEntry, TimelineQuery, source_of

__all__ = ["worked_shifts", "worked_visits"]

WORKED_SHIFTS = (ShiftRequest.Status.FILLED, ShiftRequest.Status.COMPLETED)
WORKED_VISITS = (Visit.Status.IN_PROGRESS, Visit.Status.COMPLETED)


def worked_shifts(profile: TalentProfile, query: TimelineQuery) -> Iterator[TimelineEntry]:
    if query.requisition:
        return
    shifts = query.vendor(
        ShiftRequest.objects.filter(assigned_professional=profile, status__in=WORKED_SHIFTS).select_related(
            "connection", "facility"
        )
    )
    for shift in query.window(shifts, "starts_at"):
        yield TimelineEntry(
            shift.starts_at,
            *source_of(shift.connection),
            kind="shift",
            title=f"Shift {shift.get_status_display().lower()}: {shift.get_professional_type_display()}, "
            f"{shift.facility.name}",
            detail=f"{shift.unit}, {(shift.ends_at - shift.starts_at).total_seconds() / 3600:g} hours",
        )


def worked_visits(profile: TalentProfile, query: TimelineQuery) -> Iterator[TimelineEntry]:
    if query.requisition:
        return
    visits = query.vendor(
        Visit.objects.filter(caregiver=profile, status__in=WORKED_VISITS).select_related("connection")
    )
    for visit in query.window(visits, "starts_at"):
        yield TimelineEntry(
            visit.starts_at,
            *source_of(visit.connection),
            kind="visit",
            title=f"Visit {visit.get_status_display().lower()}: {visit.service_name or 'home care'}",
            detail=visit.address,
        )
