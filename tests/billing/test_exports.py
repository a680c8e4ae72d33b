"""Exports of payroll hours, billing and exceptions: CSV and XLSX read back and checked against the hours engine and
the database; a range cut into weeks gives the engine's figures; refused ranges; roles; queries flat in rows."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal

import openpyxl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from portal.billing.exports import PAY_BUCKETS, ExportRange, hours_of, paid_hours, payroll_rows
from portal.billing.hours_sources import allocations_by_worker, spans_by_worker, worker_spans
from portal.billing.reconciliation import reconcile
from portal.billing.resolutions import resolve
from portal.core.roles import Role
from tests.billing.factories import BillFactory, BillLineItemFactory, InvoiceLineFactory, TransactionFactory
from tests.billing.test_reconciliation import plant_each_kind
from tests.contracts.factories import ParticipantFactory, TimeEntryFactory
from tests.jobs.factories import FacilityFactory, ProvinceFactory
from tests.shifts.factories import ShiftRequestFactory, TimecardFactory
from tests.support.properties import database_property, rolled_back
from tests.talent.factories import TalentProfileFactory

pytestmark = pytest.mark.django_db

URL = "/billing/exports/"
D = Decimal
H = dt.timedelta(hours=1)
# Memorial Day, Monday 25 May 2026, in a week that starts on Sunday 24 May.
MAY = {"first": "2026-05-24", "last": "2026-05-30"}


def _work(nurse, facility, starts_at: dt.datetime, hours: float, break_minutes: int = 0):
    shift = ShiftRequestFactory(facility=facility, starts_at=starts_at, ends_at=starts_at + hours * H)
    return TimecardFactory(shift=shift, professional=nurse, break_minutes=break_minutes)


@pytest.fixture
def california_week():
    """A California nurse: 10.5 h on Memorial Day, 13 h on Tuesday (8 regular, 4 overtime, 1 double)."""
    nurse = TalentProfileFactory(first_name="Ana", last_name="Silva")
    facility = FacilityFactory(province=ProvinceFactory(abbreviation="CA"), time_zone="America/Los_Angeles")
    _work(nurse, facility, dt.datetime(2026, 5, 25, 13, tzinfo=dt.UTC), 11, break_minutes=30)
    _work(nurse, facility, dt.datetime(2026, 5, 26, 13, tzinfo=dt.UTC), 13)
    return nurse


def _csv(response) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))


def _xlsx(response) -> list[dict[str, object]]:
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    header, *rows = book.active.iter_rows(values_only=True)
    return [dict(zip(header, row, strict=True)) for row in rows]


def test_payroll_hours_read_back_from_csv_and_xlsx_with_their_buckets(coordinator_client, california_week):
    response = coordinator_client.get(f"{URL}payroll-hours.csv", MAY)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv"
    assert 'filename="payroll-hours-by-day-2026-05-24-to-2026-05-30.csv"' in response["Content-Disposition"]
    rows = _csv(response)
    assert [(r["worker"], r["from"], r["to"]) for r in rows] == [
        ("Ana Silva", "2026-05-25", "2026-05-25"),
        ("Ana Silva", "2026-05-26", "2026-05-26"),
    ]
    monday, tuesday = rows
    # On the holiday its 8 regular hours are holiday hours; the overtime past 8 h stays overtime.
    assert [monday[f"{b}_hours"] for b in PAY_BUCKETS] == ["0.00", "2.50", "0.00", "8.00"]
    assert (monday["total_hours"], monday["holidays"]) == ("10.50", "Memorial Day")
    assert [tuesday[f"{b}_hours"] for b in PAY_BUCKETS] == ["8.00", "4.00", "1.00", "0.00"]

    sheet = _xlsx(coordinator_client.get(f"{URL}payroll-hours.xlsx", MAY))
    assert [(r["from"].date(), r["total_hours"], r["holiday_hours"]) for r in sheet] == [
        (dt.date(2026, 5, 25), 10.5, 8),
        (dt.date(2026, 5, 26), 13, 0),
    ]
    engine = allocations_by_worker(dt.date(2026, 5, 24), dt.date(2026, 5, 30))[california_week.pk]
    assert sum(D(str(r["total_hours"])) for r in sheet) == hours_of(sum((a.total for a in engine), dt.timedelta()))


def test_payroll_hours_per_week_sum_the_days(coordinator_client, california_week):
    rows = _csv(coordinator_client.get(f"{URL}payroll-hours.csv", {**MAY, "per": "week"}))
    assert len(rows) == 1
    assert [rows[0][f"{b}_hours"] for b in PAY_BUCKETS] == ["8.00", "6.50", "1.00", "8.00"]
    assert (rows[0]["from"], rows[0]["to"], rows[0]["total_hours"]) == ("2026-05-24", "2026-05-30", "23.50")


def test_billing_lists_invoice_lines_charges_and_bills_of_the_range(coordinator_client):
    InvoiceLineFactory(invoice__number="INV-7", invoice__invoice_date=dt.date(2026, 3, 10), quantity="30", rate="40")
    InvoiceLineFactory(invoice__invoice_date=dt.date.today() + dt.timedelta(days=1))  # after the range
    TransactionFactory(amount="480.00", hours="8.00", external_id="tx-1", label="Night cover")
    TransactionFactory(status="deleted")  # not money owed: left out
    bill = BillFactory(label="March week 1")
    BillLineItemFactory(bill=bill, amount="480.00", hours="8.00")
    BillLineItemFactory(bill=bill, amount="120.50", hours="2.00")
    period = {"first": "2026-03-01", "last": dt.date.today().isoformat()}  # bills are dated when made

    rows = _csv(coordinator_client.get(f"{URL}billing.csv", period))
    assert [(r["record"], r["reference"], r["amount"]) for r in rows] == [
        ("Alaunus invoice service", "INV-7", "1200.00"),
        ("Ceki charge", "tx-1", "480.00"),
        ("Ceki bill", f"#{bill.pk}", "600.50"),
    ]
    assert rows[1]["rate"] == "60.00" and rows[1]["date"] == "2026-03-02"
    assert rows[2]["hours"] == "10.00"
    sheet = _xlsx(coordinator_client.get(f"{URL}billing.xlsx", period))
    assert [r["amount"] for r in sheet] == [1200, 480, 600.5]


def test_exceptions_export_holds_every_exception_of_the_match_open_or_resolved(coordinator_client, coordinator):
    plant_each_kind()
    period = {"first": "2026-03-01", "last": "2026-03-14"}
    whole = reconcile(dt.datetime(2026, 3, 1, 5, tzinfo=dt.UTC), dt.datetime(2026, 3, 15, 4, tzinfo=dt.UTC))
    settled = whole.exceptions[0]
    resolve(settled, "Agreed with the client by phone", coordinator)

    rows = _csv(coordinator_client.get(f"{URL}exceptions.csv", period))
    assert sorted(r["problem"] for r in rows) == sorted(whole.counts.elements())
    assert len({r["problem"] for r in rows}) >= 5
    by_key = {r["key"]: r for r in rows}
    assert (by_key[settled.key]["status"], by_key[settled.key]["resolution_reason"]) == (
        "resolved", "Agreed with the client by phone",
    )  # fmt: skip
    assert {r["status"] for k, r in by_key.items() if k != settled.key} == {"open"}
    sheet = _xlsx(coordinator_client.get(f"{URL}exceptions.xlsx", period))
    assert [r["key"] for r in sheet] == [r["key"] for r in rows]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"first": "2026-03-10", "last": "2026-03-01"}, "Choose a period of 1 to 366 days"),
        ({"first": "2025-01-01", "last": "2026-03-01"}, "Choose a period of 1 to 366 days"),
        ({"first": "soon", "last": "2026-03-01"}, "Enter a valid date"),
        ({"first": "2026-03-01", "last": "2026-03-02", "per": "month"}, "Select a valid choice"),
    ],
)
def test_a_refused_range_shows_the_form_with_its_error(coordinator_client, query, message):
    response = coordinator_client.get(f"{URL}payroll-hours.csv", query)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert 'id="exports"' not in response.content.decode()


def test_the_page_links_each_export_in_both_formats(coordinator_client, django_assert_max_num_queries):
    with django_assert_max_num_queries(5):  # session, user, roles, the navigation's two counts: no export is run
        response = coordinator_client.get(URL, {"first": "2026-03-01", "last": "2026-03-31", "per": "week"})
    body = response.content.decode()
    for name in ("payroll-hours", "billing", "exceptions"):
        for fmt in ("csv", "xlsx"):
            assert f"/billing/exports/{name}.{fmt}?first=2026-03-01&amp;last=2026-03-31&amp;per=week" in body
    assert coordinator_client.get(f"{URL}payroll.pdf").status_code == 404


def test_exports_are_for_coordinators_and_admins(client, make_user):
    assert client.get(f"{URL}billing.csv").status_code == 302
    assert client.get(URL)["Location"].startswith("/accounts/login/")
    client.force_login(make_user("bot", Role.API_CLIENT))
    assert client.get(f"{URL}billing.csv").status_code == 403
    client.force_login(make_user("avery", Role.ADMIN))
    assert client.get(f"{URL}billing.csv").status_code == 200


def _many_weeks_of_work(nurses: int) -> None:
    facility = FacilityFactory(province=ProvinceFactory(abbreviation="CA"), time_zone="America/Los_Angeles")
    for n in range(nurses):
        nurse = TalentProfileFactory()
        for day in (2, 3, 9, 10):
            _work(nurse, facility, dt.datetime(2026, 3, day, 14, tzinfo=dt.UTC), 9 + n % 4)
        TransactionFactory()
        InvoiceLineFactory(invoice__invoice_date=dt.date(2026, 3, 5))


@pytest.mark.parametrize("nurses", [2, 12])
@pytest.mark.parametrize(
    ("name", "queries"),
    # Two weeks: the session and user (3), then per week the payroll's timecards, time logs and names, or the
    # week's resolutions and the match's sources (10); billing's three chunked reads once for the range.
    [("payroll-hours", 9), ("billing", 6), ("exceptions", 23)],
)
def test_an_export_costs_the_same_queries_at_any_size(
    coordinator_client, django_assert_max_num_queries, nurses, name, queries
):
    _many_weeks_of_work(nurses)
    with django_assert_max_num_queries(queries):
        response = coordinator_client.get(f"{URL}{name}.csv", {"first": "2026-03-01", "last": "2026-03-14"})
        rows = _csv(response)
    assert len(rows) >= (nurses if name != "exceptions" else 0)


# Punches and breaks on a 6-minute grid (payroll's tenth of an hour): every figure, halves of breaks included,
# is then a whole number of hundredths of an hour, so rounding cannot hide a lost or doubled minute.
card = st.tuples(
    st.integers(0, 20 * 24 * 10 - 1),  # start, in tenths of an hour from Sunday 1 March 2026, 00:00 UTC
    st.integers(15, 16 * 10),  # length in tenths of an hour, longer than any break
    st.sampled_from([0, 30, 60]),  # break minutes
    st.sampled_from(["CA", "NY", "AK"]),
)


@database_property
@given(cards=st.lists(card, min_size=1, max_size=12))
def test_exported_paid_hours_are_the_engines_worked_hours(cards):
    with rolled_back():
        nurse = TalentProfileFactory()
        for start, length, break_minutes, state in cards:
            facility = FacilityFactory(province=ProvinceFactory(abbreviation=state), time_zone="America/Los_Angeles")
            starts_at = dt.datetime(2026, 3, 1, tzinfo=dt.UTC) + start * H / 10
            _work(nurse, facility, starts_at, length / 10, break_minutes)
        period = ExportRange(dt.date(2026, 3, 1), dt.date(2026, 3, 21))
        rows = list(payroll_rows(period))
        engine = allocations_by_worker(period.first, period.last).get(nurse.pk, [])
        # Every hour in exactly one bucket: the buckets make each row's total...
        assert all(sum(row[4:8]) == row[8] for row in rows)
        # ...and the rows, cut week by week, hold what the engine finds over the whole range, bucket by bucket.
        worked = sum((a.total for a in engine), dt.timedelta())
        assert sum(row[8] for row in rows) == hours_of(worked)
        expected = [hours_of(t) for t in paid_hours(engine).values()]
        assert [sum(row[4 + i] for row in rows) for i in range(4)] == expected


def test_workers_stream_one_at_a_time_with_the_spans_read_all_at_once():
    facility = FacilityFactory(time_zone="America/New_York")
    first, second = TalentProfileFactory(), TalentProfileFactory()
    for nurse in (second, first, second):
        _work(nurse, facility, dt.datetime(2026, 3, 3, 12, tzinfo=dt.UTC), 8)
    TimeEntryFactory(participant=ParticipantFactory(talent=first))  # a Ceki time log joins her timecards
    streamed = list(worker_spans(dt.date(2026, 3, 1), dt.date(2026, 3, 7)))
    assert [worker for worker, _ in streamed] == sorted([first.pk, second.pk])
    assert dict(streamed) == spans_by_worker(dt.date(2026, 3, 1), dt.date(2026, 3, 7))
    assert sorted(len(spans) for _, spans in streamed) == [2, 2]
    only_first = spans_by_worker(dt.date(2026, 3, 1), dt.date(2026, 3, 7), workers=[first.pk])
    assert list(only_first) == [first.pk] and {s.key[0] for s in only_first[first.pk]} == {"timecard", "time_entry"}
