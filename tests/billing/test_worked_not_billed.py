"""Worked but not billed: finished work with its time record that nothing bills once the grace period is over."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from portal.billing.reconciliation import Problem, reconcile
from tests.billing.factories import InvoiceLineFactory, TransactionFactory
from tests.contracts.factories import TimeEntryFactory
from tests.jobs.factories import ClientFactory, PatientFactory
from tests.shifts.factories import ShiftRequestFactory, TimecardFactory, VisitFactory

pytestmark = pytest.mark.django_db

SINCE, UNTIL = dt.datetime(2026, 3, 1, 5, tzinfo=dt.UTC), dt.datetime(2026, 3, 15, 4, tzinfo=dt.UTC)


def _unbilled_work() -> dict[str, object]:
    """One unbilled record per source, and one billed record per source beside it."""
    client = ClientFactory()
    visit = VisitFactory(client=client, patient=PatientFactory(client=client), status="completed")
    billed_visit = VisitFactory(client=client, patient=PatientFactory(client=client), status="completed")
    billed_punchcard = TimecardFactory(shift=None, visit=billed_visit, check_in=billed_visit.starts_at,
                                       check_out=billed_visit.ends_at, break_minutes=0)  # fmt: skip
    InvoiceLineFactory(timecard=billed_punchcard, quantity="2.00", rate="36.00", amount="72.00")
    entry = TimeEntryFactory()
    deleted_charge_entry = TimeEntryFactory()
    TransactionFactory(time_entry=deleted_charge_entry, status="deleted", hours=deleted_charge_entry.hours)
    TransactionFactory(time_entry=TimeEntryFactory(), hours="1.00")  # a live charge bills it (hours differ apart)
    return {
        "shift": TimecardFactory(shift=ShiftRequestFactory(status="completed"), bill_rate=None),
        "billed_shift": TimecardFactory(shift=ShiftRequestFactory(status="completed"), bill_rate="60.00"),
        "punchcard": TimecardFactory(
            shift=None, visit=visit, check_in=visit.starts_at, check_out=visit.ends_at, break_minutes=0
        ),
        "time_log": entry,
        "time_log_of_a_deleted_charge": deleted_charge_entry,
    }


def _unbilled(result) -> dict[str, str]:
    return {e.record: e.source for e in result.exceptions if e.problem == Problem.WORKED_NOT_BILLED}


def test_work_that_nothing_bills_after_the_grace_period_is_found_in_each_source():
    planted = _unbilled_work()
    found = _unbilled(reconcile(SINCE, UNTIL))
    assert found == {
        f"timecard:{planted['shift'].pk}": "IntelyCare shift",
        f"timecard:{planted['punchcard'].pk}": "Alaunus visit",
        f"time_entry:{planted['time_log'].pk}": "Ceki time log",
        f"time_entry:{planted['time_log_of_a_deleted_charge'].pk}": "Ceki time log",
    }
    shift = next(e for e in reconcile(SINCE, UNTIL).exceptions if e.record == f"timecard:{planted['shift'].pk}")
    assert shift.worked_hours == Decimal("7.50") and "14 days" in shift.detail


def test_within_the_grace_period_work_is_not_yet_an_exception(settings, time_machine):
    _unbilled_work()
    time_machine.move_to(dt.datetime(2026, 3, 20, tzinfo=dt.UTC))  # the work ended 6-19 days before
    settings.BILLING_GRACE_DAYS = 30
    assert _unbilled(reconcile(SINCE, UNTIL)) == {}
    settings.BILLING_GRACE_DAYS = 1
    assert len(_unbilled(reconcile(SINCE, UNTIL))) == 4


def test_the_key_of_an_exception_is_the_same_each_time_it_is_computed():
    _unbilled_work()
    first = [e.key for e in reconcile(SINCE, UNTIL).exceptions]
    assert first == [e.key for e in reconcile(SINCE, UNTIL).exceptions]
    assert len(set(first)) == len(first)
    assert all(key.startswith(("worked_not_billed/", "hours_differ/")) for key in first)
