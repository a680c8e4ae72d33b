"""Issue 18 item 4: the calendar's day, week and month, every source together, overnight work across midnight,
both daylight-saving weeks, filters, "+K more" counted in SQL and a constant number of queries."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from portal.dashboard.calendar import DAY_CAP, CalendarFilters, calendar_days
from portal.shifts.models import ShiftRequest
from tests.dashboard.scenario import ZONE, make_day
from tests.shifts.factories import ShiftRequestFactory

pytestmark = pytest.mark.django_db


def day_of(days, day: dt.date):
    return next(d for d in days if d.day == day)


def test_a_week_holds_shifts_visits_contract_events_and_engagements(at_now):
    make_day()
    days = calendar_days(dt.date(2026, 3, 9), dt.date(2026, 3, 15), ZONE, CalendarFilters(), cap=50)
    kinds = {entry.kind for day in days for entry in day.entries}
    assert kinds == {"shift", "visit", "contract-event", "engagement"}
    titles = [entry.title for entry in day_of(days, dt.date(2026, 3, 13)).entries]
    assert any(title.startswith("Starts: Ada Okafor") for title in titles)


def test_an_overnight_shift_is_drawn_on_both_days(at_now):
    day = make_day()
    days = calendar_days(dt.date(2026, 3, 9), dt.date(2026, 3, 15), ZONE, CalendarFilters(person=day.person.pk), cap=50)
    uid = f"shift-{day.overnight_shift.pk}"
    tuesday = [e for e in day_of(days, dt.date(2026, 3, 10)).entries if e.uid == uid]
    wednesday = [e for e in day_of(days, dt.date(2026, 3, 11)).entries if e.uid == uid]
    assert [e.continued for e in tuesday] == [False] and [e.continued for e in wednesday] == [True]
    assert tuesday[0].starts_at.astimezone(ZONE).hour == 23 and wednesday[0].ends_at.astimezone(ZONE).hour == 7


@pytest.mark.parametrize(
    ("night", "hours"),
    [(dt.date(2026, 3, 7), 6), (dt.date(2026, 10, 31), 8)],  # clocks go forward on 8 March, back on 1 November
)
def test_daylight_saving_nights_keep_their_local_times(night, hours):
    """A 23:00-06:00 shift on the night clocks change lasts 6 or 8 real hours and still reads 23:00 to 06:00."""
    start = dt.datetime.combine(night, dt.time(23), tzinfo=ZONE).astimezone(dt.UTC)
    end = dt.datetime.combine(night + dt.timedelta(days=1), dt.time(6), tzinfo=ZONE).astimezone(dt.UTC)
    shift = ShiftRequestFactory(starts_at=start, ends_at=end)
    assert (shift.ends_at - shift.starts_at) == dt.timedelta(hours=hours)
    monday = night - dt.timedelta(days=night.weekday())
    days = calendar_days(monday, monday + dt.timedelta(days=6), ZONE, CalendarFilters())
    first, second = day_of(days, night).entries, day_of(days, night + dt.timedelta(days=1)).entries
    assert [(e.starts_at.astimezone(ZONE).hour, e.continued) for e in first] == [(23, False)]
    assert [(e.ends_at.astimezone(ZONE).hour, e.continued) for e in second] == [(6, True)]


def test_a_busy_day_shows_its_cap_and_counts_the_rest(at_now):
    day = make_day()
    for hour in range(10):
        starts = dt.datetime(2026, 3, 12, 12 + hour, tzinfo=dt.UTC)
        ShiftRequestFactory(facility=day.facility, starts_at=starts, ends_at=starts + dt.timedelta(hours=1))
    week = (dt.date(2026, 3, 9), dt.date(2026, 3, 15))
    thursday = day_of(calendar_days(*week, ZONE, CalendarFilters()), dt.date(2026, 3, 12))
    everything = day_of(calendar_days(*week, ZONE, CalendarFilters(), cap=100), dt.date(2026, 3, 12))
    started = [e for e in thursday.entries if not e.continued]
    total = len([e for e in everything.entries if not e.continued])
    assert len(started) == DAY_CAP and total > 10
    assert thursday.more == total - DAY_CAP and everything.more == 0
    assert [e.starts_at for e in started] == sorted(e.starts_at for e in started)


def test_filters_by_facility_person_and_vendor(at_now):
    day = make_day()
    week = (dt.date(2026, 3, 9), dt.date(2026, 3, 15))

    def uids(**filters):
        return {e.uid for d in calendar_days(*week, ZONE, CalendarFilters(**filters), cap=50) for e in d.entries}

    at_harbor = uids(facility=day.other_facility.pk)
    assert at_harbor and all(uid.startswith("shift-") for uid in at_harbor)
    intelycare = uids(vendor="intelycare")
    assert len(intelycare) == 1 and ShiftRequest.objects.get(pk=next(iter(intelycare)).split("-")[1]).connection
    ada = uids(person=day.person.pk)
    assert f"shift-{day.overnight_shift.pk}" in ada and any(u.startswith("contract-event-") for u in ada)
    ada_shifts = ShiftRequest.objects.filter(pk__in=[u.split("-")[1] for u in ada if u.startswith("shift-")])
    assert {shift.assigned_professional_id for shift in ada_shifts} == {day.person.pk}


@pytest.mark.parametrize("view", ["day", "week", "month"])
def test_the_page_in_each_view(at_now, coordinator_client, in_new_york, view):
    make_day()
    response = coordinator_client.get(reverse("dashboard:calendar"), {"view": view, "date": "2026-03-10"})
    html = response.content.decode()
    assert response.status_code == 200
    sections = re.findall(r'<section class="day[^"]*" id="day-([\d-]+)"', html)
    assert len(sections) == {"day": 1, "week": 7, "month": 42}[view]  # March 2026: 23 Feb to 5 April
    assert "2026-03-10" in sections
    assert "Times in America/New_York" in html
    assert "Overnight" not in html and "(next day)" in html  # the 23:00 shift on the 10th


def test_the_week_of_a_clock_change_says_so(coordinator_client, in_new_york):
    html = coordinator_client.get(reverse("dashboard:calendar"), {"date": "2026-11-01"}).content.decode()
    assert "clocks change on Sun 1 Nov, a day of 25 hours" in html
    html = coordinator_client.get(reverse("dashboard:calendar"), {"date": "2026-03-08"}).content.decode()
    assert "clocks change on Sun 8 Mar, a day of 23 hours" in html


def test_htmx_navigation_answers_the_partial(coordinator_client):
    response = coordinator_client.get(reverse("dashboard:calendar"), {"date": "2026-03-10"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="calendar-page"') and "<html" not in html


def test_a_persons_calendar_is_reachable_from_their_timeline(at_now, coordinator_client):
    day = make_day()
    timeline = coordinator_client.get(reverse("talent:timeline", args=[day.person.pk])).content.decode()
    link = f"{reverse('dashboard:calendar')}?person={day.person.pk}"
    assert link in timeline
    assert "Ada Okafor's work" in coordinator_client.get(link).content.decode()


@pytest.mark.parametrize("view", ["week", "month"])
def test_the_calendar_takes_the_same_queries_empty_small_and_large(at_now, coordinator_client, in_new_york, view):
    """One query a source (five), plus the session, roles, preferences and the filter form's facilities."""
    counts = []
    for scale in (0, 1, 12):
        if scale:
            make_day(scale=scale)
        with CaptureQueriesContext(connection) as captured:
            response = coordinator_client.get(reverse("dashboard:calendar"), {"view": view, "date": "2026-03-10"})
        assert response.status_code == 200
        counts.append(len(captured.captured_queries))
    assert counts[0] == counts[1] == counts[2] <= 16
