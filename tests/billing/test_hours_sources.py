"""Worked time read from timecards, punchcards and Ceki time logs, with each place's zone and state rule."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import override_settings

from portal.billing.hours import Bucket, totals
from portal.billing.hours_sources import allocations_by_worker, configured_rules, spans_by_worker
from tests.contracts.factories import ParticipantFactory, TimeEntryFactory
from tests.jobs.factories import FacilityFactory, PatientFactory, ProvinceFactory
from tests.shifts.factories import ShiftRequestFactory, TimecardFactory, VisitFactory
from tests.talent.factories import TalentProfileFactory

pytestmark = pytest.mark.django_db
H = dt.timedelta(hours=1)


def test_timecard_punchcard_and_time_log_of_one_worker_share_a_california_day():
    nurse = TalentProfileFactory()
    california = FacilityFactory(province=ProvinceFactory(abbreviation="CA"), time_zone="America/Los_Angeles")
    # 06:00-17:00 Pacific on Tuesday 2 June 2026 with a 30-minute break: 10.5 h worked.
    shift = ShiftRequestFactory(
        facility=california,
        starts_at=dt.datetime(2026, 6, 2, 13, tzinfo=dt.UTC),
        ends_at=dt.datetime(2026, 6, 3, 0, tzinfo=dt.UTC),
    )
    TimecardFactory(shift=shift, professional=nurse, break_minutes=30)
    visit = VisitFactory(
        patient=PatientFactory(province=ProvinceFactory(abbreviation="CO", name="Colorado")),
        caregiver=nurse,
        starts_at=dt.datetime(2026, 6, 4, 14, tzinfo=dt.UTC),
        ends_at=dt.datetime(2026, 6, 4, 16, tzinfo=dt.UTC),
    )
    TimecardFactory(shift=None, visit=visit, check_in=visit.starts_at, check_out=visit.ends_at, break_minutes=0)
    TimeEntryFactory(
        participant=ParticipantFactory(talent=nurse),
        started_at=dt.datetime(2026, 6, 5, 13, tzinfo=dt.UTC),
        stopped_at=dt.datetime(2026, 6, 5, 16, tzinfo=dt.UTC),
    )
    TimecardFactory(check_out=None)  # still on shift: not yet worked time

    spans = spans_by_worker(dt.date(2026, 6, 1), dt.date(2026, 6, 7))
    assert list(spans) == [nurse.pk]
    assert {s.state for s in spans[nurse.pk]} == {"CA", "CO", ""}
    buckets = totals(allocations_by_worker(dt.date(2026, 6, 1), dt.date(2026, 6, 7))[nurse.pk])
    assert buckets == {Bucket.REGULAR: 13 * H, Bucket.OVERTIME: 2.5 * H, Bucket.DOUBLE: dt.timedelta()}


def test_a_period_starting_mid_week_still_counts_the_weeks_earlier_hours():
    nurse = TalentProfileFactory()
    for day in range(7, 12):  # Sunday 7 June to Thursday 11 June, 9 h each (federal: no daily rule)
        shift = ShiftRequestFactory(
            starts_at=dt.datetime(2026, 6, day, 12, tzinfo=dt.UTC), ends_at=dt.datetime(2026, 6, day, 21, tzinfo=dt.UTC)
        )
        TimecardFactory(shift=shift, professional=nurse, break_minutes=0)
    thursday = allocations_by_worker(dt.date(2026, 6, 11), dt.date(2026, 6, 11))[nurse.pk]
    assert totals(thursday) == {Bucket.REGULAR: 4 * H, Bucket.OVERTIME: 5 * H, Bucket.DOUBLE: dt.timedelta()}


@override_settings(OVERTIME_RULES={"wa": {"daily_overtime_after": 10, "weekly_overtime_after": 40}})
def test_settings_add_a_state_rule():
    rule = configured_rules()["WA"]
    assert rule.daily_overtime_after == 10 * H
    assert rule.daily_double_after is None
    assert not rule.seventh_day
