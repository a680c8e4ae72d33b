"""Issue 24's "Done when" for "Add to Kamana": a person known only to another vendor (IntelyCare) is added to the
Kamana account from their timeline page, in chromium with the suite's real Celery worker; Kamana is asked by email
first, the profile and relationship are created in the sandbox, their ids are linked to the person, and the
relationship appears on the timeline with the status Kamana gave it, without a reload."""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from portal.integrations.models import OutboundRequest
from portal.talent.models import AccountRelationship, TalentReference
from tests.jobs.factories import VendorConnectionFactory
from tests.support.processes import wait_until
from tests.talent.factories import TalentProfileFactory, TalentReferenceFactory
from tests.vendors.kamana import conftest as kamana_fixtures

kamana_server, vendor, kamana = kamana_fixtures.kamana_server, kamana_fixtures.vendor, kamana_fixtures.kamana
registered, pushing = kamana_fixtures.registered, kamana_fixtures.pushing

# serialized_rollback: an earlier transactional test flushed the roles that migrations create.
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_a_coordinator_adds_a_person_from_another_vendor_to_kamana(
    coordinator_page, live_server, kamana, vendor, kamana_server, pushing, celery_worker
):
    intelycare = VendorConnectionFactory(vendor="intelycare", name="IntelyCare per diem", is_active=False)
    person = TalentProfileFactory(first_name="Ada", last_name="", email="ada.okafor@elsewhere.test")
    TalentReferenceFactory(profile=person, connection=intelycare, external_id="ic-77")
    profiles_before = len(vendor.world.profiles)
    page = coordinator_page
    page.goto(live_server.url + reverse("talent:timeline", args=[person.pk]))
    expect(page.locator("#relationships")).to_contain_text("No account relationships.")
    expect(page.locator("#relationships .known-to")).not_to_contain_text("Kamana")
    page.evaluate("window.__sameDocument = true")

    panel = page.locator("#add-to-account")
    panel.get_by_label("Add to").select_option(value=str(kamana.pk))
    panel.get_by_role("button", name="Add to account").click()
    expect(page.locator("#add-to-account .field", has=page.get_by_label("Last name"))).to_contain_text(
        "This field is required."
    )
    assert not OutboundRequest.objects.exists(), "Kamana needs a last name: refused before anything is queued"

    page.locator("#add-to-account").get_by_label("Last name").fill("Okafor")
    page.locator("#add-to-account").get_by_role("button", name="Add to account").click()
    expect(page.locator("#messages")).to_contain_text("Adding Ada Okafor to Kamana sandbox")

    # The relationship is linked inside the send, the row marked sent just after it: wait for the row.
    row = wait_until(
        lambda: OutboundRequest.objects.filter(operation="add_talent", state__in=["sent", "failed"]).first(),
        timeout=30,
        message="the worker to add the person to Kamana",
    )
    assert (row.state, row.vendor_response["how"]) == ("sent", "profile created")
    relationship = AccountRelationship.objects.filter(profile=person, connection=kamana).exclude(external_id="").get()
    held = vendor.world.relationships[relationship.external_id]
    assert vendor.world.profiles[held["profile_id"]]["email"] == "ada.okafor@elsewhere.test"
    assert len(vendor.world.profiles) == profiles_before + 1
    assert TalentReference.objects.get(connection=kamana, profile=person).external_id == held["profile_id"]

    # The panel polled until the request settled, then brought the relationship table in place.
    expect(page.locator(f"#relationship-{relationship.pk} .status")).to_contain_text("Interested", timeout=15_000)
    known_to = page.locator("#relationships .known-to")
    expect(known_to).to_contain_text("IntelyCare per diem (id ic-77)")
    expect(known_to).to_contain_text(f"Kamana sandbox (id {held['profile_id']})")
    expect(page.locator(f"#add-request-{row.pk}")).to_contain_text("Sent to Kamana sandbox")
    expect(page.locator("#add-to-account form")).to_have_count(0), "Kamana knows the person now: nothing to add"
    assert page.evaluate("window.__sameDocument") is True
