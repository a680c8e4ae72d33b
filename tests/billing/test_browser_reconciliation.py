"""A coordinator works the exceptions queue in chromium: resolves one with a reason (it leaves the queue in place,
over HTMX with the CSRF header), finds it under Resolved with its reason, and reopens it."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from portal.billing.models import ExceptionResolution
from tests.billing.test_reconciliation import plant_each_kind

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

QUEUE = "/billing/reconciliation/?first=2026-03-01&last=2026-03-14"


def test_resolve_an_exception_find_it_with_its_reason_and_reopen_it(coordinator_page, live_server):
    plant_each_kind()
    page = coordinator_page
    page.goto(live_server.url + QUEUE)
    rows = page.locator("#exceptions tbody tr")
    expect(rows).to_have_count(7)
    row = page.locator('tr[data-problem="rate_differs"]')
    row.get_by_label("Reason").fill("Client agreed the higher rate for March")
    row.get_by_role("button", name="Resolve").click()
    expect(page.locator("#reconciliation-queue .message")).to_contain_text("Resolved: Rate differs from the rate card")
    expect(rows).to_have_count(6)
    expect(page.locator('tr[data-problem="rate_differs"]')).to_have_count(0)
    assert ExceptionResolution.objects.get().reason == "Client agreed the higher rate for March"

    page.get_by_label("Show").select_option("resolved")
    page.get_by_role("button", name="Show", exact=True).click()
    resolved = page.locator('tr[data-problem="rate_differs"]')
    expect(resolved).to_contain_text("Client agreed the higher rate for March")
    resolved.get_by_role("button", name="Reopen").click()
    expect(page.locator("#reconciliation-queue .message")).to_contain_text("Reopened.")
    expect(page.locator("#exceptions")).to_have_count(0)  # nothing resolved left
    page.goto(live_server.url + QUEUE)
    expect(rows).to_have_count(7)
