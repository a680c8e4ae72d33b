"""The three-way match: each kind of exception found with its sources, matching work left alone, the queue's
page with its filters, roles and a constant query count."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from portal.billing.reconciliation import Problem, reconcile
from tests.billing.factories import InvoiceLineFactory, RateCardFactory, TransactionFactory
from tests.contracts.factories import ParticipantFactory, TimeEntryFactory
from tests.jobs.factories import ClientFactory, FacilityFactory, PatientFactory
from tests.shifts.factories import ShiftRequestFactory, TimecardFactory, VisitFactory

pytestmark = pytest.mark.django_db

URL = "/billing/reconciliation/"
PERIOD = {"first": "2026-03-01", "last": "2026-03-14"}
SINCE, UNTIL = dt.datetime(2026, 3, 1, 5, tzinfo=dt.UTC), dt.datetime(2026, 3, 15, 4, tzinfo=dt.UTC)
D = Decimal


def _punchcard(client, status="completed", hours=2):
    visit = VisitFactory(client=client, patient=PatientFactory(client=client), status=status)
    visit.ends_at = visit.starts_at + dt.timedelta(hours=hours)
    visit.save()
    return TimecardFactory(shift=None, visit=visit, check_in=visit.starts_at, check_out=visit.ends_at, break_minutes=0)


def plant_each_kind() -> dict[str, object]:
    """One of each exception and one of each source that matches."""
    client = ClientFactory()
    RateCardFactory(client=client, profession="HHA", bill_rate="36.00", pay_rate="24.00")
    RateCardFactory(client=client, profession="LPN", bill_rate="60.00", pay_rate="40.00")
    facility = FacilityFactory(client=client)
    planted = {
        "no_timecard_shift": ShiftRequestFactory(facility=facility, status="completed"),
        "no_timecard_visit": VisitFactory(client=client, status="completed"),
        "rate": TimecardFactory(shift=ShiftRequestFactory(facility=facility, status="completed"), bill_rate="70.00"),
        "matching_shift": TimecardFactory(
            shift=ShiftRequestFactory(facility=facility, status="completed"), bill_rate="60.00"
        ),
    }
    InvoiceLineFactory(timecard=_punchcard(client), quantity="3.00", rate="36.00", amount="108.00")  # hours differ
    InvoiceLineFactory(timecard=_punchcard(client, "cancelled"), quantity="2.00", rate="36.00", amount="72.00")
    InvoiceLineFactory(timecard=_punchcard(client), quantity="2.10", rate="36.00", amount="75.60")  # within 0.25 h
    twice = _punchcard(client)
    InvoiceLineFactory(timecard=twice, quantity="2.00", rate="36.00", amount="72.00")
    InvoiceLineFactory(timecard=twice, quantity="2.00", rate="36.00", amount="72.00")  # billed twice
    worker = ParticipantFactory()
    TransactionFactory(beneficiary=worker, hours="5.00", time_entry=TimeEntryFactory(contract=worker.contract))
    TransactionFactory(beneficiary=worker, hours="2.00", time_entry=TimeEntryFactory(contract=worker.contract))
    return planted


def test_each_kind_of_exception_is_found_with_its_sources_and_matches_are_left_alone():
    plant_each_kind()
    result = reconcile(SINCE, UNTIL)
    assert dict(result.counts) == {
        Problem.NO_TIMECARD: 2,
        Problem.HOURS_DIFFER: 2,
        Problem.BILLED_NOT_WORKED: 1,
        Problem.RATE_DIFFERS: 1,
        Problem.BILLED_TWICE: 1,
    }
    found = {(e.problem, e.source): e for e in result.exceptions}
    rate = found[(Problem.RATE_DIFFERS, "IntelyCare shift")]
    assert (rate.billed_rate, rate.card_rate, rate.worked_hours) == (D("70.00"), D("60.00"), D("7.50"))
    hours = found[(Problem.HOURS_DIFFER, "Alaunus visit")]
    assert (hours.worked_hours, hours.billed_hours) == (D("2.00"), D("3.00"))
    assert found[(Problem.HOURS_DIFFER, "Ceki charge")].billed_hours == D("5.00")
    assert found[(Problem.BILLED_NOT_WORKED, "Alaunus visit")].detail == "the work is cancelled"
    assert found[(Problem.BILLED_TWICE, "Alaunus visit")].detail.startswith("also on invoice INV-")
    assert {e.source for e in result.exceptions if e.problem == Problem.NO_TIMECARD} == {
        "IntelyCare shift",
        "Alaunus visit",
    }


def test_work_outside_the_period_is_not_matched():
    plant_each_kind()
    assert not reconcile(UNTIL, UNTIL + dt.timedelta(days=7)).counts


def test_the_queue_shows_counts_and_filters_by_problem(coordinator_client):
    plant_each_kind()
    html = coordinator_client.get(URL, PERIOD).content.decode()
    assert html.count('<tr data-problem="') == 7
    assert "Hours differ: <strong>2</strong>" in html and "70.00" in html and "the work is cancelled" in html
    only = coordinator_client.get(URL, {**PERIOD, "problem": "rate_differs"})
    assert [e.problem for e in only.context["exceptions"]] == ["rate_differs"]
    assert "Hours differ: <strong>2</strong>" in only.content.decode()  # counts stay whole


def test_an_empty_queue_says_so(coordinator_client):
    assert "No exceptions in this period" in coordinator_client.get(URL).content.decode()


@pytest.mark.parametrize("copies", [1, 8])
def test_the_queue_costs_the_same_queries_at_any_size(coordinator_client, django_assert_max_num_queries, copies):
    for _ in range(copies):
        plant_each_kind()
    coordinator_client.get(URL, PERIOD)
    # Page chrome, the rate cards, one query per source (six), the period's resolutions, the disputable charges and
    # timecards, the disputes (and their outbox rows when there are some).
    with django_assert_max_num_queries(19):
        response = coordinator_client.get(URL, PERIOD)
    assert len(response.context["exceptions"]) == 7 * copies
