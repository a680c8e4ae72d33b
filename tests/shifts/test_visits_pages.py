"""The home-care visits week: roles, week boundaries on the agency's clock (also across DST), recurring groups
expanded without doubling materialised visits, punchcards against the schedule, and constant query counts."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from portal.core.roles import Role
from portal.shifts.visit_views import week_bounds
from tests.jobs.factories import PatientFactory
from tests.shifts.factories import RecurringVisitGroupFactory, TimecardFactory, VisitFactory
from tests.talent.factories import TalentProfileFactory

pytestmark = pytest.mark.django_db

NEW_YORK = ZoneInfo("America/New_York")
URL = "/shifts/visits/"


@pytest.fixture(autouse=True)
def agency_in_new_york(settings):
    settings.TIME_ZONE = "America/New_York"


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    """A wall-clock time in New York as a UTC instant."""
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=NEW_YORK).astimezone(dt.UTC)


def visit(day: dt.date, hour: int, **fields):
    start = at(day, hour)
    return VisitFactory(starts_at=start, ends_at=start + dt.timedelta(hours=2), time_zone="America/New_York", **fields)


def test_the_url_is_named_and_anonymous_users_go_to_login(client):
    assert reverse("shifts:visits") == URL
    response = client.get(URL)
    assert response.status_code == 302 and "/login" in response["Location"]


def test_users_without_a_coordinator_or_admin_role_are_refused(client, make_user):
    client.force_login(make_user("machine", Role.API_CLIENT))
    assert client.get(URL).status_code == 403
    client.force_login(make_user("nobody"))
    assert client.get(URL).status_code == 403


def test_admins_see_the_week(client, portal_admin):
    client.force_login(portal_admin)
    assert client.get(URL).status_code == 200


def test_week_bounds_are_local_midnights_and_a_dst_week_is_an_hour_short():
    monday, start, end = week_bounds(dt.date(2026, 3, 11), NEW_YORK)  # clocks go forward Sun 8 March 2026
    assert monday == dt.date(2026, 3, 9)
    assert start == dt.datetime(2026, 3, 9, 4, tzinfo=dt.UTC)  # EDT midnight
    monday, start, end = week_bounds(dt.date(2026, 3, 4), NEW_YORK)
    assert (start, end) == (dt.datetime(2026, 3, 2, 5, tzinfo=dt.UTC), dt.datetime(2026, 3, 9, 4, tzinfo=dt.UTC))
    assert end - start == dt.timedelta(hours=167)


def test_visits_at_the_edges_of_a_dst_week_fall_in_the_right_week(coordinator_client):
    first = visit(dt.date(2026, 3, 2), 0, service_name="Just after Monday midnight")
    last = visit(dt.date(2026, 3, 8), 23, service_name="Sunday late, after the change")
    VisitFactory(  # 00:30 EDT on the next Monday: the next week, although it is 23:30 EST's "Sunday"
        starts_at=at(dt.date(2026, 3, 9), 0, 30),
        ends_at=at(dt.date(2026, 3, 9), 2),
        service_name="Next week",
    )
    VisitFactory(  # 23:30 EST on the Sunday before: the previous week
        starts_at=at(dt.date(2026, 3, 1), 23, 30),
        ends_at=at(dt.date(2026, 3, 2), 1),
        service_name="Last week",
    )
    html = coordinator_client.get(URL, {"week": "2026-03-05"}).content.decode()
    assert f'id="visit-{first.pk}"' in html and f'id="visit-{last.pk}"' in html
    assert "Next week" not in html.replace(">Next week<", "") and "Last week" not in html
    assert "00:00\u201302:00 EST" in html and "23:00\u201301:00 EDT" in html
    assert "clocks change this week" in html


def series_at_nine(**fields):
    """09:00-11:00 visits in New York from Monday 2 March 2026 with no end, on Mondays unless `byweekday` says."""
    return RecurringVisitGroupFactory(
        **{
            "time_zone": "America/New_York",
            "starts_at": at(dt.date(2026, 3, 2), 9),
            "ends_at": at(dt.date(2026, 3, 2), 11),
            "byweekday": ["MO"],
            "count": None,
            **fields,
        }
    )


def test_a_recurring_group_is_expanded_on_its_wall_clock_and_materialised_visits_are_not_doubled(coordinator_client):
    caregiver, patient = TalentProfileFactory(first_name="Olena"), PatientFactory(first_name="Margaret")
    # 09:00 New York on Mon/Thu from 2 March: the Thursday after the change is still 09:00 (now EDT).
    group = series_at_nine(caregiver=caregiver, patient=patient, byweekday=["MO", "TH"])
    monday = visit(dt.date(2026, 3, 9), 9, group=group, caregiver=caregiver, patient=patient)
    html = coordinator_client.get(URL, {"week": "2026-03-09"}).content.decode()
    assert html.count("data-status=") == 2, "Monday's visit row and Thursday's expected occurrence"
    assert f'id="visit-{monday.pk}"' in html
    assert html.count('data-status="expected"') == 1
    assert "09:00\u201311:00 EDT" in html
    assert html.count("09:00\u201311:00") == 2


def test_the_punchcard_is_shown_against_the_schedule_and_only_big_differences_highlighted(coordinator_client):
    late = visit(dt.date(2026, 3, 2), 9, service_name="Late")
    TimecardFactory(
        shift=None,
        visit=late,
        check_in=at(dt.date(2026, 3, 2), 9, 14),
        check_out=at(dt.date(2026, 3, 2), 11, 5),
        break_minutes=0,
    )
    on_time = visit(dt.date(2026, 3, 3), 9, service_name="On time")
    TimecardFactory(
        shift=None,
        visit=on_time,
        check_in=at(dt.date(2026, 3, 3), 9, 10),
        check_out=at(dt.date(2026, 3, 3), 10, 40),
        break_minutes=0,
    )
    html = coordinator_client.get(URL, {"week": "2026-03-02"}).content.decode()
    assert '<mark class="late" title="14 min">09:14 (late)</mark>' in html
    assert "09:10\u2013" in html, "10 minutes late is within tolerance"
    assert '<mark class="early" title="-20 min">10:40 (early)</mark>' in html
    assert "11:05 EST" in html and "11:05 (late)" not in html  # 5 minutes late: within tolerance


def test_a_series_without_people_of_its_own_shows_its_expected_visits_under_its_visits_people(coordinator_client):
    """An Alaunus series carries no caregiver or patient (its doc: a rule and its events); its visits do."""
    olena, luis = TalentProfileFactory(first_name="Olena"), TalentProfileFactory(first_name="Luis")
    margaret = PatientFactory(first_name="Margaret")
    group = series_at_nine(caregiver=None, patient=None)
    visit(dt.date(2026, 3, 2), 9, group=group, caregiver=luis, patient=margaret)
    visit(dt.date(2026, 3, 9), 9, group=group, caregiver=olena, patient=margaret)  # the latest: Olena took it over
    week = {"week": "2026-03-16"}  # nothing materialised: one expected visit

    rows = coordinator_client.get(URL, week).context["rows"]
    assert [(str(row["who"]), sum(len(cell["entries"]) for cell in row["cells"])) for row in rows] == [(str(olena), 1)]
    by_patient = coordinator_client.get(URL, {**week, "by": "patient"}).context["rows"]
    assert [str(row["who"]) for row in by_patient] == [str(margaret)]
    assert 'data-status="expected"' in coordinator_client.get(URL, {**week, "caregiver": olena.pk}).content.decode()
    for narrowed in ({"caregiver": luis.pk}, {"unassigned": "on"}):
        html = coordinator_client.get(URL, {**week, **narrowed}).content.decode()
        assert 'data-status="expected"' not in html, narrowed


def test_by_patient_groups_rows_by_patient_and_filters_narrow_the_week(coordinator_client):
    olena, luis = TalentProfileFactory(first_name="Olena"), TalentProfileFactory(first_name="Luis")
    margaret, henry = PatientFactory(first_name="Margaret"), PatientFactory(first_name="Henry")
    visit(dt.date(2026, 3, 2), 9, caregiver=olena, patient=margaret)
    visit(dt.date(2026, 3, 3), 9, caregiver=luis, patient=margaret)
    visit(dt.date(2026, 3, 4), 9, caregiver=luis, patient=henry)
    response = coordinator_client.get(URL, {"week": "2026-03-02", "by": "patient"})
    assert response.content.decode().count('class="visit-row"') == 2
    assert response.context["by"] == "patient"
    response = coordinator_client.get(URL, {"week": "2026-03-02", "caregiver": luis.pk})
    assert response.content.decode().count('class="visit-row"') == 1
    assert response.content.decode().count("data-status=") == 2
    assert f"caregiver={luis.pk}" in response.context["next_query"]
    assert "week=2026-03-09" in response.context["next_query"]
    empty = coordinator_client.get(URL, {"week": "2026-03-02", "caregiver": olena.pk, "patient": henry.pk})
    assert "No visits match these filters this week" in empty.content.decode()


def test_a_mistyped_filter_drops_only_itself(coordinator_client):
    visit(dt.date(2026, 3, 2), 9)
    response = coordinator_client.get(URL, {"week": "2026-03-02", "caregiver": "not-a-number", "by": "nonsense"})
    assert response.status_code == 200 and response.context["by"] == "caregiver"
    assert response.content.decode().count("data-status=") == 1


def test_htmx_gets_only_the_week_partial(coordinator_client):
    response = coordinator_client.get(URL, {"week": "2026-03-02"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert "<html" not in html and 'id="visit-week"' in html
    assert "No home-care visits this week" in html


def _fill_week(count: int) -> None:
    for n in range(count):
        caregiver, patient = TalentProfileFactory(), PatientFactory()
        day = dt.date(2026, 3, 2) + dt.timedelta(days=n % 7)
        start = at(day, 8 + n % 8)
        group = (
            RecurringVisitGroupFactory(  # every other series has people of its own, the rest take its visits'
                caregiver=caregiver if n % 8 else None,
                patient=patient if n % 8 else None,
                starts_at=start,
                ends_at=start + dt.timedelta(hours=1),
            )
            if n % 4 == 0
            else None
        )
        made = VisitFactory(
            starts_at=start, ends_at=start + dt.timedelta(hours=1), caregiver=caregiver, patient=patient, group=group
        )
        if n % 2:
            TimecardFactory(
                shift=None, visit=made, check_in=start, check_out=start + dt.timedelta(minutes=50), break_minutes=0
            )


@pytest.mark.parametrize("count", [5, 200])
def test_the_week_costs_the_same_queries_for_5_or_200_visits(coordinator_client, django_assert_max_num_queries, count):
    _fill_week(count)
    coordinator_client.get(URL, {"week": "2026-03-02"})  # warm the session and the role cache
    # vendor banner + nav count + delivery states (issue 23) + the people series take from their visits
    with django_assert_max_num_queries(13):
        response = coordinator_client.get(URL, {"week": "2026-03-02", "by": "patient"})
    assert response.content.decode().count("data-status=") >= count


def test_a_cancelled_occurrence_shows_as_cancelled_and_a_deleted_one_is_not_expected_again(coordinator_client):
    group = RecurringVisitGroupFactory(
        time_zone="America/New_York",
        starts_at=at(dt.date(2026, 3, 2), 9),
        ends_at=at(dt.date(2026, 3, 2), 11),
        byweekday=["MO", "WE", "FR"],
        count=None,
    )
    cancelled = visit(dt.date(2026, 3, 2), 9, group=group, status="cancelled")
    visit(dt.date(2026, 3, 4), 9, group=group, archived_at=dt.datetime(2026, 3, 3, tzinfo=dt.UTC))
    html = coordinator_client.get(URL, {"week": "2026-03-02"}).content.decode()
    assert f'id="visit-{cancelled.pk}" data-status="cancelled"' in html and "Cancelled</span>" in html
    assert html.count('data-status="expected"') == 1, "only Friday is still only a rule's occurrence"
    assert html.count("data-status=") == 2
