"""An Admin in chromium: a person known to two vendors, and moving their relationship along the pipeline."""

from __future__ import annotations

import pytest

from portal.talent.services import match_or_create_profile
from tests.jobs.factories import VendorConnectionFactory
from tests.support.browser import sign_in
from tests.talent.factories import AccountRelationshipFactory


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # an earlier test flushed the roles
def test_admin_sees_both_vendor_references_and_moves_the_relationship(page, live_server, portal_admin):
    kamana = VendorConnectionFactory(vendor="kamana", name="Kamana prod")
    alaunus = VendorConnectionFactory(vendor="alaunus", name="Alaunus home care")
    match_or_create_profile(email="rosa.reyes@example.com", first_name="Rosa", connection=kamana, external_id="k-77")
    profile = match_or_create_profile(
        email="ROSA.REYES@example.com", last_name="Reyes", connection=alaunus, external_id="a-12"
    )
    relationship = AccountRelationshipFactory(profile=profile, status="prospect")
    sign_in(page.context, portal_admin, live_server.url)

    page.goto(f"{live_server.url}/admin/talent/talentprofile/{profile.pk}/change/")
    references = page.inner_text("#references-group")
    assert "k-77" in references and "a-12" in references
    assert "Alaunus home care" in references and "Kamana prod" in references

    page.goto(f"{live_server.url}/admin/talent/accountrelationship/{relationship.pk}/change/")
    page.select_option("#id_status", "interested")
    page.fill("#id_sub_status", "Re-engaged")
    page.fill("#id_status_reason", "Asked for nights only")
    page.click("input[name=_continue]")
    page.wait_for_selector(".messagelist .success")
    history = page.inner_text(".field-audit_trail")
    assert '"status": ["prospect", "interested"]' in history
    assert portal_admin.username in history

    page.select_option("#id_status", "archived")
    page.fill("#id_status_reason", "Moved out of state")
    page.click("input[name=_continue]")
    page.wait_for_selector(".messagelist .success")
    page.select_option("#id_status", "engaged")  # archived -> engaged is not an allowed move
    page.click("input[name=_continue]")
    assert "Cannot change status from 'archived' to 'engaged'" in page.inner_text(".errorlist")
