"""Demo findings (issue 19, "Done when"): people whose work collides across vendors — an IntelyCare shift and an
Alaunus visit at the same hour, a night visit before a day shift, a Kamana placement day and a Ceki contract event
at once, a Ceki event late at night before an early shift — so the findings page and Today show real findings; a
do-not-return and a lapsing credential; and one person held twice for the who-is-who queue. Runs after the other
apps' seeders.

The work carries the vendors' connections under the names `bin/demo` connects the sandboxes by, made here
inactive when missing (`connect` then finds and activates them). It has no vendor ids, so no sync archives it.
"""

from __future__ import annotations

import datetime as dt
import random

from django.utils import timezone

from portal.contracts.models import (
    Contract,
    ContractEvent,
    ContractParticipant,
    CredentialingRequirement,
    Engagement,
)
from portal.core.timezones import local_to_utc, to_local
from portal.gate import duplicates, services
from portal.gate.models import DoNotReturn
from portal.integrations.models import VendorConnection
from portal.jobs.models import Facility
from portal.shifts.models import ShiftRequest, Visit
from portal.talent.models import TalentProfile

__all__ = ["seed"]

# The names bin/demo gives the sandboxes' connections.
CONNECTIONS = {
    "intelycare": "IntelyCare (sandbox)",
    "alaunus": "Alaunus (sandbox)",
    "kamana": "Kamana (sandbox)",
    "ceki": "Ceki (sandbox)",
}
SANDBOX = "http://127.0.0.1:8100"


def _connection(vendor: str) -> VendorConnection:
    found = VendorConnection.objects.filter(vendor=vendor).order_by("id").first()
    if found is not None:
        return found
    return VendorConnection.objects.create(
        vendor=vendor, name=CONNECTIONS[vendor], base_url=f"{SANDBOX}/{vendor}", is_active=False
    )


def _shift(rng: random.Random, facility: Facility, person: TalentProfile, start: dt.datetime) -> ShiftRequest:
    return ShiftRequest.objects.create(
        facility=facility,
        connection=_connection("intelycare"),
        unit=rng.choice(["ICU", "2 West", "Memory Care"]),
        professional_type="RN",
        starts_at=start,
        ends_at=start + dt.timedelta(hours=8),
        time_zone=facility.time_zone,
        status=ShiftRequest.Status.FILLED,
        assigned_professional=person,
    )


def _visit(person: TalentProfile, service: str, start: dt.datetime, hours: int, zone: str) -> Visit:
    return Visit.objects.create(
        connection=_connection("alaunus"), caregiver=person, service_name=service, starts_at=start,
        ends_at=start + dt.timedelta(hours=hours), time_zone=zone,
    )  # fmt: skip


def _contract_event(person: TalentProfile, label: str, start: dt.datetime, hours: int, zone: str) -> ContractEvent:
    ceki = _connection("ceki")
    contract = Contract.objects.create(label=f"Respite care for {person.last_name}", connection=ceki, time_zone=zone)
    participant = ContractParticipant.objects.create(contract=contract, talent=person, email=person.email)
    return ContractEvent.objects.create(
        contract=contract, beneficiary=participant, label=label, starts_at=start, duration_minutes=hours * 60,
        time_zone=zone, connection=ceki,
    )  # fmt: skip


def _placement(person: TalentProfile, facility: Facility, first: dt.date) -> Engagement:
    """A Kamana placement working 07:00-19:00 on the facility's clock for five days."""
    return Engagement.objects.create(
        connection=_connection("kamana"), talent=person, facility=facility, status=Engagement.Status.ACTIVE,
        starts_on=first, ends_on=first + dt.timedelta(days=4), shift_start_time=7, shift_end_time=19,
    )  # fmt: skip


def _collisions(rng: random.Random, facilities: list[Facility], people: list[TalentProfile]) -> None:
    tomorrow = timezone.now().replace(minute=0, second=0, microsecond=0) + dt.timedelta(days=1)
    double, tired, placed, late = people
    zone = facilities[0].time_zone
    # An overlap: an IntelyCare shift and an Alaunus home visit at the same hour.
    _shift(rng, facilities[0], double, tomorrow)
    _visit(double, "Skilled nursing visit", tomorrow + dt.timedelta(hours=3), 1, zone)
    # Too little rest: a night visit at Alaunus ending three hours before a day shift at IntelyCare.
    _visit(tired, "Respite care", tomorrow - dt.timedelta(hours=6), 3, facilities[1].time_zone)
    _shift(rng, facilities[1], tired, tomorrow)
    # A Kamana placement's third day and a Ceki contract event at its noon.
    first = to_local(tomorrow, zone).date()
    _placement(placed, facilities[0], first)
    noon = local_to_utc(dt.datetime.combine(first + dt.timedelta(days=2), dt.time(12)), zone)
    _contract_event(placed, "Afternoon respite", noon, 2, zone)
    # Too little rest: a Ceki event until 03:00 before an IntelyCare shift at 07:00 the same morning.
    morning = local_to_utc(dt.datetime.combine(first + dt.timedelta(days=1), dt.time(7)), zone)
    _contract_event(late, "Overnight companionship", morning - dt.timedelta(hours=8), 4, zone)
    _shift(rng, facilities[0], late, morning)


def seed(rng: random.Random, scale: int) -> dict[str, int]:
    facilities = list(Facility.objects.order_by("id")[:3])
    people = list(TalentProfile.objects.order_by("id")[:6])
    if len(facilities) < 2 or len(people) < 6:
        return {"findings": 0}
    _collisions(rng, facilities, people[:4])
    barred, lapsed = people[4:]
    tomorrow = timezone.now().replace(minute=0, second=0, microsecond=0) + dt.timedelta(days=1)
    # Do-not-return at the facility of an upcoming shift.
    _shift(rng, facilities[1], barred, tomorrow + dt.timedelta(days=2))
    DoNotReturn.objects.get_or_create(
        profile=barred, facility=facilities[1], defaults={"reason": "Facility asked: left a shift early"}
    )
    # A credential lapsing before an upcoming shift.
    shift = _shift(rng, facilities[0], lapsed, tomorrow + dt.timedelta(days=3))
    engagement = Engagement.objects.create(talent=lapsed, facility=facilities[0], status=Engagement.Status.PLACED)
    CredentialingRequirement.objects.create(
        engagement=engagement, name="BLS - Basic Life Support", kind=CredentialingRequirement.Kind.CERTIFICATION,
        status=CredentialingRequirement.Status.VERIFIED, expires_at=shift.starts_at - dt.timedelta(days=1),
    )  # fmt: skip
    # One person held twice: another email, the same phone (once, however often the demo is seeded).
    double = people[0]
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
