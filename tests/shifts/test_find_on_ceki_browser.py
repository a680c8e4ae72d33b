"""Issue 22 in chromium with the suite's real Celery worker: from an unfilled shift, find on Ceki (the search
prefilled from the shift, its cost said first), view a profile (free this month, said so), book a slot; the
worker books it once at the Ceki sandbox, and the shift shows the booked person, filled, without a reload."""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from portal.integrations.models import OutboundRequest
from tests.shifts.factories import ShiftRequestFactory
from tests.vendors.ceki import conftest as ceki_fixtures

ceki_server, ceki_vendor, ceki, ceki_agent = (
    ceki_fixtures.ceki_server,
    ceki_fixtures.ceki_vendor,
    ceki_fixtures.ceki,
    ceki_fixtures.ceki_agent,
)
# serialized_rollback: an earlier transactional test flushed the roles that migrations create.
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_a_coordinator_finds_views_and_books_a_ceki_specialist_for_an_open_shift(
    coordinator_page, live_server, ceki_agent, ceki_vendor, celery_worker
):
    shift = ShiftRequestFactory()
    page = coordinator_page
    page.goto(live_server.url + reverse("shifts:detail", args=[shift.pk]))
    page.get_by_role("link", name=f"Find on {ceki_agent.name}").click()

    expect(page.locator("#id_starts_at")).to_have_value("2026-03-02T07:00")
    expect(page.locator("#id_hours_to")).to_have_value("15:00")
    expect(page.locator("#search-cost")).to_contain_text("Each search is billed")
    page.get_by_role("button", name="Search").click()

    offer = page.locator("#offer-503")
    expect(offer).to_contain_text("Priya Raman")
    expect(offer).to_contain_text("42.00 USD")
    expect(offer).to_contain_text("Mon 2 Mar 2026 08:00 EST")
    expect(page.locator("#view-cost")).to_contain_text("Free: 100 of 100 free profile views left this month.")
    offer.get_by_role("button", name="View profile").click()
    expect(offer).to_contain_text("priya.raman@specialists.example")
    expect(offer).to_contain_text("Not known yet")

    offer.get_by_role("button", name="Book this slot").click()
    expect(page.locator("#messages")).to_contain_text("Booking Priya Raman")
    booking = page.locator("#sourcing .bookings li")
    expect(booking).to_contain_text("Priya Raman")
    expect(booking).to_have_attribute("data-state", "booked", timeout=30_000)  # polled, no reload
    expect(booking).to_contain_text("Booked")
    row = OutboundRequest.objects.get(operation="book_slot", state="sent")
    (booked,) = ceki_vendor.bookings.values()
    assert row.vendor_id == str(booked["event"])
    expect(booking).to_contain_text(f"event {row.vendor_id}")
    page.reload()
    expect(page.locator("#shift-status")).to_have_text("Filled")
    expect(page.get_by_role("link", name=f"Find on {ceki_agent.name}")).to_have_count(0)
