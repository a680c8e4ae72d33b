"""Invoices and payroll periods: roles, totals with their currency, filters in the URL, constant query counts."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.template.loader import render_to_string
from django.urls import reverse

from portal.core.roles import Role
from tests.billing.factories import InvoiceFactory, PayrollEntryFactory, PayrollFactory
from tests.jobs.factories import PatientFactory

pytestmark = pytest.mark.django_db

URL = "/billing/ledger/"


def test_only_coordinators_and_admins_see_the_ledger(client, make_user, portal_admin):
    assert reverse("billing:ledger") == URL
    assert "/login" in client.get(URL)["Location"]
    client.force_login(make_user("machine", Role.API_CLIENT))
    assert client.get(URL).status_code == 403
    client.force_login(portal_admin)
    assert client.get(URL).status_code == 200


def test_an_empty_ledger_says_what_to_do(coordinator_client):
    html = coordinator_client.get(URL).content.decode()
    assert "No invoices yet" in html and "No payroll periods yet" in html and "Sync an Alaunus connection" in html


def test_invoices_and_payrolls_show_their_totals_with_currency(coordinator_client):
    invoice = InvoiceFactory(
        patient=PatientFactory(first_name="Margaret"),
        currency="CAD",
        period_start=dt.date(2026, 3, 2),
        period_end=dt.date(2026, 3, 8),
    )
    payroll = PayrollFactory(currency="CAD", period_type="weekly")
    PayrollEntryFactory(payroll=payroll, hours="10.50", gross_pay="240.00", adjustments="12.40", currency="CAD")
    PayrollEntryFactory(payroll=payroll, hours="4.00", gross_pay="90.00", adjustments="0", currency="CAD")
    PayrollEntryFactory(
        payroll=payroll, hours="99", gross_pay="999", archived_at=dt.datetime(2026, 3, 20, tzinfo=dt.UTC)
    )
    PayrollFactory(period_start=dt.date(2026, 2, 1), period_end=dt.date(2026, 2, 14))  # no entries yet

    response = coordinator_client.get(URL)
    html = response.content.decode()
    assert f'id="invoice-{invoice.pk}"' in html
    assert "1,356.00 CAD" in html and "Mon 2 Mar 2026 \u2013 Sun 8 Mar 2026" in html and "Margaret" in html
    [row, empty] = response.context["payrolls"]
    assert (row.caregiver_count, row.hours, row.gross_pay, row.total_pay) == (
        2,
        Decimal("14.50"),
        Decimal("330.00"),
        Decimal("342.40"),
    )
    assert "342.40 CAD" in html, "the archived entry is left out of the totals"
    assert "14.5 h" in html and "330.00 CAD" in html
    assert (empty.caregiver_count, empty.total_pay) == (0, 0)


def test_filters_in_the_url_narrow_both_lists(coordinator_client):
    InvoiceFactory(currency="CAD", period_start=dt.date(2026, 3, 2), period_end=dt.date(2026, 3, 8))
    InvoiceFactory(currency="USD", period_start=dt.date(2026, 3, 2), period_end=dt.date(2026, 3, 8))
    InvoiceFactory(currency="CAD", period_start=dt.date(2026, 1, 5), period_end=dt.date(2026, 1, 11))
    PayrollFactory(currency="CAD")
    response = coordinator_client.get(URL, {"currency": "cad", "period_from": "2026-03-01"})
    assert len(response.context["invoices"]) == 1 and len(response.context["payrolls"]) == 1
    response = coordinator_client.get(URL, {"currency": "EUR"})
    assert "No invoices match these filters" in response.content.decode()
    response = coordinator_client.get(URL, {"period_from": "not a date", "page": "x"})
    assert len(response.context["invoices"]) == 3, "a mistyped filter drops only itself"


def test_htmx_gets_only_the_lists(coordinator_client):
    html = coordinator_client.get(URL, HTTP_HX_REQUEST="true").content.decode()
    assert 'id="ledger"' in html and "<html" not in html


@pytest.mark.parametrize("count", [5, 200])
def test_the_ledger_costs_the_same_queries_for_5_or_200_rows(coordinator_client, django_assert_max_num_queries, count):
    for n in range(count):
        InvoiceFactory(patient=PatientFactory())
        PayrollEntryFactory(
            payroll=PayrollFactory(
                period_start=dt.date(2026, 3, 1) - dt.timedelta(days=14 * n),
                period_end=dt.date(2026, 3, 14) - dt.timedelta(days=14 * n),
            )
        )
    coordinator_client.get(URL)
    with django_assert_max_num_queries(8):  # + the Alaunus banner and the nav count
        response = coordinator_client.get(URL)
    assert len(response.context["invoices"]) == min(count, 50)
    assert (response.context["next_page"] is not None) == (count > 50)


def test_sums_read_back_with_float_noise_show_as_money_and_hours(rf, coordinator):
    # Issue 17: SQLite (the demo) sums decimals into Decimal('117.230000000000'); the page printed that as is.
    payroll = PayrollFactory.build(currency="USD", period_start=dt.date(2026, 3, 2), period_end=dt.date(2026, 3, 15))
    payroll.pk, payroll.caregiver_count = 1, 3
    payroll.hours, payroll.gross_pay = Decimal("117.230000000000"), Decimal("3485.51000000000")
    payroll.adjustments, payroll.total_pay = Decimal("0E-12"), Decimal("3485.51000000000")
    request = rf.get(URL)
    request.user = coordinator
    html = render_to_string("billing/ledger/htmx/ledger.html", {"payrolls": [payroll], "page_number": 1}, request)
    row = html[html.index('id="payroll-1"') :]
    assert "117.23 h" in row and "3,485.51 USD" in row and "0.00 USD" in row
    assert "000000" not in row
