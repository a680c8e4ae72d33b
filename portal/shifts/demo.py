"""Demo shifts and home-care visits on the facilities, patients and people the jobs and talent seeders made:
shifts in every status across the facilities' time zones, a night shift, one across the next daylight-saving
change, timecards for worked shifts, recurring visit groups with their visits and punchcards. Once the sandboxes
are connected, a few open shifts are posted to the vendor that takes shifts (`post_to_vendor`)."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.utils import timezone

from portal.integrations.services import connections_with_operation
from portal.jobs.models import Facility, Patient
from portal.shifts.localtime import local_to_utc, shift_instants
from portal.shifts.models import ProfessionalType, RecurringVisitGroup, ShiftRequest, Timecard, Visit
from portal.shifts.services import create_shift_requests
from portal.talent.models import TalentProfile

__all__ = ["post_to_vendor", "seed"]

UNITS = ["1st Floor", "2 West", "ICU", "Memory Care", "Rehab Gym", "Med/Surg 4"]
PATTERNS = [(dt.time(7), dt.time(15)), (dt.time(15), dt.time(23)), (dt.time(23), dt.time(7)), (dt.time(7), dt.time(19))]
SERVICES = ["Personal care", "Companionship", "Medication reminder", "Skilled nursing visit", "Respite care"]
STATUS_BY_AGE = {
    "past": ["completed", "completed", "completed", "cancelled"],
    "future": ["open", "open", "filled", "cancelled"],
}


def seed(rng: random.Random, scale: int) -> dict[str, int]:
    facilities = list(Facility.objects.order_by("id"))
    people = list(TalentProfile.objects.order_by("id"))
    if not facilities:
        return {"shift_requests": 0}
    today = timezone.localdate()
    shifts = [
        _shift(rng, facility, today + dt.timedelta(days=rng.randint(-12, 10)), rng.choice(PATTERNS), people)
        for facility in facilities
        for _ in range(scale * 6)
    ]
    night_facility = facilities[0]
    shifts.append(_shift(rng, night_facility, today + dt.timedelta(days=1), (dt.time(23), dt.time(7)), people, "open"))
    dst_facility = next((f for f in facilities if _next_dst_change(f.time_zone, today)), None)
    if dst_facility:
        change = _next_dst_change(dst_facility.time_zone, today)
        shifts.append(
            _shift(rng, dst_facility, change - dt.timedelta(days=1), (dt.time(23), dt.time(7)), people, "open")
        )
    timecards = [_timecard(rng, shift) for shift in shifts if shift.status == "completed"]
    groups, visits, punchcards = _home_care(rng, list(Patient.objects.order_by("id")), people, today, scale)
    return {
        "shift_requests": len(shifts),
        "timecards": len(timecards),
        "recurring_visit_groups": groups,
        "visits": visits,
        "punchcards": punchcards,
    }


def post_to_vendor(rng: random.Random, count: int = 4) -> list[ShiftRequest]:
    """Post `count` open shifts of the coming days to the first active connection that takes shifts (IntelyCare
    in the demo), once per connection: the outbox sends them, the vendor fills them, and its webhooks say who
    comes. The seeder runs before any connection exists, so `bin/demo` calls this after connecting."""
    connection = connections_with_operation("create_shift").first()
    if connection is None or connection.outbound_requests.filter(operation="create_shift").exists():
        return []
    facilities = list(Facility.objects.order_by("id")[:count])
    if not facilities:
        return []
    today = timezone.localdate()
    posted = []
    for n in range(count):
        facility = facilities[n % len(facilities)]
        occurrence = shift_instants(today + dt.timedelta(days=1 + n), *rng.choice(PATTERNS), facility.time_zone)
        posted += create_shift_requests(
            facility=facility,
            unit=rng.choice(UNITS),
            professional_type=rng.choice([ProfessionalType.RN, ProfessionalType.LPN, ProfessionalType.CNA]),
            occurrences=[occurrence],
            connection=connection,
        )
    return posted


def _shift(rng, facility, day, pattern, people, status=None) -> ShiftRequest:
    starts_at, ends_at = shift_instants(day, *pattern, facility.time_zone)
    if status is None:
        status = rng.choice(STATUS_BY_AGE["past" if ends_at < timezone.now() else "future"])
    filled = status in {"filled", "completed"} and people
    return ShiftRequest.objects.create(
        facility=facility,
        unit=rng.choice(UNITS),
        professional_type=rng.choice([ProfessionalType.RN, ProfessionalType.LPN, ProfessionalType.CNA]),
        starts_at=starts_at,
        ends_at=ends_at,
        boost_percentage=rng.choice([0, 0, 0, 10, 15, 25]),
        status=status,
        assigned_professional=rng.choice(people) if filled else None,
        status_changed_at=starts_at - dt.timedelta(days=rng.randint(1, 5)) if status != "open" else None,
    )


def _timecard(rng, shift: ShiftRequest) -> Timecard:
    check_in = shift.starts_at + dt.timedelta(minutes=rng.randint(-10, 12))
    check_out = shift.ends_at + dt.timedelta(minutes=rng.randint(-15, 20))
    rate = Decimal(rng.choice(["28.50", "34.00", "52.75", "61.25"]))
    hours = Decimal((check_out - check_in).total_seconds() / 3600).quantize(Decimal("0.01"))
    return Timecard.objects.create(
        shift=shift,
        professional=shift.assigned_professional,
        check_in=check_in,
        check_out=check_out,
        break_minutes=rng.choice([0, 30, 30, 45]),
        pay_rate=rate,
        pay_total=(rate * hours).quantize(Decimal("0.01")),
        bill_rate=rate * Decimal("1.35"),
        bill_total=(rate * Decimal("1.35") * hours).quantize(Decimal("0.01")),
    )


def _next_dst_change(time_zone: str, today: dt.date) -> dt.date | None:
    """The first local day within a year whose UTC offset differs from the day before (none in Phoenix)."""
    zone = ZoneInfo(time_zone)
    offset = dt.datetime.combine(today, dt.time(12), zone).utcoffset()
    for days in range(1, 366):
        day = today + dt.timedelta(days=days)
        if dt.datetime.combine(day, dt.time(12), zone).utcoffset() != offset:
            return day
    return None


def _home_care(rng, patients, people, today: dt.date, scale: int) -> tuple[int, int, int]:
    groups = visits = punchcards = 0
    for patient in patients[: scale * 4]:
        caregiver = rng.choice(people) if people else None
        first_day = today - dt.timedelta(days=today.weekday() + 7)  # Monday last week
        hour = dt.time(rng.choice([8, 9, 10, 13]))
        starts_at = local_to_utc(dt.datetime.combine(first_day, hour), patient.time_zone)
        monthly = groups % 3 == 2
        group = RecurringVisitGroup.objects.create(
            client=patient.client,
            patient=patient,
            caregiver=caregiver,
            service_name=rng.choice(SERVICES),
            time_zone=patient.time_zone,
            starts_at=starts_at,
            ends_at=starts_at + dt.timedelta(hours=rng.choice([1, 2, 3])),
            freq="MONTHLY" if monthly else "WEEKLY",
            byweekday=["+1MO"] if monthly else rng.choice([["MO", "WE", "FR"], ["TU", "TH"], ["MO", "TH"]]),
            count=6 if monthly else 24,
        )
        groups += 1
        window = (starts_at, starts_at + dt.timedelta(days=28))
        for occurrence in group.occurrences(window):
            past = occurrence.ends_at < timezone.now()
            visit = Visit.objects.create(
                group=group,
                client=group.client,
                patient=patient,
                caregiver=caregiver,
                service_name=group.service_name,
                address=f"{patient.street}, {patient.city}".strip(", "),
                starts_at=occurrence.starts_at,
                ends_at=occurrence.ends_at,
                time_zone=group.time_zone,
                status="completed" if past else "scheduled",
                pay_rate=Decimal("24.00"),
                bill_rate=Decimal("36.00"),
            )
            visits += 1
            if past:
                Timecard.objects.create(
                    visit=visit,
                    professional=caregiver,
                    check_in=visit.starts_at + dt.timedelta(minutes=rng.randint(-5, 25)),
                    check_out=visit.ends_at + dt.timedelta(minutes=rng.randint(-10, 15)),
                    pay_rate=visit.pay_rate,
                    bill_rate=visit.bill_rate,
                )
                punchcards += 1
    return groups, visits, punchcards
