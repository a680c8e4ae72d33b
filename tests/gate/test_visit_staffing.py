"""Staffing a visit goes through the gate as booking a shift does (issue 19, "a visit assignment"): a block refuses
with the rule and the other work named, a warning is gone past only with a reason, kept (audited) with the
coordinator's name."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from portal.core.models import AuditEntry
from portal.gate.models import Finding, Rule
from portal.shifts import visit_services
from portal.shifts.models import Visit
from portal.talent.assignment_gate import AssignmentRefused
from tests.gate.conftest import at
from tests.jobs.factories import VendorConnectionFactory
from tests.shifts.factories import ShiftRequestFactory, VisitFactory

pytestmark = pytest.mark.django_db
MONDAY = dt.date(2026, 3, 2)


@pytest.fixture
def visit(db):
    """A portal-only visit Monday 09:00-11:00 New York, without a caregiver."""
    return VisitFactory(
        caregiver=None, service_name="Wound care", starts_at=at(MONDAY, 9), ends_at=at(MONDAY, 11), connection=None
    )


def staff(client, visit: Visit, person, **extra):
    return client.post(reverse("shifts:visit-staff", args=[visit.pk]), {"caregiver": person.pk, **extra})


def test_a_visit_is_not_staffed_with_someone_on_an_overlapping_intelycare_shift(coordinator_client, visit, person):
    intelycare = VendorConnectionFactory(vendor="intelycare", name="IntelyCare Boston")
    ShiftRequestFactory(
        connection=intelycare,
        assigned_professional=person,
        status="filled",
        starts_at=at(MONDAY, 7),
        ends_at=at(MONDAY, 10),
    )
    page = staff(coordinator_client, visit, person, override_reason="She said she can")
    html = page.content.decode()
    assert page.status_code == 200 and "Cannot be booked: nothing was booked" in html
    assert 'data-rule="overlap"' in html and "IntelyCare Boston shift" in html
    assert 'id="override-form"' not in html  # a block is not gone past, reason or not
    visit.refresh_from_db()
    assert visit.caregiver is None and not Finding.objects.exists()


def test_a_warning_is_gone_past_with_a_reason_kept_in_the_audit(coordinator_client, coordinator, visit, person):
    # A night shift ending at 06:00: 3 h of rest before the 09:00 visit.
    ShiftRequestFactory(assigned_professional=person, status="filled", starts_at=at(MONDAY, 0), ends_at=at(MONDAY, 6))
    html = staff(coordinator_client, visit, person).content.decode()
    assert "give a reason to go on" in html and 'data-rule="rest"' in html and 'id="override-form"' in html
    visit.refresh_from_db()
    assert visit.caregiver is None
    answer = staff(coordinator_client, visit, person, override_reason="Short visit; she agreed")
    assert answer.status_code == 302
    visit.refresh_from_db()
    assert visit.caregiver == person
    kept = Finding.objects.get(profile=person, rule=Rule.REST)
    assert kept.state == Finding.State.OVERRIDDEN and kept.decided_by == coordinator
    assert kept.work_ref == f"shifts.visit:{visit.pk}" and kept.reason == "Short visit; she agreed"
    entry = AuditEntry.objects.get(object_id=str(kept.pk), content_type__model="finding")
    assert entry.actor == coordinator and "Short visit" in entry.detail


def test_moving_a_staffed_visit_onto_other_work_is_refused_too(visit, person):
    visit_services.change_visit(visit, caregiver=person)
    ShiftRequestFactory(assigned_professional=person, status="filled", starts_at=at(MONDAY, 12), ends_at=at(MONDAY, 20))
    with pytest.raises(AssignmentRefused) as refused:
        visit_services.change_visit(visit, starts_at=at(MONDAY, 13), ends_at=at(MONDAY, 15), override_reason="x")
    assert [reason.rule for reason in refused.value.verdict.blocks] == [Rule.OVERLAP]
    visit.refresh_from_db()
    assert visit.starts_at == at(MONDAY, 9)


def test_the_change_page_shows_the_verdict_and_asks_for_a_reason(coordinator_client, visit, person):
    ShiftRequestFactory(assigned_professional=person, status="filled", starts_at=at(MONDAY, 0), ends_at=at(MONDAY, 6))
    form = {"day": MONDAY.isoformat(), "start_time": "09:00", "end_time": "11:00", "caregiver": person.pk}
    url = reverse("shifts:visit-change", args=[visit.pk])
    html = coordinator_client.post(url, form).content.decode()
    assert 'id="gate-warnings"' in html and 'type="text" name="override_reason"' in html
    assert coordinator_client.post(url, {**form, "override_reason": "Agreed"}).status_code == 302
    visit.refresh_from_db()
    assert visit.caregiver == person
