"""A coordinator makes a bill of a contract's approved charges in chromium, then marks it paid."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from portal.billing.models import Bill, Transaction
from tests.billing.factories import TransactionFactory
from tests.contracts.factories import ContractFactory, ParticipantFactory, TimeEntryFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_make_a_bill_of_approved_charges_and_pay_it(coordinator_page, live_server):
    contract = ContractFactory(label="ICU nights")
    rosa = ParticipantFactory(contract=contract, talent__first_name="Rosa", talent__last_name="Diaz")
    charges = TransactionFactory.create_batch(2, beneficiary=rosa, status="approved", label="Night cover")
    TimeEntryFactory(contract=contract, participant=rosa, stopped_at=None, label="Charting")
    page = coordinator_page
    page.goto(f"{live_server.url}/billing/contracts/{contract.pk}/")
    expect(page.locator("#running-time")).to_contain_text("Rosa Diaz: Charting since")
    expect(page.locator("#participants")).to_contain_text("Rosa Diaz")

    page.get_by_label("Bill label").fill("March nights")
    page.get_by_role("button", name="Make bill").click()
    expect(page.locator("#messages")).to_contain_text("Bill “March nights” made with 2 charges.")
    bill = Bill.objects.get()
    card = page.locator(f"#bill-{bill.pk}")
    expect(card.locator("tbody tr")).to_have_count(2)
    expect(page.locator("#contract-bills")).to_contain_text("No approved charges waiting for a bill")

    card.get_by_role("button", name="Mark bill paid").click()
    expect(page.locator(f"#bill-{bill.pk}")).to_have_attribute("data-status", "paid")
    expect(page.locator("#messages")).to_contain_text("Bill “March nights” and its charges are marked paid.")
    assert set(Transaction.objects.filter(pk__in=[c.pk for c in charges]).values_list("status", flat=True)) == {"paid"}
