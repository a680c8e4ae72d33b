"""Every shifts, contracts and billing model's admin pages load for the Admin role, with payload and history."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.urls import reverse

from tests.billing import factories as billing
from tests.contracts import factories as contracts
from tests.shifts import factories as shifts

pytestmark = pytest.mark.django_db

FACTORIES = [
    shifts.ShiftRequestFactory,
    shifts.VisitFactory,
    shifts.RecurringVisitGroupFactory,
    shifts.TimecardFactory,
    contracts.EngagementFactory,
    contracts.ExtensionFactory,
    contracts.NoteFactory,
    contracts.CredentialingRequirementFactory,
    contracts.ContractFactory,
    contracts.ParticipantFactory,
    contracts.ContractEventFactory,
    contracts.TimeEntryFactory,
    billing.TransactionFactory,
    billing.BillFactory,
    billing.BillLineItemFactory,
    billing.InvoiceFactory,
    billing.InvoiceLineFactory,
    billing.PayrollFactory,
    billing.PayrollEntryFactory,
    billing.RateCardFactory,
    billing.ExceptionResolutionFactory,
    billing.VendorDisputeFactory,
]


@pytest.fixture
def admin_client(client, portal_admin):
    client.force_login(portal_admin)
    return client


def _has_payload(factory) -> bool:
    return any(f.name == "vendor_data" for f in factory._meta.model._meta.fields)


@pytest.mark.parametrize("factory", FACTORIES, ids=lambda f: f._meta.model.__name__)
def test_admin_pages_load(admin_client, factory):
    record = factory(vendor_data={"id": "v-1", "note": "<b>raw</b>"}) if _has_payload(factory) else factory()
    meta = record._meta
    prefix = f"admin:{meta.app_label}_{meta.model_name}"
    changelist = admin_client.get(reverse(f"{prefix}_changelist"))
    assert changelist.status_code == 200
    assert str(record) in changelist.content.decode()
    # Rows the queue or the machinery makes are looked up here, never added by hand (their add page is refused).
    added = admin_client.get(reverse(f"{prefix}_add")).status_code
    assert added == (403 if admin.site._registry[record.__class__].machine_made else 200)
    change = admin_client.get(reverse(f"{prefix}_change", args=[record.pk]))
    assert change.status_code == 200
    if _has_payload(factory):
        body = change.content.decode()
        assert "Audit history" in body and "Created" in body
        assert "&lt;b&gt;raw&lt;/b&gt;" in body  # the payload is shown escaped, never as HTML


def test_transaction_changelist_links_to_contract_and_beneficiary(admin_client):
    transaction = billing.TransactionFactory()
    body = admin_client.get(reverse("admin:billing_transaction_changelist")).content.decode()
    assert reverse("admin:contracts_contract_change", args=[transaction.contract_id]) in body
    assert reverse("admin:contracts_contractparticipant_change", args=[transaction.beneficiary_id]) in body


def test_coordinator_is_kept_out_of_admin(client, coordinator):
    client.force_login(coordinator)
    response = client.get(reverse("admin:billing_transaction_changelist"))
    assert response.status_code == 302


def test_the_rate_card_admin_links_to_the_margins_of_a_period(admin_client, coordinator, client):
    from tests.billing.test_margins import LA, _california_shift
    from tests.jobs.factories import FacilityFactory, ProvinceFactory
    from tests.talent.factories import TalentProfileFactory

    facility = FacilityFactory(province=ProvinceFactory(abbreviation="CA"), time_zone=LA, name="Bayview")
    billing.RateCardFactory(client=facility.client, bill_rate="60.00", pay_rate="40.00")
    _california_shift(TalentProfileFactory(), facility, 2, 8)
    url = reverse("admin:billing_ratecard_margins")
    assert url in admin_client.get(reverse("admin:billing_ratecard_changelist")).content.decode()
    page = admin_client.get(url, {"first": "2026-06-01", "last": "2026-06-07", "group": "facility"})
    assert page.status_code == 200 and 'data-group="Bayview"' in page.content.decode()
    assert "160.00 USD" in page.content.decode()
    client.force_login(coordinator)
    assert client.get(url).status_code == 302, "coordinators are kept out of admin"
