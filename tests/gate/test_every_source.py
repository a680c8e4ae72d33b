"""Every rule across every source (issue 19, "Done when"): overlap and rest fire between each pair of the four
sources the portal holds — IntelyCare shifts, Alaunus visits, Kamana engagements, Ceki contract events — when a
vendor books (the re-check raises a finding naming the other work) and when the portal books (the gate refuses)."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable
from zoneinfo import ZoneInfo

import pytest

from portal.contracts.models import Contract, ContractEvent, ContractParticipant, Engagement
from portal.gate import services
from portal.gate.models import Finding, Rule
from portal.shifts.models import ShiftRequest, Visit
from portal.talent import assignment_gate
from portal.talent.assignment_gate import ref_text
from tests.gate.conftest import NEW_YORK, at
from tests.jobs.factories import VendorConnectionFactory

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 3, 4)  # a Wednesday
NOW = at(DAY - dt.timedelta(days=2), 9)


def _shift(person, facility, start: dt.datetime, hours: int) -> tuple[str, int]:
    shift = ShiftRequest.objects.create(
        facility=facility, connection=VendorConnectionFactory(vendor="intelycare", name="IntelyCare Boston"),
        external_id=f"ic-{start:%d%H}", unit="ICU", professional_type="RN", starts_at=start,
        ends_at=start + dt.timedelta(hours=hours), time_zone=NEW_YORK, status="filled", assigned_professional=person,
    )  # fmt: skip
    return "shifts.shiftrequest", shift.pk


def _visit(person, facility, start: dt.datetime, hours: int) -> tuple[str, int]:
    visit = Visit.objects.create(
        connection=VendorConnectionFactory(vendor="alaunus", name="Alaunus Toronto"), external_id=f"ev-{start:%d%H}",
        caregiver=person, service_name="Personal care", starts_at=start, ends_at=start + dt.timedelta(hours=hours),
        time_zone=NEW_YORK,
    )  # fmt: skip
    return "shifts.visit", visit.pk


def _engagement(person, facility, start: dt.datetime, hours: int) -> tuple[str, int]:
    """One working day of a Kamana placement, on the facility's clock."""
    local = start.astimezone(ZoneInfo(NEW_YORK))
    engagement = Engagement.objects.create(
        connection=VendorConnectionFactory(vendor="kamana", name="Kamana"), external_id=f"en-{start:%d%H}",
        talent=person, facility=facility, status=Engagement.Status.ACTIVE, starts_on=local.date(),
        ends_on=local.date(), shift_start_time=local.hour, shift_end_time=(local.hour + hours) % 24,
    )  # fmt: skip
    return "contracts.engagement", engagement.pk


def _contract_event(person, facility, start: dt.datetime, hours: int) -> tuple[str, int]:
    ceki = VendorConnectionFactory(vendor="ceki", name="Ceki")
    contract = Contract.objects.create(label="Respite care", connection=ceki, external_id=f"c-{start:%d%H}")
    participant = ContractParticipant.objects.create(contract=contract, talent=person)
    event = ContractEvent.objects.create(
        contract=contract, beneficiary=participant, label="Night respite", starts_at=start,
        duration_minutes=hours * 60, time_zone=NEW_YORK, connection=ceki, external_id=f"e-{start:%d%H}",
    )  # fmt: skip
    return "contracts.contractevent", event.pk


SOURCES: dict[str, Callable] = {
    "IntelyCare shift": _shift,
    "Alaunus visit": _visit,
    "Kamana engagement": _engagement,
    "Ceki contract event": _contract_event,
}
# Each pair of different sources, both ways round: the first is the work booked second.
PAIRS = list(itertools.permutations(SOURCES, 2))


def _findings(person, ref: tuple[str, int], rule: str) -> list[Finding]:
    return list(Finding.objects.filter(profile=person, rule=rule, work_ref=ref_text(ref), state="open"))


@pytest.mark.parametrize(("booked", "other"), PAIRS, ids=[f"{a} vs {b}" for a, b in PAIRS])
def test_overlap_fires_between_the_two_sources(person, facility, booked, other):
    theirs = SOURCES[other](person, facility, at(DAY, 8), 4)
    mine = SOURCES[booked](person, facility, at(DAY, 10), 4)
    services.recheck([mine], [person.pk], now=NOW)
    [finding] = _findings(person, mine, Rule.OVERLAP)
    assert finding.other_ref == ref_text(theirs)


@pytest.mark.parametrize(("booked", "other"), PAIRS, ids=[f"{a} vs {b}" for a, b in PAIRS])
def test_rest_fires_between_the_two_sources(person, facility, booked, other):
    theirs = SOURCES[other](person, facility, at(DAY, 2), 4)  # ends 06:00
    mine = SOURCES[booked](person, facility, at(DAY, 10), 4)  # 4 h later
    services.recheck([mine], [person.pk], now=NOW)
    [finding] = _findings(person, mine, Rule.REST)
    assert finding.other_ref == ref_text(theirs) and finding.message.startswith("Only 4")


@pytest.mark.parametrize("other", list(SOURCES))
def test_the_portal_booking_a_shift_is_refused_against_each_source(person, facility, other):
    SOURCES[other](person, facility, at(DAY, 8), 4)
    booking = assignment_gate.Booking(person.pk, at(DAY, 10), at(DAY, 14), facility.pk, NEW_YORK, None, "RN")
    assert [reason.rule for reason in assignment_gate.check(booking).blocks] == [Rule.OVERLAP]
