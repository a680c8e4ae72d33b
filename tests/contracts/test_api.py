"""Engagements through `/api/v1/`: create, move along Kamana's pipeline, refused moves as 400."""

from __future__ import annotations

import pytest

from portal.contracts.models import Engagement
from tests.api.conftest import token_client
from tests.contracts.factories import CredentialingRequirementFactory, EngagementFactory
from tests.talent.factories import TalentProfileFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(api_client_user):
    return token_client(api_client_user)


def test_create_engagement_with_pay_package(api):
    talent = TalentProfileFactory()
    response = api.post(
        "/api/v1/engagements/",
        {
            "talent": talent.pk,
            "status": "qualifying",
            "starts_on": "2026-04-06",
            "ends_on": "2026-07-04",
            "contract_length": 13,
            "hours_per_week": 36,
            "shift_start_time": 19,
            "shift_end_time": 7,
            "regular_hourly_rate": "58.25",
            "weekly_housing_stipend": "1200.00",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["status"], body["regular_hourly_rate"], body["currency"]) == ("qualifying", "58.25", "USD")
    assert Engagement.objects.get(pk=body["id"]).talent == talent


def test_bad_engagement_input_is_400_with_field_errors(api):
    response = api.post(
        "/api/v1/engagements/",
        {"status": "placed", "starts_on": "2026-04-06", "ends_on": "2026-04-01", "shift_start_time": 25},
        format="json",
    )
    assert response.status_code == 400
    assert "shift_start_time" in response.json()["errors"]
    response = api.post(
        "/api/v1/engagements/",
        {"status": "placed", "starts_on": "2026-04-06", "ends_on": "2026-04-01", "sub_status": "Declined"},
        format="json",
    )
    assert set(response.json()["errors"]) == {"ends_on", "sub_status"}


def test_pipeline_moves_forward_closes_with_sub_status_and_refuses_going_back(api):
    engagement = EngagementFactory(status="submitted", client_contract_id="cc-1")
    url = f"/api/v1/engagements/{engagement.pk}/"
    assert api.patch(url, {"status": "offered"}, format="json").status_code == 200
    back = api.patch(url, {"status": "qualifying"}, format="json")
    assert back.status_code == 400
    assert "Cannot change status from 'offered' to 'qualifying'" in back.json()["errors"]["status"][0]
    contract = api.patch(url, {"client_contract_id": "cc-2"}, format="json")
    assert contract.status_code == 400
    assert "client_contract_id" in contract.json()["errors"]
    done = api.patch(url, {"status": "complete", "sub_status": "Declined By Talent"}, format="json")
    assert done.status_code == 200
    assert api.patch(url, {"status": "active"}, format="json").status_code == 400


def test_requirements_show_their_expiry_state(api):
    lapsed = CredentialingRequirementFactory(expires_at="2000-01-01T00:00:00Z")
    CredentialingRequirementFactory(expires_at="2999-01-01T00:00:00Z")
    response = api.get("/api/v1/credentialing-requirements/", {"expiry": "expired"})
    assert [(row["id"], row["expiry_state"]) for row in response.json()["results"]] == [(lapsed.pk, "expired")]
    assert api.get("/api/v1/credentialing-requirements/", {"expiry": "expiring"}).json()["results"] == []
