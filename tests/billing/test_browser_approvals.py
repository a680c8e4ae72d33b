"""A coordinator works the approvals queue in chromium: ticks several pending transactions (totals follow),
approves them, is refused paying a pending one with the reason, then marks the approved ones paid."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from portal.billing.models import Transaction
from tests.billing.factories import TransactionFactory
from tests.contracts.factories import ContractFactory, ParticipantFactory

# serialized_rollback: an earlier transactional test flushed the roles that migrations create.
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

Status = Transaction.Status


def settled(page) -> None:
    """Wait until htmx has wired the swapped-in content: a change made before that fires no request."""
    page.wait_for_function("() => !document.querySelector('.htmx-swapping, .htmx-settling, .htmx-added')")


def tick(page, transaction: Transaction) -> None:
    page.get_by_label(f"Select transaction #{transaction.pk}", exact=True).check()


def test_approve_several_then_pay_them_and_a_pending_one_is_refused(coordinator_page, live_server):
    icu, er = ContractFactory(label="ICU nights"), ContractFactory(label="ER days")
    chosen = [
        TransactionFactory(beneficiary=ParticipantFactory(contract=icu), amount="480.00", hours="8.00"),
        TransactionFactory(beneficiary=ParticipantFactory(contract=icu), amount="120.50", hours="2.00"),
        TransactionFactory(beneficiary=ParticipantFactory(contract=er), amount="240.25", hours="4.00"),
    ]
    left_pending = TransactionFactory(beneficiary=ParticipantFactory(contract=er), amount="99.00", hours="1.50")
    page = coordinator_page
    page.goto(f"{live_server.url}/billing/approvals/")
    expect(page.locator("#approvals tbody tr")).to_have_count(4)

    for transaction in chosen:
        tick(page, transaction)
    expect(page.locator("#selection-totals")).to_have_text("3 selected · 840.75 USD · 14.00 h")
    page.get_by_role("button", name="Approve").click()
    expect(page.locator("#messages")).to_contain_text("3 transactions approved.")
    expect(page.locator("#approvals tbody tr")).to_have_count(1)
    expect(page.locator("#selection-totals")).to_have_text("Nothing selected")

    tick(page, left_pending)
    page.get_by_role("button", name="Mark paid").click()
    expect(page.locator("#messages")).to_contain_text(
        f"Transaction #{left_pending.pk} was not marked paid: It is still pending: approve it before marking it paid."
    )
    expect(page.locator(f"#transaction-{left_pending.pk}")).to_have_attribute("data-status", "pending")

    settled(page)
    page.get_by_label("Waiting for").select_option("approved")
    expect(page.locator("#approvals tbody tr")).to_have_count(3)
    assert "status=approved" in page.url, "the filter is in the URL, shareable"
    page.get_by_label("Select every transaction on this page").check()
    expect(page.locator("#selection-totals")).to_contain_text("3 selected · 840.75 USD")
    page.get_by_role("button", name="Mark paid").click()
    expect(page.locator("#messages")).to_contain_text("3 transactions marked paid.")
    expect(page.locator("#approvals")).to_contain_text("Nothing is waiting for payment")

    statuses = dict(Transaction.objects.values_list("pk", "status"))
    assert {statuses[t.pk] for t in chosen} == {Status.PAID}
    assert statuses[left_pending.pk] == Status.PENDING
