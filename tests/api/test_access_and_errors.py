"""Who may use `/api/v1/`, and how refusals look: JSON with a code and field-level messages."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from portal.core.models import ApiToken
from portal.talent.models import AccountRelationship
from tests.api.conftest import token_client
from tests.jobs.factories import FacilityFactory, JobRequisitionFactory, ProfessionFactory, SpecialtyFactory
from tests.talent.factories import AccountRelationshipFactory, TalentProfileFactory

pytestmark = pytest.mark.django_db


def test_no_token_is_401():
    response = APIClient().get("/api/v1/facilities/")
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


def test_token_of_a_coordinator_is_401(coordinator):
    # A coordinator cannot be issued a token; this one was kept from a role since taken away.
    _row, token = ApiToken.objects.create(user=coordinator)
    response = APIClient(HTTP_AUTHORIZATION=f"Token {token}").get("/api/v1/facilities/")
    assert response.status_code == 401
    assert "no API client or Admin role" in response.json()["detail"]


def test_token_of_an_admin_is_accepted(portal_admin):
    FacilityFactory(name="Mercy General")
    response = token_client(portal_admin).get("/api/v1/facilities/")
    assert response.status_code == 200
    assert [f["name"] for f in response.json()["results"]] == ["Mercy General"]


def test_session_user_without_a_role_is_403(make_user):
    client = APIClient()
    client.force_login(make_user("nobody"))
    response = client.get("/api/v1/talent-profiles/")
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"


def test_coordinator_session_moves_a_relationship_and_is_audited(session_api, coordinator):
    relationship = AccountRelationshipFactory()
    response = session_api.patch(
        f"/api/v1/account-relationships/{relationship.pk}/",
        {"status": "prospect", "sub_status": "Phone screen booked", "status_reason": "Strong ICU history"},
        format="json",
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["status"], body["sub_status"], body["status_reason"]) == (
        "prospect",
        "Phone screen booked",
        "Strong ICU history",
    )
    assert body["status_changed_at"] is not None
    entry = AccountRelationship.objects.get().audit_history().first()
    assert (entry.actor, entry.source) == (coordinator, "api")
    assert entry.changes["status"] == ["interested", "prospect"]


def test_api_client_token_may_move_a_relationship(api):
    relationship = AccountRelationshipFactory(status="review")
    response = api.patch(
        f"/api/v1/account-relationships/{relationship.pk}/",
        {"status": "engaged", "sub_status": "Offer accepted", "status_reason": "Signed"},
        format="json",
    )
    assert response.status_code == 200
    relationship.refresh_from_db()
    assert relationship.status == "engaged"


def test_status_without_sub_status_and_reason_is_400_with_field_errors(api):
    relationship = AccountRelationshipFactory()
    response = api.patch(f"/api/v1/account-relationships/{relationship.pk}/", {"status": "prospect"}, format="json")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert set(body["errors"]) == {"sub_status", "status_reason"}
    relationship.refresh_from_db()
    assert relationship.status == "interested"


def test_invalid_transition_is_400_on_the_status_field(api):
    relationship = AccountRelationshipFactory(status="engaged")
    response = api.patch(
        f"/api/v1/account-relationships/{relationship.pk}/",
        {"status": "interested", "sub_status": "Back to start", "status_reason": "Retry"},
        format="json",
    )
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert list(errors) == ["status"]
    assert "Cannot change" in errors["status"][0]
    relationship.refresh_from_db()
    assert relationship.status == "engaged"


def test_unknown_status_is_400(api):
    relationship = AccountRelationshipFactory()
    response = api.patch(
        f"/api/v1/account-relationships/{relationship.pk}/",
        {"status": "hired", "sub_status": "x", "status_reason": "y"},
        format="json",
    )
    assert response.status_code == 400
    assert "status" in response.json()["errors"]


def test_read_only_resources_refuse_writes(api):
    requisition = JobRequisitionFactory()
    assert api.post("/api/v1/job-requisitions/", {"name": "New"}, format="json").status_code == 405
    assert api.patch(f"/api/v1/job-requisitions/{requisition.pk}/", {"name": "N"}, format="json").status_code == 405


def test_filters_narrow_the_list(api):
    AccountRelationshipFactory(status="review")
    AccountRelationshipFactory(status="interested")
    response = api.get("/api/v1/account-relationships/", {"status": "review"})
    assert [r["status"] for r in response.json()["results"]] == ["review"]
    assert api.get("/api/v1/account-relationships/", {"status": "nonsense"}).status_code == 400


def test_profile_email_filter_is_normalised(api):
    AccountRelationshipFactory(profile__email="Jo.Smith@Example.org")
    response = api.get("/api/v1/talent-profiles/", {"email": "  JO.SMITH@example.ORG"})
    assert [p["email"] for p in response.json()["results"]] == ["jo.smith@example.org"]


def test_staff_update_a_profile_but_not_its_matching_email(session_api):
    profile = TalentProfileFactory(email="sam@example.org")
    cna = ProfessionFactory(name="Certified Nursing Assistant", abbreviation="CNA")
    response = session_api.patch(
        f"/api/v1/talent-profiles/{profile.pk}/",
        {"do_not_hire": True, "profession": cna.pk, "specialty": None, "email": "other@example.org"},
        format="json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["do_not_hire"] is True and response.json()["email"] == "sam@example.org"
    profile.refresh_from_db()
    assert (profile.do_not_hire, profile.profession, profile.email) == (True, cna, "sam@example.org")


def test_profile_specialty_of_another_profession_is_400(api):
    profile = TalentProfileFactory()  # a registered nurse
    cna_specialty = SpecialtyFactory(profession=ProfessionFactory(name="Aide", abbreviation="CNA"))
    response = api.patch(f"/api/v1/talent-profiles/{profile.pk}/", {"specialty": cna_specialty.pk}, format="json")
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["specialty"]
