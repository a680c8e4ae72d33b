"""Each rule of the gate at its edges (issue 19): every work source, overnight and DST nights, touching versus
overlapping ends, credentials against the work's end, do-not-hire and do-not-return, rest, hours and days."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from portal.gate.models import DoNotReturn, Rule, RuleSetting, Severity
from portal.talent import assignment_gate
from tests.contracts.factories import (
    ContractEventFactory,
    CredentialingRequirementFactory,
    EngagementFactory,
    ParticipantFactory,
)
from tests.gate.conftest import NEW_YORK, at
from tests.jobs.factories import FacilityFactory
from tests.shifts.factories import ShiftRequestFactory, VisitFactory
from tests.talent.factories import AccountRelationshipFactory

pytestmark = pytest.mark.django_db
MONDAY = dt.date(2026, 3, 2)


def rules(verdict, severity="block"):
    found = verdict.blocks if severity == "block" else verdict.warnings
    return sorted(reason.rule for reason in found)


def shift(person, day, hour, hours, **extra):
    start = at(day, hour)
    return ShiftRequestFactory(
        assigned_professional=person,
        status="filled",
        starts_at=start,
        ends_at=start + dt.timedelta(hours=hours),
        facility__time_zone=NEW_YORK,
        **extra,
    )


def test_a_clear_booking_passes(booking):
    assert assignment_gate.check(booking(MONDAY, 7, 8)).clear


def test_overlap_with_a_vendor_shift_blocks_and_names_it(person, booking):
    other = shift(person, MONDAY, 11, 8)
    verdict = assignment_gate.check(booking(MONDAY, 7, 8))
    assert rules(verdict) == [Rule.OVERLAP]
    assert "LPN at" in verdict.blocks[0].message and other.facility.name in verdict.blocks[0].message


def test_the_record_being_staffed_is_not_checked_against_itself(person, booking):
    mine = shift(person, MONDAY, 7, 8)
    assert assignment_gate.check(booking(MONDAY, 7, 8, about=("shifts.shiftrequest", mine.pk))).clear


def test_touching_ends_do_not_overlap_but_leave_no_rest(person, booking):
    shift(person, MONDAY, 15, 8)
    verdict = assignment_gate.check(booking(MONDAY, 7, 8))
    assert rules(verdict) == []
    assert rules(verdict, "warn") == [Rule.REST]
    assert "Only 0 min of rest" in verdict.warnings[0].message or "Only 0" in verdict.warnings[0].message


def test_an_overnight_shift_overlaps_the_next_morning_visit(person, booking):
    VisitFactory(
        caregiver=person,
        starts_at=at(MONDAY + dt.timedelta(days=1), 6),
        ends_at=at(MONDAY, 6) + dt.timedelta(days=1, hours=2),
    )
    assert rules(assignment_gate.check(booking(MONDAY, 19, 12))) == [Rule.OVERLAP]


def test_cancelled_work_is_not_work(person, booking):
    VisitFactory(caregiver=person, starts_at=at(MONDAY, 8), ends_at=at(MONDAY, 10), status="cancelled")
    assert assignment_gate.check(booking(MONDAY, 7, 8)).blocks == []


def test_a_ceki_contract_event_and_a_kamana_engagement_day_count_as_work(person, booking, facility):
    participant = ParticipantFactory(talent=person)
    ContractEventFactory(
        contract=participant.contract, beneficiary=participant, starts_at=at(MONDAY, 9), duration_minutes=60
    )
    EngagementFactory(
        talent=person,
        facility=facility,
        status="active",
        starts_on=MONDAY,
        ends_on=MONDAY,
        shift_start_time=12,
        shift_end_time=14,
    )
    verdict = assignment_gate.check(booking(MONDAY, 7, 8))
    assert rules(verdict) == [Rule.OVERLAP, Rule.OVERLAP]
    assert {"contract event" in r.message.lower() or "engagement" in r.message.lower() for r in verdict.blocks} == {
        True
    }


def test_spring_forward_night_is_eleven_hours_and_touches_the_next_morning(person, booking):
    night = dt.date(2026, 3, 7)
    shift(person, night + dt.timedelta(days=1), 7, 8)
    verdict = assignment_gate.check(booking(night, 19, 12))
    assert verdict.blocks == []
    assert booking(night, 19, 12).ends_at == at(night + dt.timedelta(days=1), 7)


def test_fall_back_night_overlaps_a_visit_in_its_repeated_hour(person, booking):
    night = dt.date(2026, 10, 31)
    # 01:30 EST, the second 01:30 of that night (06:30 UTC): inside a 19:00-07:00 night.
    VisitFactory(
        caregiver=person,
        starts_at=dt.datetime(2026, 11, 1, 6, 30, tzinfo=dt.UTC),
        ends_at=dt.datetime(2026, 11, 1, 7, 30, tzinfo=dt.UTC),
    )
    assert rules(assignment_gate.check(booking(night, 19, 12))) == [Rule.OVERLAP]


def test_work_in_another_zone_compares_as_instants(person, booking):
    """A 05:00-09:00 visit in Los Angeles is 08:00-12:00 in New York: it overlaps a 07:00 New York start."""
    VisitFactory(
        caregiver=person,
        time_zone="America/Los_Angeles",
        starts_at=at(MONDAY, 5, "America/Los_Angeles"),
        ends_at=at(MONDAY, 9, "America/Los_Angeles"),
    )
    assert rules(assignment_gate.check(booking(MONDAY, 7, 1))) == []
    assert rules(assignment_gate.check(booking(MONDAY, 7, 2))) == [Rule.OVERLAP]


def test_a_credential_expired_before_the_work_blocks_and_one_lapsing_during_it_warns(person, booking):
    engagement = EngagementFactory(talent=person)
    CredentialingRequirementFactory(engagement=engagement, name="BLS", expires_at=at(MONDAY, 0))
    CredentialingRequirementFactory(engagement=engagement, name="TB test", expires_at=at(MONDAY, 12))
    verdict = assignment_gate.check(booking(MONDAY, 7, 8))
    assert rules(verdict) == [Rule.CREDENTIAL_EXPIRED]
    assert rules(verdict, "warn") == [Rule.CREDENTIAL_EXPIRING]
    assert "BLS expired" in verdict.blocks[0].message


def test_a_renewed_credential_on_a_later_engagement_holds(person, booking):
    CredentialingRequirementFactory(engagement=EngagementFactory(talent=person), name="BLS", expires_at=at(MONDAY, 0))
    CredentialingRequirementFactory(
        engagement=EngagementFactory(talent=person), name="BLS", expires_at=at(MONDAY, 0) + dt.timedelta(days=700)
    )
    assert assignment_gate.check(booking(MONDAY, 7, 8)).clear


def test_a_facility_with_a_requirement_list_checks_only_what_it_requires(person, booking, facility):
    CredentialingRequirementFactory(engagement=EngagementFactory(talent=person), name="ACLS", expires_at=at(MONDAY, 0))
    CredentialingRequirementFactory(engagement=EngagementFactory(facility=facility), name="BLS")
    assert assignment_gate.check(booking(MONDAY, 7, 8)).clear  # ACLS lapsed, but this facility asks only for BLS
    CredentialingRequirementFactory(engagement=EngagementFactory(facility=facility), name="ACLS")
    assert rules(assignment_gate.check(booking(MONDAY, 7, 8))) == [Rule.CREDENTIAL_EXPIRED]


def test_do_not_hire_at_a_kamana_account_blocks(person, booking):
    AccountRelationshipFactory(profile=person, do_not_hire=True, account_ref="acct-9")
    verdict = assignment_gate.check(booking(MONDAY, 7, 8))
    assert rules(verdict) == [Rule.DO_NOT_HIRE]
    assert "acct-9" in verdict.blocks[0].message


def test_do_not_return_holds_at_its_facility_only(person, booking, facility, coordinator):
    DoNotReturn.objects.create(profile=person, facility=facility, reason="Left mid-shift", set_by=coordinator)
    verdict = assignment_gate.check(booking(MONDAY, 7, 8))
    assert rules(verdict) == [Rule.DO_NOT_RETURN]
    assert "Left mid-shift" in verdict.blocks[0].message and coordinator.username in verdict.blocks[0].message
    elsewhere = booking(MONDAY, 7, 8).__class__(
        person.pk, at(MONDAY, 7), at(MONDAY, 15), FacilityFactory().pk, NEW_YORK
    )
    assert assignment_gate.check(elsewhere).clear


def test_rest_is_measured_to_the_nearest_work_before_and_after(person, booking):
    shift(person, MONDAY - dt.timedelta(days=1), 7, 4)  # 07-11 the day before: far enough
    shift(person, MONDAY - dt.timedelta(days=1), 20, 4)  # 20-00: only 7 h before a 07:00 start
    verdict = assignment_gate.check(booking(MONDAY, 7, 8))
    assert rules(verdict, "warn") == [Rule.REST]
    assert "7 h" in verdict.warnings[0].message


def test_daily_hours_weekly_hours_and_consecutive_days(person, booking):
    for offset in range(1, 7):
        shift(person, MONDAY - dt.timedelta(days=offset), 7, 11)
    shift(person, MONDAY, 0, 6)  # with 13:00-01:00: 17 h on Monday, 7 h of rest between
    verdict = assignment_gate.check(booking(MONDAY, 13, 12))
    assert rules(verdict, "warn") == [Rule.CONSECUTIVE_DAYS, Rule.DAILY_HOURS, Rule.REST, Rule.WEEKLY_HOURS]
    assert "17 h" in next(r.message for r in verdict.warnings if r.rule == Rule.DAILY_HOURS)


def test_a_facility_setting_wins_over_the_organisation(person, booking, facility):
    shift(person, MONDAY - dt.timedelta(days=1), 20, 4)
    RuleSetting.objects.create(rule=Rule.REST, severity=Severity.OFF)
    assert assignment_gate.check(booking(MONDAY, 7, 8)).clear
    RuleSetting.objects.create(rule=Rule.REST, facility=facility, severity=Severity.BLOCK, limit=Decimal(10))
    assert rules(assignment_gate.check(booking(MONDAY, 7, 8))) == [Rule.REST]


@pytest.mark.parametrize("history", [2, 40])
def test_one_check_costs_the_same_queries_whatever_the_history(person, booking, history, django_assert_max_num_queries):
    for offset in range(history):
        shift(person, MONDAY - dt.timedelta(days=offset % 10), offset % 24, 1)
    with django_assert_max_num_queries(11):  # the settings, one per source (five), five for the facts
        assignment_gate.check(booking(MONDAY, 7, 8))


def test_a_round_of_home_visits_is_not_measured_for_rest_but_a_visit_beside_a_shift_is(person, booking):
    earlier = VisitFactory(caregiver=person, starts_at=at(MONDAY, 8), ends_at=at(MONDAY, 9))
    visit = VisitFactory(caregiver=person, starts_at=at(MONDAY, 9), ends_at=at(MONDAY, 10))
    assert assignment_gate.check(booking(MONDAY, 9, 1, about=("shifts.visit", visit.pk))).clear

    shift(person, MONDAY - dt.timedelta(days=1), 23, 8)  # a night shift ending at 07:00, an hour before the first
    verdict = assignment_gate.check(booking(MONDAY, 8, 1, about=("shifts.visit", earlier.pk)))
    assert rules(verdict, "warn") == [Rule.REST]
    assert "Only 1 h of rest" in verdict.warnings[0].message
