"""An engagement start passes the gate (issue 19, "Where the gate runs"): through the API (409 with the verdict,
`override_reason` past warnings), the engagement page's Start section, and new days of a booked engagement."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from portal.contracts import services
from portal.contracts.models import Engagement
from portal.contracts.schedule import engagement_booking, starts_booking
from portal.core.models import AuditEntry
from portal.gate.models import Finding, Rule
from portal.talent import assignment_gate
from portal.talent.assignment_gate import AssignmentRefused
from tests.api.conftest import token_client
from tests.contracts.factories import EngagementFactory
from tests.gate.conftest import NEW_YORK, at
from tests.shifts.factories import ShiftRequestFactory, VisitFactory

pytestmark = pytest.mark.django_db
MONDAY = dt.date(2026, 3, 2)


@pytest.fixture
def engagement(person, facility):
    """Three day shifts (07-19) at Mercy North, Monday to Wednesday, cleared and about to start."""
    return EngagementFactory(
        talent=person, facility=facility, status=Engagement.Status.CLEARED, starts_on=MONDAY,
        ends_on=MONDAY + dt.timedelta(days=2), shift_start_time=7, shift_end_time=19,
    )  # fmt: skip


@pytest.fixture
def api(api_client_user):
    return token_client(api_client_user)


def _patch(api, engagement, **values):
    return api.patch(f"/api/v1/engagements/{engagement.pk}/", values, format="json")


def test_a_placement_is_asked_about_each_working_day_on_the_facilitys_clock(engagement):
    booking = engagement_booking(engagement)
    assert booking.spans == tuple(
        (at(MONDAY + dt.timedelta(days=d), 7), at(MONDAY + dt.timedelta(days=d), 19)) for d in range(3)
    )
    assert booking.about == ("contracts.engagement", engagement.pk) and booking.time_zone == NEW_YORK


def test_moving_along_a_booked_pipeline_is_not_a_new_booking_but_the_start_and_new_days_are(engagement):
    engagement.status = Engagement.Status.ACTIVE
    assert starts_booking(engagement)
    engagement.save()
    engagement.refresh_from_db()
    assert not starts_booking(engagement)
    engagement.shift_end_time = 23
    assert starts_booking(engagement)


def test_api_start_blocked_is_409_with_the_findings_and_changes_nothing(api, engagement, person):
    ShiftRequestFactory(assigned_professional=person, status="filled", starts_at=at(MONDAY, 15), ends_at=at(MONDAY, 23))
    answer = _patch(api, engagement, status="active", override_reason="We need her")
    assert answer.status_code == 409, answer.content
    body = answer.json()
    assert body["code"] == "gate_refused" and body["overridable"] is False
    assert [block["rule"] for block in body["blocks"]] == [Rule.OVERLAP]
    assert "Mon 02 Mar 15:00" in body["blocks"][0]["message"]
    engagement.refresh_from_db()
    assert engagement.status == Engagement.Status.CLEARED


def test_api_start_warned_needs_an_override_reason_which_is_kept_in_the_audit(api, engagement, person):
    VisitFactory(caregiver=person, service_name="Night sit", starts_at=at(MONDAY, 1), ends_at=at(MONDAY, 3))
    refused = _patch(api, engagement, status="active")
    assert refused.status_code == 409
    body = refused.json()
    assert body["overridable"] is True and body["blocks"] == []
    assert [warning["rule"] for warning in body["warnings"]] == [Rule.REST]
    engagement.refresh_from_db()
    assert engagement.status == Engagement.Status.CLEARED

    started = _patch(api, engagement, status="active", override_reason="She asked for the extra shift")
    assert started.status_code == 200, started.content
    assert "override_reason" not in started.json()
    engagement.refresh_from_db()
    assert engagement.status == Engagement.Status.ACTIVE
    kept = Finding.objects.get(profile=person, rule=Rule.REST, work_ref=f"contracts.engagement:{engagement.pk}")
    assert kept.state == Finding.State.OVERRIDDEN and kept.reason == "She asked for the extra shift"
    entry = AuditEntry.objects.get(object_id=str(kept.pk), content_type__model="finding")
    assert "She asked for the extra shift" in entry.detail


def test_api_create_of_a_placed_engagement_passes_the_gate(api, person, facility):
    person.do_not_hire = True
    person.save()
    answer = api.post(
        "/api/v1/engagements/",
        {"talent": person.pk, "facility": facility.pk, "status": "placed", "starts_on": "2026-03-02"},
        format="json",
    )
    assert answer.status_code == 409 and answer.json()["blocks"][0]["rule"] == Rule.DO_NOT_HIRE
    assert not Engagement.objects.filter(talent=person).exists()


def test_a_clear_start_goes_through(api, engagement):
    assert _patch(api, engagement, status="active").status_code == 200


def test_the_schema_documents_the_409(api):
    schema = api.get("/api/v1/schema/", {"format": "json"}).json()
    patch = schema["paths"]["/api/v1/engagements/{id}/"]["patch"]
    assert "409" in patch["responses"]


def test_the_page_start_is_refused_with_reasons_then_gone_past_with_one(coordinator_client, engagement, person):
    VisitFactory(caregiver=person, service_name="Night sit", starts_at=at(MONDAY, 1), ends_at=at(MONDAY, 3))
    page = reverse("contracts:engagement", args=[engagement.pk])
    assert b'id="start-form"' in coordinator_client.get(page).content
    url = reverse("contracts:engagement-start", args=[engagement.pk])
    refused = coordinator_client.post(url, HTTP_HX_REQUEST="true")
    assert b"Too little rest" in refused.content and b"Start anyway" in refused.content
    engagement.refresh_from_db()
    assert engagement.status == Engagement.Status.CLEARED
    started = coordinator_client.post(url, {"override_reason": "Agreed with the unit"}, HTTP_HX_REQUEST="true")
    assert started["HX-Redirect"] == page
    engagement.refresh_from_db()
    assert engagement.status == Engagement.Status.ACTIVE


def test_a_kamana_engagement_has_no_start_here(coordinator_client, engagement):
    from tests.jobs.factories import VendorConnectionFactory

    engagement.connection = VendorConnectionFactory()
    engagement.save()
    content = coordinator_client.get(reverse("contracts:engagement", args=[engagement.pk])).content
    assert b'id="start-form"' not in content
    answer = coordinator_client.post(reverse("contracts:engagement-start", args=[engagement.pk]))
    assert answer.status_code == 302
    engagement.refresh_from_db()
    assert engagement.status == Engagement.Status.CLEARED


def test_new_hours_of_a_booked_engagement_pass_the_gate_on_the_page(coordinator_client, engagement, person):
    engagement.status = Engagement.Status.ACTIVE
    engagement.save()
    ShiftRequestFactory(assigned_professional=person, status="filled", starts_at=at(MONDAY, 19), ends_at=at(MONDAY, 23))
    url = reverse("contracts:engagement-section", args=[engagement.pk, "shift"])
    answer = coordinator_client.post(url, {"shift_start_time": 7, "shift_end_time": 21}, HTTP_HX_REQUEST="true")
    assert b"Overlapping work" in answer.content
    engagement.refresh_from_db()
    assert engagement.shift_end_time == 19


def test_the_service_refuses_a_do_not_hire_start(engagement, person, coordinator):
    person.do_not_hire = True
    person.save()
    with pytest.raises(AssignmentRefused):
        services.start_engagement(engagement, coordinator, "urgent")
    engagement.refresh_from_db()
    assert engagement.status == Engagement.Status.CLEARED


def test_api_new_dates_of_a_booked_engagement_pass_the_gate(api, engagement, person):
    engagement.status = Engagement.Status.ACTIVE
    engagement.save()
    friday = MONDAY + dt.timedelta(days=4)
    VisitFactory(caregiver=person, service_name="Wound care", starts_at=at(friday, 9), ends_at=at(friday, 10))
    answer = _patch(api, engagement, ends_on=friday.isoformat())
    assert answer.status_code == 409 and answer.json()["blocks"][0]["rule"] == Rule.OVERLAP
    engagement.refresh_from_db()
    assert engagement.ends_on == MONDAY + dt.timedelta(days=2)
    assert _patch(api, engagement, hours_per_week=36).status_code == 200  # pay and hours a week book nothing new


def test_a_long_placement_costs_the_gate_the_queries_of_one_shift(
    engagement, person, facility, booking, django_assert_max_num_queries
):
    engagement.ends_on = MONDAY + dt.timedelta(days=90)
    ShiftRequestFactory(assigned_professional=person, status="filled", starts_at=at(MONDAY, 20), ends_at=at(MONDAY, 23))
    with django_assert_max_num_queries(12) as one_shift:
        assignment_gate.check(booking(MONDAY, 7, 8))
    placement = engagement_booking(engagement)
    assert len(placement.spans) == 91
    with django_assert_max_num_queries(len(one_shift.captured_queries)):
        verdict = assignment_gate.check(placement)
    assert [warning.rule for warning in verdict.warnings] == [Rule.REST]
