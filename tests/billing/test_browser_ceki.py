"""The approvals queue driving Ceki: what a coordinator approves and pays in chromium reaches the Ceki sandbox
(over real HTTP, through the outbox, one call per contract) and the sandbox ends in the same state."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from portal.billing.models import Transaction
from portal.integrations import outbox
from portal.integrations.models import OutboundRequest
from portal.integrations.sync import run_sync
from tests.billing.test_browser_approvals import settled
from tests.vendors.ceki.conftest import ceki, ceki_server, ceki_vendor  # noqa: F401 (fixtures)
from vendors.ceki.provider import Provider

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

CEKI_STATUS = {"pending": "100", "approved": "200", "paid": "300"}


def send_outbox() -> list[str]:
    """What the outbox worker does, in this process (the worker process has its own settings, without Ceki)."""
    due = OutboundRequest.objects.filter(state=OutboundRequest.State.PENDING).order_by("pk")
    return [outbox.dispatch(pk).state for pk in due.values_list("pk", flat=True)]


def at_ceki(vendor, rows) -> set[str]:
    return {vendor.transactions[int(t.external_id)]["payment_status_id"] for t in rows}


def test_what_the_queue_approves_and_pays_is_what_ceki_holds(
    coordinator_page,
    live_server,
    ceki,  # noqa: F811 (fixture)
    ceki_vendor,  # noqa: F811 (fixture)
):
    for name in Provider.resources:
        run_sync(ceki, name)
    pending = Transaction.objects.filter(connection=ceki, kind="charge", status="pending").order_by("contract", "pk")
    by_contract: dict[int, list[Transaction]] = {}
    for row in pending:
        by_contract.setdefault(row.contract_id, []).append(row)
    chosen = [rows[0] for rows in by_contract.values()]
    refused = next(rows[1] for rows in by_contract.values())
    assert len(chosen) == 3 and at_ceki(ceki_vendor, [*chosen, refused]) == {CEKI_STATUS["pending"]}
    page = coordinator_page
    page.goto(f"{live_server.url}/billing/approvals/?kind=charge")

    for row in chosen:
        page.get_by_label(f"Select transaction #{row.pk}", exact=True).check()
    page.get_by_role("button", name="Approve").click()
    expect(page.locator("#messages")).to_contain_text("Approved here: 3 transactions; sending to TribeIT Ceki.")
    assert send_outbox() == ["sent"] * 3, "one approve call per contract"
    assert at_ceki(ceki_vendor, chosen) == {CEKI_STATUS["approved"]}

    page.get_by_label(f"Select transaction #{refused.pk}", exact=True).check()
    page.get_by_role("button", name="Mark paid").click()
    expect(page.locator("#messages")).to_contain_text(
        f"Transaction #{refused.pk} was not marked paid: It is still pending: approve it before marking it paid."
    )
    assert send_outbox() == [], "a refused payment never reaches Ceki"

    settled(page)
    page.get_by_label("Waiting for").select_option("approved")
    for row in chosen:
        page.get_by_label(f"Select transaction #{row.pk}", exact=True).check()
    page.get_by_role("button", name="Mark paid").click()
    expect(page.locator("#messages")).to_contain_text("Marked paid here: 3 transactions; sending to TribeIT Ceki.")
    assert send_outbox() == ["sent"] * 3, "one pay call per contract"
    assert at_ceki(ceki_vendor, chosen) == {CEKI_STATUS["paid"]}
    assert at_ceki(ceki_vendor, [refused]) == {CEKI_STATUS["pending"]}
    local = dict(Transaction.objects.filter(pk__in=[r.pk for r in [*chosen, refused]]).values_list("pk", "status"))
    assert {local[r.pk] for r in chosen} == {"paid"} and local[refused.pk] == "pending"
