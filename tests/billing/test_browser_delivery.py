"""In chromium, with the Ceki sandbox answering 503 (fault injected over HTTP at `/_sandbox/faults`): approving says
it is sending to Ceki, the approved row then says it has not reached Ceki with Ceki's reason and the next try, the
page carries a Ceki banner, and "Try now" once Ceki is back gets it there (issue 17, items 2 and 3)."""

from __future__ import annotations

import httpx
import pytest
from playwright.sync_api import expect

from portal.billing.models import Transaction
from portal.integrations.sync import run_sync
from tests.billing.test_browser_approvals import settled
from tests.billing.test_browser_ceki import send_outbox
from tests.vendors.ceki.conftest import ceki, ceki_server, ceki_vendor  # noqa: F401 (fixtures)
from vendors.ceki.provider import Provider

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

CEKI_APPROVED = "200"


def test_an_approval_ceki_refuses_says_so_with_the_reason_and_goes_through_on_try_now(
    coordinator_page,
    live_server,
    ceki,  # noqa: F811 (fixture)
    ceki_server,  # noqa: F811 (fixture)
    ceki_vendor,  # noqa: F811 (fixture)
):
    for name in Provider.resources:
        run_sync(ceki, name)
    chosen = Transaction.objects.filter(connection=ceki, kind="charge", status="pending").order_by("pk").first()
    faults = f"{ceki_server.url}/_sandbox/faults"
    httpx.post(faults, json={"fault": "503", "vendor": "ceki"}).raise_for_status()
    page = coordinator_page
    page.goto(f"{live_server.url}/billing/approvals/?kind=charge")
    page.get_by_label(f"Select transaction #{chosen.pk}", exact=True).check()
    page.get_by_role("button", name="Approve").click()
    expect(page.locator("#messages")).to_contain_text("Approved here: 1 transaction; sending to TribeIT Ceki.")
    assert send_outbox() == ["pending"], "Ceki answered 503: it waits for its next try"

    page.goto(f"{live_server.url}/billing/approvals/?status=approved&kind=charge")
    row = page.locator(f"#transaction-{chosen.pk}")
    expect(row).to_contain_text("Not reached Ceki sandbox yet")
    expect(row).to_contain_text("next try")
    expect(row.locator('[data-delivery="waiting"]')).to_be_visible()
    expect(page.locator(".vendor-trouble")).to_contain_text("TribeIT Ceki is failing (Ceki sandbox)")
    expect(page.locator("#undelivered-count")).to_contain_text("1 waiting to reach a vendor")
    assert ceki_vendor.transactions[int(chosen.external_id)]["payment_status_id"] != CEKI_APPROVED

    httpx.delete(faults).raise_for_status()
    settled(page)
    row.get_by_role("button", name="Try now").click()
    expect(page.locator("#messages")).to_contain_text("Sending to TribeIT Ceki again.")
    assert send_outbox() == ["sent"]
    page.reload()
    expect(page.locator(f"#transaction-{chosen.pk}")).to_contain_text("Sent to Ceki sandbox")
    expect(page.locator(".vendor-trouble")).to_have_count(0)
    expect(page.locator("#undelivered-count")).to_have_count(0)
    assert ceki_vendor.transactions[int(chosen.external_id)]["payment_status_id"] == CEKI_APPROVED
