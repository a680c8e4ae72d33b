"""Issue 17 item 7: the board opens at today in the coordinator's zone, counts each day, filters what needs
attention (open, starting within 48 h) from the URL, and has one table header per day."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from portal.shifts.localtime import shift_instants
from tests.jobs.factories import FacilityFactory
from tests.shifts.factories import ShiftRequestFactory
from tests.talent.factories import TalentProfileFactory

pytestmark = pytest.mark.django_db

BOARD = reverse("shifts:board")
NOW = dt.datetime(2026, 3, 10, 3, 30, tzinfo=dt.UTC)  # 9 March 22:30 in New York, the portal's zone


@pytest.fixture
def now(time_machine):
    time_machine.move_to(NOW, tick=False)
    return NOW


def shift_on(day: dt.date, start: int, *, zone="America/New_York", status="open", unit="1st Floor", facility=None):
    facility = facility or FacilityFactory(time_zone=zone)
    starts_at, ends_at = shift_instants(day, dt.time(start), dt.time((start + 8) % 24), facility.time_zone)
    nurse = TalentProfileFactory() if status in ("filled", "completed") else None
    return ShiftRequestFactory(
        facility=facility, unit=unit, starts_at=starts_at, ends_at=ends_at, status=status, assigned_professional=nurse
    )


def shown(response) -> set[int]:
    return {s.pk for day in response.context["days"] for group in day["units"] for s in group["shifts"]}


def test_the_board_opens_at_today_in_the_coordinators_zone(coordinator_client, now):
    yesterday = shift_on(dt.date(2026, 3, 8), 7)
    today = shift_on(dt.date(2026, 3, 9), 7)  # 9 March is today in New York, though UTC is on 10 March
    response = coordinator_client.get(BOARD)
    assert shown(response) == {today.pk}
    assert response.context["filters"]["date_from"].value() == "2026-03-09"
    assert 'id="day-2026-03-09"' in response.text and "board-day today" in response.text
    every_day = coordinator_client.get(BOARD, {"date_from": ""})
    assert shown(every_day) == {yesterday.pk, today.pk}, "an empty From shows the earlier days"


def test_each_day_counts_open_filled_and_total_whatever_the_status_filter(coordinator_client, now):
    ward = FacilityFactory(time_zone="America/New_York")
    day = dt.date(2026, 3, 11)
    for status in ("open", "open", "filled", "completed", "cancelled"):
        shift_on(day, 7, status=status, facility=ward)
    shift_on(dt.date(2026, 3, 12), 7, facility=ward)
    response = coordinator_client.get(BOARD, {"status": "open"})
    counts = {entry["day"]: entry["counts"] for entry in response.context["days"]}
    assert (counts[day].open, counts[day].filled, counts[day].total, counts[day].fill_percent) == (2, 2, 4, 50)
    assert counts[dt.date(2026, 3, 12)].total == 1
    assert "2 open</span> · 2 filled · 4 total · 50 % filled" in response.text


def test_needs_attention_is_open_shifts_starting_within_48_hours(coordinator_client, now):
    soon = shift_on(dt.date(2026, 3, 10), 19)  # in about 20 hours
    shift_on(dt.date(2026, 3, 10), 7, status="filled")  # filled: fine
    shift_on(dt.date(2026, 3, 13), 7)  # open but three days away
    shift_on(dt.date(2026, 3, 9), 19)  # open, but it started already
    response = coordinator_client.get(BOARD, {"attention": "on"})
    assert shown(response) == {soon.pk}
    assert 'hx-get="/shifts/?attention=on"' in response.text, "the filter stays in the polled URL"
    assert shown(coordinator_client.get(BOARD, {"attention": "on", "date_from": "2026-03-14"})) == set()


def test_one_table_header_per_day_not_per_unit(coordinator_client, now):
    ward = FacilityFactory(name="Harbor View", time_zone="America/New_York")
    for unit in ("ICU", "3 North", "ER"):
        shift_on(dt.date(2026, 3, 11), 7, unit=unit, facility=ward)
    text = coordinator_client.get(BOARD).text
    assert text.count("<thead>") == 1
    assert all(f"Harbor View · {unit}" in text for unit in ("ICU", "3 North", "ER"))
