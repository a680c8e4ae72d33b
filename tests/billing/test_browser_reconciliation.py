"""A coordinator works the exceptions queue in chromium: resolves one with a reason (it leaves the queue in place,
over HTMX with the CSRF header), finds it under Resolved with its reason, and reopens it."""

from __future__ import annotations

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from portal.billing.models import ExceptionResolution, Transaction, VendorDispute
from portal.billing.reconciliation import reconcile
from tests.billing.test_reconciliation import SINCE, UNTIL, plant_each_kind

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


def test_a_held_charge_is_refused_until_its_dispute_is_withdrawn(coordinator_page, live_server, coordinator):
    plant_each_kind()
    found = next(e for e in reconcile(SINCE, UNTIL).exceptions if e.record.startswith("transaction:"))
    charge = Transaction.objects.get(pk=found.record_pk)
    dispute = VendorDispute.objects.create(
        kind="hold_charge", exception_key=found.key, work_at=found.when, transaction=charge,
        note="Time log says 2 h more", raised_by=coordinator, raised_at=timezone.now(),
    )  # fmt: skip
    page = coordinator_page
    page.goto(live_server.url + "/billing/approvals/")
    row = page.locator(f"#transaction-{charge.pk}")
    expect(row).to_contain_text("held: Time log says 2 h more")
    row.get_by_label(f"Select transaction #{charge.pk}").check()
    page.get_by_role("button", name="Approve").click()
    expect(page.locator(".message.error")).to_contain_text(f"held by dispute #{dispute.pk}")

    page.goto(live_server.url + QUEUE)
    page.get_by_label("Why it ends").fill("The time log was wrong")
    page.get_by_role("button", name=f"Withdraw dispute #{dispute.pk}").click()
    expect(page.locator("#reconciliation-queue .message")).to_contain_text(f"Dispute #{dispute.pk} withdrawn.")
    expect(page.locator(".dispute-closed")).to_contain_text("The time log was wrong")

    page.goto(live_server.url + "/billing/approvals/")
    expect(page.locator(f"#transaction-{charge.pk} .held")).to_have_count(0)
    page.get_by_label(f"Select transaction #{charge.pk}").check()
    page.get_by_role("button", name="Approve").click()
    expect(page.locator(f"#transaction-{charge.pk}")).to_have_count(0)  # it left the queue waiting for approval
    charge.refresh_from_db()
    assert charge.status == "approved"
