"""Findings (issue 19): what vendors booked that breaks a rule is raised once, resolved when it no longer holds,
listed on /findings/ at a fixed query cost, and acknowledged or resolved with a reason."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from portal.core.models import AuditEntry
from portal.gate import services, tasks
from portal.gate.models import Finding, Recheck, Rule
from portal.integrations.models import SyncRun
from tests.contracts.factories import EngagementFactory
from tests.gate.conftest import at
from tests.jobs.factories import VendorConnectionFactory
from tests.shifts.factories import ShiftRequestFactory, VisitFactory
from tests.talent.factories import TalentProfileFactory

pytestmark = pytest.mark.django_db
MONDAY = dt.date(2026, 3, 2)
BEFORE = dt.datetime(2026, 2, 27, 12, tzinfo=dt.UTC)


def collide(person, facility, day=MONDAY):
    """An IntelyCare shift and an Alaunus visit of one person at the same hour."""
    shift = ShiftRequestFactory(
        facility=facility,
        assigned_professional=person,
        status="filled",
        connection=VendorConnectionFactory(),
        starts_at=at(day, 7),
        ends_at=at(day, 15),
    )
    visit = VisitFactory(caregiver=person, starts_at=at(day, 9), ends_at=at(day, 10))
    return shift, visit


def test_a_recheck_raises_each_collision_once_on_both_pieces_and_resolves_it_when_gone(person, facility):
    shift, visit = collide(person, facility)
    first = services.recheck_upcoming(BEFORE)
    assert first["raised"] == 2 and first["resolved"] == 0
    assert services.recheck_upcoming(BEFORE) == {"checked": 2, "raised": 0, "resolved": 0}
    refs = set(Finding.objects.filter(rule=Rule.OVERLAP).values_list("work_ref", "other_ref"))
    assert refs == {
        (f"shifts.shiftrequest:{shift.pk}", f"shifts.visit:{visit.pk}"),
        (f"shifts.visit:{visit.pk}", f"shifts.shiftrequest:{shift.pk}"),
    }
    visit.status = "cancelled"
    visit.save()
    assert services.recheck_upcoming(BEFORE)["resolved"] == 2
    assert not Finding.objects.filter(state="open").exists()
    resolved = AuditEntry.objects.filter(content_type__model="finding", changes__state=["open", "resolved"])
    assert resolved.count() == 2


def test_a_vendor_booking_rechecks_its_own_work(person, facility):
    shift, _ = collide(person, facility)
    result = services.recheck([("shifts.shiftrequest", shift.pk)], [person.pk], BEFORE)
    assert result["raised"] == 1
    assert Finding.objects.get().work_ref == f"shifts.shiftrequest:{shift.pk}"


def test_beat_rechecks_only_after_a_sync_finished(person, facility):
    collide(person, facility)
    with time_machine.travel(BEFORE, tick=False):
        assert tasks.recheck_after_sync() is not None  # never checked: check now
        assert tasks.recheck_after_sync() is None  # no sync since
        SyncRun.objects.create(
            connection=VendorConnectionFactory(),
            resource="visits",
            state="succeeded",
            finished_at=BEFORE + dt.timedelta(seconds=1),
        )
    with time_machine.travel(BEFORE + dt.timedelta(minutes=5), tick=False):
        assert tasks.recheck_after_sync() == {"checked": 2, "raised": 0, "resolved": 0}
    assert Recheck.objects.count() == 2


@pytest.mark.parametrize("people", [1, 12])
def test_the_findings_page_costs_the_same_queries_for_any_number(
    coordinator_client, facility, people, django_assert_max_num_queries
):
    for _ in range(people):
        collide(TalentProfileFactory(), facility)
    services.recheck_upcoming(BEFORE)
    with time_machine.travel(BEFORE, tick=False), django_assert_max_num_queries(6):
        page = coordinator_client.get(reverse("gate:findings"))
    assert page.content.count(b'data-rule="overlap"') == 2 * people


def test_filters_narrow_the_list_and_an_empty_list_says_what_to_do(coordinator_client, person, facility):
    collide(person, facility)
    services.recheck_upcoming(BEFORE)
    with time_machine.travel(BEFORE, tick=False):
        assert b"Ana Reyes" in coordinator_client.get(reverse("gate:findings"), {"person": "reyes"}).content
        assert b"No findings match" in coordinator_client.get(reverse("gate:findings"), {"rule": "rest"}).content


def test_acknowledge_and_resolve_with_a_reason_are_audited(coordinator_client, coordinator, person, facility):
    collide(person, facility)
    services.recheck_upcoming(BEFORE)
    finding = Finding.objects.first()
    url = reverse("gate:decide", args=[finding.pk])
    refused = coordinator_client.post(url, {"decision": "resolve", "reason": ""}, headers={"HX-Request": "true"})
    assert b"Say why" in refused.content
    coordinator_client.post(
        url, {"decision": "acknowledge", "reason": "Calling the agency"}, headers={"HX-Request": "true"}
    )
    answer = coordinator_client.post(
        url, {"decision": "resolve", "reason": "Visit moved"}, headers={"HX-Request": "true"}
    )
    finding.refresh_from_db()
    assert finding.state == "resolved" and finding.reason == "Visit moved" and finding.decided_by == coordinator
    assert b"Resolved" in answer.content
    entries = AuditEntry.objects.filter(content_type__model="finding", object_id=str(finding.pk), actor=coordinator)
    assert [entry.changes["state"][1] for entry in entries.order_by("at", "id")] == ["acknowledged", "resolved"]


def test_the_findings_page_needs_the_coordinator_role(client, make_user):
    client.force_login(make_user("nobody"))
    assert client.get(reverse("gate:findings")).status_code == 403


def test_the_persons_timeline_marks_their_findings(coordinator_client, person, facility):
    collide(person, facility)
    services.recheck_upcoming(BEFORE)
    page = coordinator_client.get(reverse("talent:timeline", args=[person.pk]))
    assert page.content.count(b"Gate: Overlapping work (block, open)") == 2


def test_a_placement_without_shift_hours_is_held_to_the_rules_about_the_person_only(person, facility):
    """Kamana placed a do-not-hire nurse (no shift hours): a finding; her visit that week collides with nothing."""
    person.do_not_hire = True
    person.save()
    engagement = EngagementFactory(
        talent=person, facility=facility, status="placed", starts_on=MONDAY, ends_on=MONDAY + dt.timedelta(days=30)
    )
    VisitFactory(caregiver=person, starts_at=at(MONDAY, 9), ends_at=at(MONDAY, 10))
    services.recheck_upcoming(BEFORE)
    found = set(Finding.objects.values_list("rule", "work_ref"))
    assert (Rule.DO_NOT_HIRE, f"contracts.engagement:{engagement.pk}") in found
    assert not any(rule == Rule.OVERLAP for rule, _ in found)
