"""Issue 5's "Done when" for requisitions: after a sync from the Kamana sandbox over real HTTP, a coordinator creates a
requisition in chromium, is stopped by Kamana's rule on hours per week before anything is sent, fixes it, and the
worker creates it in the sandbox; an edit of the openings reaches the sandbox the same way, while the page watches
the sync state."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from portal.integrations.models import OutboundRequest
from portal.integrations.sync import run_sync
from portal.jobs.models import Facility, JobRequisition
from tests.support.processes import wait_until
from tests.vendors.kamana import conftest as kamana_fixtures

# The Kamana sandbox over HTTP, a connection to it, and its push receivers, shared with the Kamana tests.
kamana_server, vendor, kamana = kamana_fixtures.kamana_server, kamana_fixtures.vendor, kamana_fixtures.kamana
registered, pushing = kamana_fixtures.registered, kamana_fixtures.pushing

# serialized_rollback: an earlier transactional test flushed the roles that migrations create.
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def sent(requisition: JobRequisition, operation: str) -> list[OutboundRequest]:
    """Wait until the worker has settled every `operation` push of the requisition; each must have been sent."""
    rows = OutboundRequest.objects.filter(operation=operation, object_id=str(requisition.pk))
    assert rows.exists(), f"a {operation} was queued"
    wait_until(
        lambda: not rows.exclude(state__in=["sent", "failed"]).exists(),
        timeout=30,
        message=f"the worker to send {operation} to Kamana",
    )
    assert [(row.state, row.last_error) for row in rows] == [("sent", "")] * rows.count()
    return list(rows.order_by("pk"))


def test_a_coordinator_creates_and_edits_a_requisition_and_kamana_holds_it(
    coordinator_page, live_server, kamana, vendor, pushing, celery_worker
):
    for resource in ("professions", "specialties", "facilities", "job_requisitions"):
        assert run_sync(kamana, resource, full=True).state == "succeeded"
    # A profession and specialty that go together in Kamana: a synced requisition's pair.
    pair = JobRequisition.objects.exclude(profession=None).exclude(specialty=None).select_related("specialty").first()
    specialty = pair.specialty
    facility = Facility.objects.exclude(external_id="").order_by("name").first()
    page = coordinator_page

    page.goto(f"{live_server.url}/jobs/new/")
    page.get_by_label("Send to").select_option(value=str(kamana.pk))
    page.get_by_label("Name").fill("ICU Registered Nurse, nights (browser)")
    page.get_by_label("Job type").select_option("Travel Contract")
    page.get_by_label("Facility").select_option(value=str(facility.pk))
    page.get_by_label("Profession").select_option(value=str(pair.profession_id))
    page.get_by_label("Specialty").select_option(value=str(specialty.pk))
    page.get_by_label("Number of openings").fill("2")
    page.get_by_label("Years of experience").fill("3")
    page.get_by_label("Starts on").fill("2027-01-11")
    page.get_by_label("Contract length (weeks)").fill("13")
    page.get_by_label("Hours per week").fill("7")
    page.get_by_label("Shift starts (hour)").fill("19")
    page.get_by_label("Shift ends (hour)").fill("7")
    page.get_by_label("Weekly gross pay (USD)").fill("2466.00")
    page.get_by_role("button", name="Save").click()

    hours = page.locator(".field", has=page.get_by_label("Hours per week"))
    expect(hours).to_contain_text("Hours per week must be one of 8, 12, 16, 24, 32, 36, 40, 48, 56, 58, 60.")
    assert not JobRequisition.objects.filter(connection=kamana, external_id="").exists()
    assert not OutboundRequest.objects.exists(), "nothing was queued for a body Kamana would refuse"

    page.get_by_label("Hours per week").fill("36")
    page.get_by_role("button", name="Save").click()

    expect(page.locator("#messages")).to_contain_text("Saved; queued for Kamana sandbox.")
    requisition = JobRequisition.objects.get(name="ICU Registered Nurse, nights (browser)")
    [created] = sent(requisition, "create_job_requisition")
    attrs = vendor.world.requisitions[created.vendor_id]
    assert attrs["source_reference_number"] == created.natural_key == f"portal-jobrequisition-{requisition.pk}"
    assert (attrs["name"], attrs["hours_per_week"], attrs["number_of_openings"]) == (
        "ICU Registered Nurse, nights (browser)",
        36,
        2,
    )
    assert (attrs["facility_id"], attrs["specialty_id"]) == (facility.external_id, specialty.external_id)
    assert (attrs["contract_length"], attrs["shift_start_time"], attrs["shift_end_time"]) == (13, 19, 7)
    # The detail page polls its sync panel while the push is under way.
    expect(page.locator("#requisition-sync")).to_have_attribute("data-sync", "sent", timeout=15_000)
    expect(page.locator("#requisition-sync")).to_contain_text("Sent to Kamana sandbox")

    page.get_by_role("link", name="Edit").click()
    page.get_by_label("Number of openings").fill("5")
    page.get_by_role("button", name="Save").click()

    expect(page.locator("#messages")).to_contain_text("Saved; queued for Kamana sandbox.")
    sent(requisition, "update_job_requisition")
    assert vendor.world.requisitions[created.vendor_id]["number_of_openings"] == 5
    expect(page.locator("#requisition-sync")).to_have_attribute("data-sync", "sent", timeout=15_000)

    # Put on hold from the detail page: the status block swaps in place and the sync panel watches the push.
    page.evaluate("window.__sameDocument = true")
    page.get_by_label("Change to").select_option("on_hold")
    page.get_by_role("button", name="Change status").click()
    expect(page.locator("#requisition-status [data-status]")).to_have_attribute("data-status", "on_hold")
    expect(page.locator("#requisition-sync")).to_have_attribute("data-sync", "sent", timeout=15_000)
    assert vendor.world.requisitions[created.vendor_id]["status"] == "on_hold"
    assert page.evaluate("window.__sameDocument") is True, "the status changed without a reload"

    # The list finds it by name as the coordinator types, in place, with the search in the URL.
    page.goto(f"{live_server.url}/jobs/")
    page.evaluate("window.__sameDocument = true")
    page.get_by_label("Search").fill("nights (browser)")
    expect(page).to_have_url(re.compile(r"q=nights"))
    expect(page.locator("#requisitions tbody tr")).to_have_count(1)
    expect(page.locator(f"#requisition-{requisition.pk}")).to_contain_text("Sent to Kamana sandbox")
    assert page.evaluate("window.__sameDocument") is True, "HTMX swapped the list in place"
