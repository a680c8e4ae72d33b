"""Issue 6's "Done when": a coordinator creates a shift in chromium, the worker sends it to the IntelyCare sandbox
over HTTP, the sandbox accepts it with a signed webhook, and the board shows the professional without a reload;
and a failed delivery retried from the shift's page goes out while the page watches."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.contenttypes.models import ContentType
from playwright.sync_api import expect

from portal.integrations.models import OutboundRequest
from portal.shifts.models import ShiftRequest
from tests.jobs.factories import FacilityFactory
from tests.shifts.factories import ShiftRequestFactory
from tests.support.processes import wait_until
from tests.vendors.intelycare import fixtures

# serialized_rollback: an earlier transactional test flushed the roles that migrations create.
# The IntelyCare sandbox over HTTP and a connection to it, shared with the integration tests.
sandbox, intelycare = fixtures.sandbox, fixtures.intelycare

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_a_created_shift_is_filled_by_intelycare_and_the_board_shows_who(
    coordinator_page, live_server, sandbox, intelycare, celery_worker
):
    page = coordinator_page
    sandbox.set_target("intelycare", live_server.url + intelycare.webhook_path, fixtures.WEBHOOK_SECRET)
    facility = FacilityFactory(name="Harbor View", time_zone="America/New_York")
    day = dt.date.today() + dt.timedelta(days=7)  # in the future: the sandbox will not complete it yet

    page.goto(f"{live_server.url}/shifts/new/")
    page.get_by_label("Send to").select_option(value=str(intelycare.pk))
    page.get_by_label("Facility").select_option(value=str(facility.pk))
    page.get_by_label("Unit").fill("3 North")
    page.get_by_label("Professional type").select_option("RN")
    page.get_by_label("Day").fill(day.isoformat())
    page.get_by_label("Starts").fill("07:00")
    page.get_by_label("Ends").fill("15:00")
    page.get_by_role("button", name="Create").click()

    expect(page.locator("#messages")).to_contain_text("1 shift created and queued for IntelyCare sandbox")
    shift = ShiftRequest.objects.get(facility=facility)
    row = page.locator(f"#shift-{shift.pk}")
    expect(row).to_have_attribute("data-status", "open")
    expect(row).to_contain_text("07:00\u201315:00 E")  # EST or EDT, on the facility's clock
    page.evaluate("window.__sameDocument = true")

    delivery = OutboundRequest.objects.get(operation="create_shift", natural_key=shift.external_shift_id)
    wait_until(
        lambda: OutboundRequest.objects.filter(pk=delivery.pk, state="sent").exists(),
        timeout=30,
        message="the worker to send the shift to IntelyCare",
    )
    vendor = sandbox.vendors["intelycare"]
    [internal_id] = vendor.world.shifts
    professional = vendor.world.professionals[internal_id % len(vendor.world.professionals)]
    expect(row.locator("[data-delivery]")).to_have_attribute("data-delivery", "sent")

    sandbox.tick()  # IntelyCare fills every open shift: a signed Accepted webhook to the portal

    expect(row).to_have_attribute("data-status", "filled", timeout=30_000)
    expect(row.locator(".professional")).to_contain_text(f"{professional['firstName']} {professional['lastName']}")
    assert page.evaluate("window.__sameDocument") is True, "updated by polling, not by a reload"
    [accepted] = sandbox.deliveries
    assert accepted.delivered, "the portal took the signed webhook"


def test_a_coordinator_retries_a_failed_delivery_and_watches_it_go_out(
    coordinator_page, live_server, sandbox, intelycare, celery_worker
):
    page = coordinator_page
    shift = ShiftRequestFactory(connection=intelycare)
    failed = OutboundRequest.objects.create(
        connection=intelycare,
        operation="create_shift",
        natural_key=shift.external_shift_id,
        content_type=ContentType.objects.get_for_model(ShiftRequest),
        object_id=str(shift.pk),
        state="failed",
        attempts=5,
        last_error="IntelyCare could not be reached",
    )
    page.goto(f"{live_server.url}/shifts/{shift.pk}/")
    row = page.locator(f"#delivery-{failed.pk}")
    expect(row).to_contain_text("Not sent to IntelyCare sandbox: IntelyCare could not be reached")
    row.get_by_role("button", name="Retry").click()
    expect(page.locator("#messages")).to_contain_text("Sending to IntelyCare sandbox again.")
    page.evaluate("window.__sameDocument = true")
    expect(page.locator(f"#delivery-{failed.pk}")).to_have_attribute("data-state", "sent", timeout=30_000)
    assert page.evaluate("window.__sameDocument") is True, "the delivery panel polled; no reload"
    assert list(sandbox.vendors["intelycare"].world.by_external) == [shift.external_shift_id]
