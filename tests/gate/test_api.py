"""`POST /api/v1/assignment-checks/` (issue 19): the same gate for other systems, in the OpenAPI schema."""

from __future__ import annotations

import datetime as dt

import pytest
from rest_framework.test import APIClient

from portal.core.api.tokens import issue_api_token
from tests.gate.conftest import at
from tests.shifts.factories import ShiftRequestFactory, VisitFactory

pytestmark = pytest.mark.django_db
MONDAY = dt.date(2026, 3, 2)
URL = "/api/v1/assignment-checks/"


@pytest.fixture
def api(api_client_user):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {issue_api_token(api_client_user)[1]}")
    return client


def test_a_check_answers_blocks_and_warnings_and_books_nothing(api, person, facility):
    VisitFactory(caregiver=person, service_name="Wound care", starts_at=at(MONDAY, 9), ends_at=at(MONDAY, 10))
    shift = ShiftRequestFactory(facility=facility, starts_at=at(MONDAY, 7), ends_at=at(MONDAY, 15))
    body = {
        "profile": person.pk,
        "starts_at": at(MONDAY, 7).isoformat(),
        "ends_at": at(MONDAY, 15).isoformat(),
        "facility": facility.pk,
        "about": {"type": "shifts.shiftrequest", "id": shift.pk},
    }
    answer = api.post(URL, body, format="json")
    assert answer.status_code == 200
    assert answer.json()["allowed"] is False
    assert [block["rule"] for block in answer.json()["blocks"]] == ["overlap"]
    assert "Wound care" in answer.json()["blocks"][0]["message"]
    shift.refresh_from_db()
    assert shift.assigned_professional is None


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"ends_at": at(MONDAY, 6).isoformat()}, "ends_at"),
        ({"starts_at": "9999-12-31T23:00:00Z"}, "starts_at"),
        ({"about": {"type": "shifts.visit", "id": 999999}}, "about"),
        ({"profile": 999999}, "profile"),
    ],
)
def test_bad_input_is_refused_with_the_field_named(api, person, change, field):
    body = {"profile": person.pk, "starts_at": at(MONDAY, 7).isoformat(), "ends_at": at(MONDAY, 15).isoformat()}
    answer = api.post(URL, {**body, **change}, format="json")
    assert answer.status_code == 400 and field in answer.json()["errors"]


def test_the_check_is_in_the_schema_and_needs_an_api_role(coordinator_client, api):
    assert "/api/v1/assignment-checks/" in api.get("/api/v1/schema/?format=json").json()["paths"]
    assert APIClient().post(URL, {}, format="json").status_code == 401
