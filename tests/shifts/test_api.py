"""Shift requests through `/api/v1/`: create in local terms, edit, refused moves and bad input as 400."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from portal.core.roles import Role
from portal.shifts.models import ShiftRequest
from tests.api.conftest import token_client
from tests.jobs.factories import FacilityFactory
from tests.shifts.factories import RecurringVisitGroupFactory, ShiftRequestFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(api_client_user) -> APIClient:
    return token_client(api_client_user)


def test_create_an_overnight_shift_and_read_back_its_local_times(api):
    facility = FacilityFactory(time_zone="America/Denver")
    response = api.post(
        "/api/v1/shift-requests/",
        {
            "facility": facility.pk,
            "unit": "ICU",
            "professional_type": "RN",
            "starts_at": "2026-11-01T05:00:00Z",  # 23:00 MDT on 31 October
            "ends_at": "2026-11-01T14:00:00Z",  # 07:00 MST on 1 November
            "boost_percentage": 15,
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "open"
    assert body["time_zone"] == "America/Denver"
    assert body["external_shift_id"].isdigit()
    assert body["local_starts_at"] == "2026-10-31T23:00:00-06:00"
    assert body["local_ends_at"] == "2026-11-01T07:00:00-07:00"
    shift = ShiftRequest.objects.get(pk=body["id"])
    assert shift.audit_history().get().source == "api"


def test_bad_input_is_400_with_field_errors(api):
    response = api.post(
        "/api/v1/shift-requests/",
        {
            "facility": FacilityFactory().pk,
            "unit": "ICU",
            "professional_type": "Surgeon",
            "starts_at": "2026-03-02T15:00:00Z",
            "ends_at": "2026-03-02T07:00:00Z",
            "boost_percentage": 250,
            "status": "filled",
        },
        format="json",
    )
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert {"professional_type", "boost_percentage", "status"} <= set(errors)
    response = api.post(
        "/api/v1/shift-requests/",
        {
            "facility": FacilityFactory().pk,
            "unit": "ICU",
            "professional_type": "RN",
            "starts_at": "2026-03-02T15:00:00Z",
            "ends_at": "2026-03-02T07:00:00Z",
        },
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["errors"] == {"ends_at": ["A shift must end after it starts."]}


def test_update_and_refused_transition(api):
    shift = ShiftRequestFactory()
    response = api.patch(f"/api/v1/shift-requests/{shift.pk}/", {"boost_percentage": 20}, format="json")
    assert response.status_code == 200
    assert response.json()["boost_percentage"] == 20
    response = api.patch(f"/api/v1/shift-requests/{shift.pk}/", {"status": "completed"}, format="json")
    assert response.status_code == 400
    assert response.json()["errors"] == {"status": ["A filled or completed shift needs its assigned professional."]}
    response = api.patch(f"/api/v1/shift-requests/{shift.pk}/", {"status": "cancelled"}, format="json")
    assert response.status_code == 200
    response = api.patch(f"/api/v1/shift-requests/{shift.pk}/", {"status": "open"}, format="json")
    assert response.status_code == 400
    assert response.json()["errors"] == {"status": ["Cannot change status from 'cancelled' to 'open'."]}


def test_missing_or_roleless_token_is_refused(make_user):
    assert APIClient().get("/api/v1/shift-requests/").status_code == 401
    # A token can only be issued to a holder of the API client role; one whose holder lost the role is refused.
    holder = make_user("stranger", Role.API_CLIENT)
    stranger = token_client(holder)
    holder.groups.clear()
    assert stranger.get("/api/v1/shift-requests/").status_code == 401


def test_filter_by_status_and_start(api):
    ShiftRequestFactory(status="cancelled")
    open_shift = ShiftRequestFactory()
    response = api.get("/api/v1/shift-requests/", {"status": "open", "starts_after": "2026-03-01T00:00:00Z"})
    assert [row["id"] for row in response.json()["results"]] == [open_shift.pk]


def test_recurring_group_occurrences_endpoint(api):
    group = RecurringVisitGroupFactory(byweekday=["MO"], count=3)
    response = api.get(
        f"/api/v1/recurring-visit-groups/{group.pk}/occurrences/",
        {"after": "2026-03-01T00:00:00Z", "before": "2026-04-01T00:00:00Z"},
    )
    assert response.status_code == 200
    assert [row["starts_at"] for row in response.json()] == [
        "2026-03-02T09:00:00-05:00",
        "2026-03-09T09:00:00-04:00",
        "2026-03-16T09:00:00-04:00",
    ]
    bad = api.get(f"/api/v1/recurring-visit-groups/{group.pk}/occurrences/", {"after": "2026-03-01"})
    assert bad.status_code == 400
