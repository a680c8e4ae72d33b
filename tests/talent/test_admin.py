"""Changing a relationship in Django admin: refused moves are form errors, accepted ones are audited."""

from __future__ import annotations

import pytest
from django.urls import reverse

from portal.talent.models import AccountRelationship
from tests.talent.factories import AccountRelationshipFactory

pytestmark = pytest.mark.django_db


def form_data(relationship: AccountRelationship, **changes: str) -> dict[str, str]:
    data = {
        "profile": str(relationship.profile_id),
        "account_ref": relationship.account_ref,
        "status": relationship.status,
        "sub_status": relationship.sub_status,
        "status_reason": relationship.status_reason,
        "primary_contact_email": "",
        "primary_contact_ref": "",
        "do_not_hire_user_ref": "",
        "source": relationship.source,
        "external_id": "",
    }
    return data | changes


@pytest.fixture
def change_url():
    def url(relationship: AccountRelationship) -> str:
        return reverse("admin:talent_accountrelationship_change", args=[relationship.pk])

    return url


def test_invalid_move_is_a_form_error_not_a_server_error(client, portal_admin, change_url):
    client.force_login(portal_admin)
    relationship = AccountRelationshipFactory(status="engaged")
    response = client.post(
        change_url(relationship), form_data(relationship, status="interested", sub_status="x", status_reason="y")
    )
    assert response.status_code == 200
    assert "Cannot change status from" in response.content.decode()
    relationship.refresh_from_db()
    assert relationship.status == "engaged"


def test_status_change_needs_sub_status_and_reason(client, portal_admin, change_url):
    client.force_login(portal_admin)
    relationship = AccountRelationshipFactory()
    response = client.post(change_url(relationship), form_data(relationship, status="prospect"))
    assert response.status_code == 200
    assert "Give a sub-status and a reason" in response.content.decode()


def test_valid_move_is_saved_and_audited_to_the_admin(client, portal_admin, change_url):
    client.force_login(portal_admin)
    relationship = AccountRelationshipFactory()
    response = client.post(
        change_url(relationship),
        form_data(relationship, status="review", sub_status="References", status_reason="Two references pending"),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    relationship.refresh_from_db()
    assert relationship.status == "review" and relationship.status_changed_at is not None
    entry = relationship.audit_history().first()
    assert (entry.actor, entry.source) == (portal_admin, "user")
    assert entry.changes["status"] == ["interested", "review"]
