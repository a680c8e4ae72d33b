"""Margin per shift (on the shift page), per engagement (on its page) and per period summed by client or facility
and week or month (on the rates page): rate cards times the hours engine's buckets, in a fixed number of queries."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from portal.billing.margins import engagement_margin, shift_margin, summarize
from portal.billing.rates import period_margin
from tests.billing.factories import RateCardFactory
from tests.billing.test_rates import LA, _california_shift
from tests.contracts.factories import ContractFactory, EngagementFactory, ParticipantFactory, TimeEntryFactory
from tests.jobs.factories import FacilityFactory, JobRequisitionFactory, ProvinceFactory
from tests.shifts.factories import ShiftRequestFactory, TimecardFactory
from tests.talent.factories import TalentProfileFactory

pytestmark = pytest.mark.django_db

D = Decimal
NY = "America/New_York"


def _texas_day(nurse, facility, day: int, hours: int = 10):
    """A day shift from 07:00 Central, in a state with the federal weekly rule only."""
    starts = dt.datetime(2026, 6, day, 12, tzinfo=dt.UTC)
    shift = ShiftRequestFactory(facility=facility, starts_at=starts, ends_at=starts + dt.timedelta(hours=hours),
                                professional_type="RN", assigned_professional=nurse, status="completed")  # fmt: skip
    return TimecardFactory(shift=shift, professional=nurse, break_minutes=0)


@pytest.fixture
def texas():
    facility = FacilityFactory(province=ProvinceFactory(abbreviation="TX"), time_zone="America/Chicago", name="Alamo")
    RateCardFactory(client=facility.client, profession="RN", bill_rate="60.00", pay_rate="40.00")
    return facility


def test_a_shift_is_priced_with_its_workers_week_so_its_hours_past_forty_are_overtime(texas):
    nurse = TalentProfileFactory()
    for day in (1, 2, 3, 4):  # Monday to Thursday, 40 hours
        _texas_day(nurse, texas, day)
    friday = _texas_day(nurse, texas, 5)
    _texas_day(TalentProfileFactory(), texas, 5)  # someone else's hours change nothing
    margin = shift_margin(friday.shift)
    [row] = margin.shifts
    assert row.hours == {"regular": 0, "overtime": 10, "double": 0}
    assert (row.bill, row.pay, row.margin) == (D("900.00"), D("600.00"), D("300.00"))
    alone = shift_margin(_texas_day(TalentProfileFactory(), texas, 5).shift)
    assert alone.money["USD"]["margin"] == D("200.00"), "ten regular hours keep 20.00 an hour"


def test_the_shift_page_shows_its_margin_in_a_fixed_number_of_queries(coordinator_client, texas):
    nurse = TalentProfileFactory()
    cards = [_texas_day(nurse, texas, day) for day in (1, 2, 3, 4, 5)]
    url = f"/shifts/{cards[-1].shift.pk}/"
    html = coordinator_client.get(url).content.decode()
    assert 'id="margin"' in html and "300.00 USD" in html and "0 h regular, 10 h overtime" in html

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert coordinator_client.get(url).status_code == 200
        return len(captured)

    few = queries()
    for _ in range(6):
        _texas_day(TalentProfileFactory(), texas, 5)
        _texas_day(nurse, texas, 6, hours=4)
    assert queries() == few


def test_a_shift_without_a_finished_timecard_says_so(coordinator_client, texas):
    shift = ShiftRequestFactory(facility=texas, status="filled", assigned_professional=TalentProfileFactory())
    assert "No finished timecard for this shift yet" in coordinator_client.get(f"/shifts/{shift.pk}/").content.decode()


def test_an_engagement_sums_its_talents_shifts_at_its_facility_in_its_dates(coordinator_client, texas):
    nurse = TalentProfileFactory()
    engagement = EngagementFactory(talent=nurse, facility=texas, starts_on=dt.date(2026, 6, 1),
                                   ends_on=dt.date(2026, 6, 30))  # fmt: skip
    _texas_day(nurse, texas, 2)
    _texas_day(nurse, texas, 9)
    _texas_day(nurse, FacilityFactory(client=texas.client, province=texas.province), 3)  # another facility
    _texas_day(TalentProfileFactory(), texas, 2)  # another talent
    margin = engagement_margin(engagement)
    assert len(margin.shifts) == 2 and margin.money["USD"]["margin"] == D("400.00")
    html = coordinator_client.get(f"/engagements/{engagement.pk}/").content.decode()
    assert 'id="margin"' in html and "400.00 USD" in html


def test_a_period_sums_per_client_or_facility_and_per_week_or_month():
    north = FacilityFactory(province=ProvinceFactory(abbreviation="CA"), time_zone=LA, name="North")
    south = FacilityFactory(client=north.client, province=north.province, time_zone=LA, name="South")
    RateCardFactory(client=north.client, bill_rate="60.00", pay_rate="40.00")
    _california_shift(TalentProfileFactory(), north, 2, 8)  # week of 31 May
    _california_shift(TalentProfileFactory(), south, 3, 8)
    _california_shift(TalentProfileFactory(), north, 9, 8)  # week of 7 June
    result = period_margin(dt.date(2026, 6, 1), dt.date(2026, 6, 14))
    by_client_week = [(line.group, line.starts, line.shifts, line.margin) for line in summarize(result)]
    assert by_client_week == [
        (north.client.name, dt.date(2026, 5, 31), 2, D("320.00")),
        (north.client.name, dt.date(2026, 6, 7), 1, D("160.00")),
    ]
    by_facility_month = [(line.group, line.starts, line.shifts) for line in summarize(result, "facility", "month")]
    assert by_facility_month == [("North", dt.date(2026, 6, 1), 2), ("South", dt.date(2026, 6, 1), 1)]


def test_the_rates_page_shows_the_summary_chosen_in_the_url(coordinator_client):
    north = FacilityFactory(province=ProvinceFactory(abbreviation="CA"), time_zone=LA, name="North")
    RateCardFactory(client=north.client, bill_rate="60.00", pay_rate="40.00")
    _california_shift(TalentProfileFactory(), north, 2, 8)
    query = {"first": "2026-06-01", "last": "2026-06-07", "group": "facility", "step": "month"}
    html = coordinator_client.get("/billing/rates/", query).content.decode()
    assert 'id="margin-summary"' in html and 'data-group="North" data-starts="2026-06-01"' in html
    assert "June 2026" in html and "160.00 USD" in html


def test_an_engagement_prices_its_ceki_time_logs_at_its_facility_and_says_when_it_cannot(coordinator_client, texas):
    nurse = TalentProfileFactory()
    requisition = JobRequisitionFactory(facility=texas)  # a Registered Nurse's job: the RN card prices it
    engagement = EngagementFactory(talent=nurse, facility=texas, job_requisition=requisition,
                                   starts_on=dt.date(2026, 6, 1), ends_on=dt.date(2026, 6, 30))  # fmt: skip
    _texas_day(nurse, texas, 2)
    ours = ContractFactory(engagement=engagement)
    logged = dt.datetime(2026, 6, 3, 13, tzinfo=dt.UTC)  # Wednesday 08:00 Central: a day shift
    TimeEntryFactory(contract=ours, participant=ParticipantFactory(contract=ours, talent=nurse), started_at=logged,
                     stopped_at=logged + dt.timedelta(hours=5), time_zone="America/Chicago")  # fmt: skip
    url = f"/engagements/{engagement.pk}/"

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert coordinator_client.get(url).status_code == 200
        return len(captured)

    few = queries()
    margin = engagement_margin(engagement)
    assert [row.hours["regular"] for row in margin.shifts] == [10, 5]
    assert margin.money["USD"]["margin"] == D("300.00") and margin.unpriced_time_logs == 0
    assert "Ceki time is not priced" not in coordinator_client.get(url).content.decode()

    loose = ContractFactory()  # a Ceki contract that names no engagement: its time cannot be tied to this one
    thursday = logged + dt.timedelta(days=1)
    TimeEntryFactory(contract=loose, participant=ParticipantFactory(contract=loose, talent=nurse),
                     started_at=thursday, stopped_at=thursday + dt.timedelta(hours=3))  # fmt: skip
    other = ContractFactory(engagement=EngagementFactory(talent=nurse))  # another engagement's time: not ours at all
    friday = logged + dt.timedelta(days=2)
    TimeEntryFactory(contract=other, participant=ParticipantFactory(contract=other, talent=nurse),
                     started_at=friday, stopped_at=friday + dt.timedelta(hours=3))  # fmt: skip
    margin = engagement_margin(engagement)
    assert margin.unpriced_time_logs == 1 and margin.money["USD"]["margin"] == D("300.00")
    assert "Ceki time is not priced: 1 time log" in coordinator_client.get(url).content.decode()
    assert queries() == few, "the time logs cost a fixed number of queries"


def test_an_engagement_without_a_known_profession_leaves_its_ceki_time_unpriced(texas):
    nurse = TalentProfileFactory()
    engagement = EngagementFactory(talent=nurse, facility=texas, starts_on=dt.date(2026, 6, 1), ends_on=None)
    ours = ContractFactory(engagement=engagement)
    logged = dt.datetime(2026, 6, 3, 13, tzinfo=dt.UTC)
    TimeEntryFactory(contract=ours, participant=ParticipantFactory(contract=ours, talent=nurse), started_at=logged,
                     stopped_at=logged + dt.timedelta(hours=5))  # fmt: skip
    margin = engagement_margin(engagement)
    assert (margin.shifts, margin.unpriced_time_logs) == ([], 1)
