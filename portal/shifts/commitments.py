"""The shifts app's sources for `talent.availability`: IntelyCare shifts a professional holds and home-care visits
a caregiver is booked on (cancelled, missed or deleted ones are not commitments)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator

from portal.shifts.models import ShiftRequest, Visit
from portal.talent.availability import Commitment

__all__ = ["booked_visits", "held_shifts"]


def held_shifts(
    profile_ids: Iterable[int] | None, starts_at: dt.datetime, ends_at: dt.datetime
) -> Iterator[Commitment]:
    shifts = ShiftRequest.objects.filter(
        assigned_professional__isnull=False, starts_at__lt=ends_at, ends_at__gt=starts_at
    ).exclude(status=ShiftRequest.Status.CANCELLED)
    if profile_ids is not None:
        shifts = shifts.filter(assigned_professional_id__in=profile_ids)
    for shift in shifts.select_related("facility", "connection"):
        kind = f"{shift.connection.name} shift" if shift.connection_id else "Shift"
        title = f"{shift.get_professional_type_display()} at {shift.facility.name}, {shift.unit}"
        ref = ("shifts.shiftrequest", shift.pk)
        yield Commitment(shift.assigned_professional_id, shift.starts_at, shift.ends_at, kind, title, ref)


def booked_visits(
    profile_ids: Iterable[int] | None, starts_at: dt.datetime, ends_at: dt.datetime
) -> Iterator[Commitment]:
    visits = Visit.objects.filter(
        caregiver__isnull=False, archived_at__isnull=True, starts_at__lt=ends_at, ends_at__gt=starts_at
    ).exclude(status__in=[Visit.Status.CANCELLED, Visit.Status.MISSED])
    if profile_ids is not None:
        visits = visits.filter(caregiver_id__in=profile_ids)
    for visit in visits.select_related("patient"):
        title = f"{visit.service_name or 'Visit'} with {visit.patient or 'a patient'}"
        yield Commitment(visit.caregiver_id, visit.starts_at, visit.ends_at, "Visit", title, ("shifts.visit", visit.pk))
