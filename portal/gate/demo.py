"""Demo findings (issue 19, "Done when"): a few people whose work collides across sources, so the findings page
shows real ones, and one person held twice for the who-is-who queue. Runs after the other apps' seeders."""

from __future__ import annotations

import datetime as dt
import random

from django.utils import timezone

from portal.contracts.models import CredentialingRequirement, Engagement
from portal.gate import duplicates, services
from portal.gate.models import DoNotReturn
from portal.jobs.models import Facility
from portal.shifts.models import ShiftRequest, Visit
from portal.talent.models import TalentProfile

__all__ = ["seed"]


def _filled_shift(rng: random.Random, facility: Facility, person: TalentProfile, start: dt.datetime) -> ShiftRequest:
    shift = ShiftRequest(
        facility=facility,
        unit=rng.choice(["ICU", "2 West", "Memory Care"]),
        professional_type="RN",
        starts_at=start,
        ends_at=start + dt.timedelta(hours=8),
        time_zone=facility.time_zone,
        status=ShiftRequest.Status.FILLED,
        assigned_professional=person,
    )
    shift.save()
    return shift


def seed(rng: random.Random, scale: int) -> dict[str, int]:
    facilities = list(Facility.objects.order_by("id")[:3])
    people = list(TalentProfile.objects.order_by("id")[:4])
    if len(facilities) < 2 or len(people) < 4:
        return {"findings": 0}
    tomorrow = timezone.now().replace(minute=0, second=0, microsecond=0) + dt.timedelta(days=1)
    double, tired, barred, lapsed = people
    # An overlap: a shift and a home-care visit at the same hour.
    _filled_shift(rng, facilities[0], double, tomorrow)
    Visit.objects.create(
        caregiver=double, service_name="Skilled nursing visit", starts_at=tomorrow + dt.timedelta(hours=3),
        ends_at=tomorrow + dt.timedelta(hours=4), time_zone=facilities[0].time_zone,
    )  # fmt: skip
    # Too little rest: a night visit ending three hours before a day shift.
    Visit.objects.create(
        caregiver=tired, service_name="Respite care", starts_at=tomorrow - dt.timedelta(hours=6),
        ends_at=tomorrow - dt.timedelta(hours=3), time_zone=facilities[1].time_zone,
    )  # fmt: skip
    _filled_shift(rng, facilities[1], tired, tomorrow)
    # Do-not-return at the facility of an upcoming shift.
    _filled_shift(rng, facilities[1], barred, tomorrow + dt.timedelta(days=2))
    DoNotReturn.objects.get_or_create(
        profile=barred, facility=facilities[1], defaults={"reason": "Facility asked: left a shift early"}
    )
    # A credential lapsing before an upcoming shift.
    shift = _filled_shift(rng, facilities[0], lapsed, tomorrow + dt.timedelta(days=3))
    engagement = Engagement.objects.create(talent=lapsed, facility=facilities[0], status=Engagement.Status.PLACED)
    CredentialingRequirement.objects.create(
        engagement=engagement, name="BLS - Basic Life Support", kind=CredentialingRequirement.Kind.CERTIFICATION,
        status=CredentialingRequirement.Status.VERIFIED, expires_at=shift.starts_at - dt.timedelta(days=1),
    )  # fmt: skip
    # One person held twice: another email, the same phone (once, however often the demo is seeded).
    if not double.phone:
        double.phone = "312-555-0147"
        double.save(update_fields=["phone", "updated_at"])
    TalentProfile.objects.get_or_create(
        email=f"{double.first_name}.{double.last_name}@other-agency.test".lower(),
        defaults={"first_name": double.first_name, "last_name": double.last_name, "phone": double.phone},
    )
    found = services.recheck_upcoming()
    suggested = duplicates.refresh_suggestions()
    return {"findings": found["raised"], "duplicate_suggestions": suggested["suggested"]}
