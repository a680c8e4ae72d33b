"""Demo records that give Today (issue 18) something to say: a month of shift history for the fill-rate trend,
fill times, open shifts about to start, visits nobody covers yet, requisitions that went quiet, and the demo
users' preferences (the agency's zone, the daily digest on, so `var/mail/` receives one each morning).

It runs after every domain's own seeder and only adds to or dates back what they made.
"""

from __future__ import annotations

import datetime as dt
import random

from django.contrib.auth import get_user_model
from django.utils import timezone

from portal.core.timezones import agency_zone, local_midnight, local_to_utc
from portal.dashboard.models import CoordinatorPreferences
from portal.jobs.models import Facility, JobRequisition
from portal.shifts.models import ProfessionalType, ShiftRequest, Visit
from portal.talent.models import TalentProfile

__all__ = ["seed"]

HISTORY_DAYS = range(13, 31)  # the shift seeder covers the last twelve days; this reaches back to thirty
SHIFT_HOURS = (7, 15, 19)


def seed(rng: random.Random, scale: int) -> dict[str, int]:
    facilities = list(Facility.objects.order_by("id"))
    people = list(TalentProfile.objects.order_by("id"))
    if not facilities or not people:
        return {"history_shifts": 0}
    now = timezone.now()
    history = _history(rng, facilities, people, now, scale)
    urgent = [
        _shift(rng, rng.choice(facilities), now + dt.timedelta(hours=rng.randint(2, 10)), "open", None)
        for _ in range(3 * scale)
    ]
    return {
        "history_shifts": len(history),
        "urgent_open_shifts": len(urgent),
        "fill_times": _fill_times(rng, now),
        "uncovered_visits": _uncovered_visits(rng, now, scale),
        "quiet_requisitions": _quiet_requisitions(rng, now),
        "coordinator_preferences": _preferences(),
    }


def _shift(rng, facility, starts_at, status, person) -> ShiftRequest:
    return ShiftRequest.objects.create(
        facility=facility,
        unit=rng.choice(["ICU", "2 West", "Memory Care", "Med/Surg 4"]),
        professional_type=rng.choice([ProfessionalType.RN, ProfessionalType.LPN, ProfessionalType.CNA]),
        starts_at=starts_at,
        ends_at=starts_at + dt.timedelta(hours=8),
        status=status,
        assigned_professional=person,
        status_changed_at=starts_at - dt.timedelta(hours=rng.randint(6, 60)) if person else None,
    )


def _history(rng, facilities, people, now, scale) -> list[ShiftRequest]:
    """Two shifts a facility a day, filled more often as the month goes on, so the trend has a shape."""
    shifts = []
    for days_ago in HISTORY_DAYS:
        day = (now - dt.timedelta(days=days_ago)).astimezone(agency_zone()).date()
        fill_chance = 0.95 - days_ago / 100
        for facility in facilities:
            for _ in range(2 * scale):
                starts_at = local_to_utc(dt.datetime.combine(day, dt.time(rng.choice(SHIFT_HOURS))), facility.time_zone)
                roll = rng.random()
                status = "completed" if roll < fill_chance else "cancelled" if roll < fill_chance + 0.05 else "open"
                person = rng.choice(people) if status == "completed" else None
                shifts.append(_shift(rng, facility, starts_at, status, person))
    return shifts


def _fill_times(rng, now) -> int:
    """A shift row is created when the portal asks for it: date the asks back before the fills they led to, and
    the fills of shifts still ahead back to the last few days (the shift seeder puts some in the future)."""
    filled = ShiftRequest.objects.filter(status__in=("filled", "completed"), status_changed_at__isnull=False)
    count = 0
    for pk, changed in filled.values_list("pk", "status_changed_at"):
        changed = min(changed, now - dt.timedelta(hours=rng.randint(1, 72)))
        waited = dt.timedelta(hours=rng.randint(2, 52))
        ShiftRequest.objects.filter(pk=pk).update(status_changed_at=changed, created_at=changed - waited)
        count += 1
    return count


def _uncovered_visits(rng, now, scale) -> int:
    template = Visit.objects.exclude(patient=None).order_by("id").first()
    if template is None:
        return 0
    # By the coordinators' local days, whatever the hour the demo is seeded: today's later today when there is time
    # left (else earlier today), tomorrow's in tomorrow's working hours.
    zone = agency_zone()
    today = now.astimezone(zone).date()
    midnight, tomorrow = local_midnight(today, zone), local_midnight(today + dt.timedelta(days=1), zone)
    todays = [now + dt.timedelta(minutes=rng.randint(30, 90)) for _ in range(2 * scale)]
    todays = [at if at + dt.timedelta(hours=2) <= tomorrow else midnight + (now - midnight) / 2 for at in todays]
    tomorrows = [tomorrow + dt.timedelta(hours=rng.randint(8, 16)) for _ in range(scale)]
    for starts_at in todays + tomorrows:
        Visit.objects.create(
            client=template.client,
            patient=template.patient,
            service_name="Personal care",
            address=template.address,
            starts_at=starts_at,
            ends_at=starts_at + dt.timedelta(hours=2),
            time_zone=template.time_zone,
        )
    return 3 * scale


def _quiet_requisitions(rng, now) -> int:
    """Requisitions posted one to three weeks ago: those nobody was put forward for since are idle on Today."""
    open_ones = list(JobRequisition.objects.filter(status=JobRequisition.Status.OPEN).values_list("pk", flat=True))
    for pk in open_ones:
        JobRequisition.objects.filter(pk=pk).update(created_at=now - dt.timedelta(days=rng.randint(7, 21)))
    return len(open_ones)


def _preferences() -> int:
    users = get_user_model().objects.filter(username__in=("coordinator", "admin"))
    for user in users:
        CoordinatorPreferences.objects.update_or_create(
            user=user, defaults={"time_zone": str(agency_zone()), "digest_opt_in": True}
        )
    return len(users)
