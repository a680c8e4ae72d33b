"""Issue 24's "Done when" for clients and facilities, in chromium on the Kamana sandbox with the suite's real
Celery worker: a coordinator creates a client, adds two contacts, edits one and removes one, all inline; creates a
facility (refused first without a street, as Kamana would) and edits it; the sandbox holds each change and the
pages show each delivery settle without a reload."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from portal.integrations.models import OutboundRequest
from portal.integrations.sync import run_sync
from portal.jobs.models import Client, ClientContact, Facility, Province
from tests.support.processes import wait_until
from tests.vendors.kamana import conftest as kamana_fixtures

kamana_server, vendor, kamana = kamana_fixtures.kamana_server, kamana_fixtures.vendor, kamana_fixtures.kamana
registered, pushing = kamana_fixtures.registered, kamana_fixtures.pushing

# serialized_rollback: an earlier transactional test flushed the roles that migrations create.
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def all_sent() -> None:
    """Wait until the worker has settled every queued change; each must have reached Kamana."""
    rows = OutboundRequest.objects.all()
    wait_until(
        lambda: rows.exists() and not rows.exclude(state__in=["sent", "failed"]).exists(),
        timeout=30,
        message="the worker to send every change to Kamana",
    )
    assert [(r.operation, r.state, r.last_error) for r in rows.order_by("pk") if r.state != "sent"] == []


def test_a_coordinator_creates_a_client_with_two_contacts_edits_one_and_removes_one(
    coordinator_page, live_server, kamana, vendor, pushing, celery_worker
):
    page = coordinator_page
    page.goto(f"{live_server.url}/jobs/clients/new/")
    page.get_by_label("Send to").select_option(value=str(kamana.pk))
    page.locator("#id_name").fill("Lakeside Health (browser)")
    page.get_by_label("Type at the vendor").fill("hospital")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".field", has=page.get_by_label("Type at the vendor"))).to_contain_text(
        "Choose one of: msp, idn, facility, custom."
    )
    assert not Client.objects.exists(), "nothing saved or queued for a type Kamana would refuse"

    page.get_by_label("Type at the vendor").fill("msp")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#messages")).to_contain_text("Client saved; queued for Kamana sandbox.")
    client = Client.objects.get()

    page.evaluate("window.__sameDocument = true")
    add = page.locator("#contact-add")
    for first, email in (("Dana", "dana@lakeside.test"), ("Omar", "omar@lakeside.test")):
        add.get_by_label("First name").fill(first)
        add.get_by_label("Last name").fill("Whitfield")
        add.get_by_label("Email").fill(email)
        add.get_by_label("Phone number").fill("3125550100")
        add.get_by_role("button", name="Add contact").click()
        expect(page.locator("#messages")).to_contain_text("Contact added; queued for Kamana sandbox.")
        add = page.locator("#contact-add")
    expect(page.locator("#contacts tr.contact")).to_have_count(2)
    dana = ClientContact.objects.get(email="dana@lakeside.test")
    omar = ClientContact.objects.get(email="omar@lakeside.test")

    row = page.locator(f"#contact-{dana.pk}")
    row.get_by_role("button", name="Edit").click()
    row.get_by_label("Mobile number").fill("3125550199")
    row.get_by_role("button", name="Save contact").click()
    expect(page.locator("#messages")).to_contain_text("Contact saved; queued for Kamana sandbox.")

    page.once("dialog", lambda dialog: dialog.accept())
    page.locator(f"#contact-{omar.pk}").get_by_role("button", name="Remove").click()
    expect(page.locator("#contacts tr.contact")).to_have_count(1)
    assert page.evaluate("window.__sameDocument") is True, "every contact change swapped in place"

    all_sent()
    client.refresh_from_db()
    assert vendor.world.clients[client.external_id]["type"] == "msp"
    held = vendor.world.contacts[client.external_id]
    assert [(c["email"], c["mobile_number"]) for c in held.values()] == [("dana@lakeside.test", "3125550199")]
    expect(page.locator("#deliveries")).to_have_attribute("data-in-flight", "no", timeout=15_000)
    expect(page.locator("#deliveries tr[data-state=sent]")).to_have_count(5)


def test_a_coordinator_creates_and_edits_a_facility_and_kamana_holds_it(
    coordinator_page, live_server, kamana, vendor, pushing, celery_worker
):
    assert run_sync(kamana, "facilities", full=True).state == "succeeded"  # Kamana's provinces come with them
    province = Province.objects.filter(connection=kamana).order_by("name").first()
    page = coordinator_page
    page.goto(f"{live_server.url}/jobs/facilities/new/")
    page.get_by_label("Send to").select_option(value=str(kamana.pk))
    page.locator("#id_name").fill("Queens Medical Center (browser)")
    page.get_by_label("City").fill("Honolulu")
    page.get_by_label("Province").select_option(value=str(province.pk))
    page.get_by_label("Postal code").fill("96813")
    page.get_by_label("Time zone").fill("Pacific/Honolulu")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".field", has=page.get_by_label("Street"))).to_contain_text("This field is required.")
    assert not Facility.objects.filter(name__endswith="(browser)").exists()

    page.get_by_label("Street").fill("1301 Punchbowl Street")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#messages")).to_contain_text("Facility saved; queued for Kamana sandbox.")
    facility = Facility.objects.get(name__endswith="(browser)")
    all_sent()
    facility.refresh_from_db()
    held = vendor.world.facilities[facility.external_id]
    assert (held["street"], held["province_id"], held["time_zone"]) == (
        "1301 Punchbowl Street",
        province.external_id,
        "Pacific/Honolulu",
    )
    expect(page.locator("#deliveries")).to_have_attribute("data-in-flight", "no", timeout=15_000)
    expect(page.locator("#deliveries")).to_contain_text("Sent to Kamana sandbox")

    page.get_by_role("link", name="Edit").click()
    page.locator("#id_name").fill("The Queen's Neuroscience Institute (browser)")
    page.get_by_label("Time zone").fill("America/Denver")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#messages")).to_contain_text("Facility saved; queued for Kamana sandbox.")
    all_sent()
    assert (held["name"], held["time_zone"]) == ("The Queen's Neuroscience Institute (browser)", "America/Denver")
    expect(page.locator("#deliveries tr[data-operation=update_facility][data-state=sent]")).to_have_count(
        1, timeout=15_000
    )

    # The list finds it as the coordinator types, in place, with the search in the URL.
    page.goto(f"{live_server.url}/jobs/facilities/")
    page.get_by_label("Search").fill("Neuroscience")
    expect(page.locator("#facilities tbody tr")).to_have_count(1)
    expect(page.locator(f"#facility-{facility.pk}")).to_contain_text("Sent to Kamana sandbox")
