"""The gate where the portal books someone (issue 19): a block stops the booking with its reasons, a warning is
gone past only with a reason, which is kept (audited) with the coordinator's name."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from portal.core.models import AuditEntry
from portal.gate.models import Finding, Rule
from portal.shifts.services import assign_professional
from portal.talent.assignment_gate import AssignmentRefused
from tests.gate.conftest import at
from tests.jobs.factories import VendorConnectionFactory
from tests.shifts.factories import ShiftRequestFactory, VisitFactory

pytestmark = pytest.mark.django_db
MONDAY = dt.date(2026, 3, 2)


@pytest.fixture
def open_shift(facility):
    return ShiftRequestFactory(facility=facility, starts_at=at(MONDAY, 7), ends_at=at(MONDAY, 15))


def test_a_blocked_booking_books_nothing_and_names_the_other_work(open_shift, person, coordinator):
    VisitFactory(caregiver=person, service_name="Wound care", starts_at=at(MONDAY, 9), ends_at=at(MONDAY, 10))
    with pytest.raises(AssignmentRefused) as refused:
        assign_professional(open_shift, person, coordinator, override_reason="needed")
    assert [r.rule for r in refused.value.verdict.blocks] == [Rule.OVERLAP]
    assert "Wound care" in refused.value.messages[0]
    open_shift.refresh_from_db()
    assert open_shift.status == "open" and open_shift.assigned_professional is None


def test_a_warning_needs_a_reason_which_is_kept_and_audited(open_shift, person, coordinator):
    VisitFactory(caregiver=person, starts_at=at(MONDAY, 1), ends_at=at(MONDAY, 3))  # 4 h of rest
    with pytest.raises(AssignmentRefused):
        assign_professional(open_shift, person, coordinator)
    assign_professional(open_shift, person, coordinator, override_reason="Only RN free; she agreed")
    open_shift.refresh_from_db()
    assert open_shift.assigned_professional == person and open_shift.status == "filled"
    kept = Finding.objects.get(profile=person, rule=Rule.REST)
    assert kept.state == Finding.State.OVERRIDDEN and kept.decided_by == coordinator
    assert kept.reason == "Only RN free; she agreed"
    entry = AuditEntry.objects.get(object_id=str(kept.pk), content_type__model="finding")
    assert entry.actor == coordinator and "Only RN free" in entry.detail


def test_a_shift_a_vendor_fills_is_not_booked_here(facility, person, coordinator):
    shift = ShiftRequestFactory(facility=facility, connection=VendorConnectionFactory())
    with pytest.raises(ValidationError, match="fills this shift"):
        assign_professional(shift, person, coordinator)


def test_the_page_shows_the_block_and_books_nothing(coordinator_client, open_shift, person):
    VisitFactory(caregiver=person, service_name="Wound care", starts_at=at(MONDAY, 9), ends_at=at(MONDAY, 10))
    url = reverse("gate:book-shift", args=[open_shift.pk])
    page = coordinator_client.get(url, {"q": "Reyes", "profile": person.pk})
    assert b"Cannot be booked" in page.content and b"Wound care" in page.content
    assert b'id="book-form"' not in page.content
    answer = coordinator_client.post(url, {"profile": person.pk})
    assert answer.status_code == 200 and b"nothing was booked" in answer.content
    open_shift.refresh_from_db()
    assert open_shift.assigned_professional is None


def test_the_page_books_past_a_warning_with_a_reason(coordinator_client, open_shift, person):
    VisitFactory(caregiver=person, starts_at=at(MONDAY, 1), ends_at=at(MONDAY, 3))
    url = reverse("gate:book-shift", args=[open_shift.pk])
    assert b"give a reason to go on" in coordinator_client.post(url, {"profile": person.pk}).content
    answer = coordinator_client.post(url, {"profile": person.pk, "override_reason": "Agreed with the unit"})
    assert answer.status_code == 302
    open_shift.refresh_from_db()
    assert open_shift.assigned_professional == person


def test_booking_needs_the_coordinator_role(client, make_user, open_shift):
    url = reverse("gate:book-shift", args=[open_shift.pk])
    assert client.get(url).status_code == 302
    client.force_login(make_user("nobody"))
    assert client.get(url).status_code == 403
