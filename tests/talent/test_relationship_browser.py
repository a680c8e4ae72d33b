"""Issue #5's "Done when" for relationships: a person Kamana's sandbox holds reaches the portal over its webhooks;
a coordinator in chromium moves the relationship to another status with a sub-status and reason and marks the
person do not hire, both in place; the suite's Celery worker sends both to the sandbox over HTTP, the row shows
them sent without a reload, and the sandbox holds what was chosen."""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from portal.integrations.models import OutboundRequest
from portal.talent.models import AccountRelationship
from tests.support.processes import wait_until
from tests.vendors.kamana import conftest as kamana_fixtures

# The Kamana sandbox over HTTP, a connection to it, and its push receivers, shared with the Kamana tests.
kamana_server, vendor, kamana, api = (
    kamana_fixtures.kamana_server,
    kamana_fixtures.vendor,
    kamana_fixtures.kamana,
    kamana_fixtures.api,
)
registered, pushing = kamana_fixtures.registered, kamana_fixtures.pushing

# serialized_rollback: an earlier transactional test flushed the roles that migrations create.
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def person_from_kamana(client, api, vendor, kamana) -> AccountRelationship:
    """A talent profile and its relationship made in Kamana; the portal learns both from the sandbox's webhooks
    (there is no relationship list to sync), as it would in production."""
    profile = api.create_profile({"first_name": "Ada", "last_name": "Lovelace", "email": "ada@talent.test"})
    relationship = api.create_relationship(
        vendor.world.account_id, {"talent_profile_id": profile.id, "primary_contact_email": "recruiter1@agency.test"}
    )
    for payload in kamana_fixtures.sent_webhooks(vendor.server)[-2:]:
        kamana_fixtures.deliver(client, kamana, payload)
    return wait_until(
        lambda: AccountRelationship.objects.filter(connection=kamana, external_id=relationship.id).first(),
        message="the relationship webhook to be applied",
    )


def test_a_coordinator_moves_a_kamana_relationship_and_marks_do_not_hire_in_place(
    client, coordinator_page, live_server, kamana, api, vendor, pushing, celery_worker
):
    local = person_from_kamana(client, api, vendor, kamana)
    assert local.status == "interested"
    page = coordinator_page
    page.goto(live_server.url + reverse("talent:timeline", args=[local.profile_id]))
    row = page.locator(f"#relationship-{local.pk}")
    expect(row.locator(".status")).to_contain_text("Interested")
    expect(row.locator(".hire")).to_contain_text("Hireable")
    page.evaluate("window.__sameDocument = true")

    row.get_by_role("link", name="Change status").click()
    row.locator("select[name=status]").select_option("prospect")
    row.get_by_label("Sub-status").fill("Recruiter call")
    row.get_by_label("Reason").fill("Wants night shifts on telemetry")
    row.get_by_role("button", name="Save").click()
    expect(row.locator(".status")).to_contain_text("Recruiter call")
    expect(row.locator(".status .badge")).to_have_text("Prospect")

    page.once("dialog", lambda dialog: dialog.accept())  # hx-confirm asks before marking
    row.get_by_role("button", name="Mark do not hire").click()
    expect(row.locator(".hire")).to_contain_text("Do not hire")

    wait_until(
        lambda: (
            list(OutboundRequest.objects.order_by("pk").values_list("operation", "state"))
            == [("update_relationship_status", "sent"), ("set_do_not_hire", "sent")]
        ),
        timeout=30,
        message="the worker to send the status and do-not-hire to Kamana",
    )
    expect(row.locator(".sync")).to_contain_text("Sent to Kamana sandbox", timeout=15_000)  # the row polled
    held = vendor.world.relationships[local.external_id]
    chosen = {"status": "prospect", "sub_status": "Recruiter call", "status_reason": "Wants night shifts on telemetry"}
    assert {name: held[name] for name in chosen} == chosen
    assert held["do_not_hire?"] is True and held["do_not_hire_user_id"] == kamana.credentials["user_id"]
    assert page.evaluate("window.__sameDocument") is True, "changed in place, never reloaded"
