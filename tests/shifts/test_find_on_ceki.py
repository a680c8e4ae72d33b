""" "Find on Ceki" for an unfilled shift (issue 22), with the Django test client over the real Ceki sandbox: the
form prefilled from the shift, the form's own refusals, results with price and the first free slot, a billed
or free profile view said as such, a 402 shown in words. Booking: `test_slot_booking.py`."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from portal.integrations.models import OutboundRequest
from portal.shifts import sourcing
from portal.shifts.models import ShiftRequest
from portal.shifts.sourcing_forms import SourcingForm
from tests.shifts.factories import ShiftRequestFactory
from tests.talent.factories import TalentProfileFactory
from tests.vendors.ceki import conftest as ceki_fixtures
from vendors.ceki.mapping import skills_for

ceki_server, ceki_vendor, ceki, ceki_agent = (
    ceki_fixtures.ceki_server,
    ceki_fixtures.ceki_vendor,
    ceki_fixtures.ceki,
    ceki_fixtures.ceki_agent,
)
pytestmark = pytest.mark.django_db

PRIYA = 503  # the sandbox's LPN in New York, Mon/Wed/Fri 08:00-16:00, four-hour slots
MONDAY_8AM_NEW_YORK = dt.datetime(2026, 3, 2, 13, tzinfo=dt.UTC)


def find_url(shift, connection, kind="shift") -> str:
    return reverse("shifts:find", args=[kind, shift.pk, connection.pk])


def search_form(**changes) -> dict:
    form = {
        "starts_at": "2026-03-02T07:00",
        "ends_at": "2026-03-02T15:00",
        "days": ["1"],
        "hours_from": "07:00",
        "hours_to": "15:00",
        "profession": "LPN",
        "specialty": "1st Floor",
        "currency": "USD",
    }
    return {**form, **changes}


def test_the_page_is_prefilled_from_the_shift_and_linked_from_it(
    coordinator_client, ceki_agent, django_assert_max_num_queries
):
    shift = ShiftRequestFactory()
    detail = coordinator_client.get(reverse("shifts:detail", args=[shift.pk])).content.decode()
    assert find_url(shift, ceki_agent) in detail

    # session, user, roles, the shift with its facility, the connection, its live bookings, the rate cards; the base
    # page's outbox and health panels
    with django_assert_max_num_queries(9):
        page = coordinator_client.get(find_url(shift, ceki_agent))
    html = page.content.decode()
    assert 'value="2026-03-02T07:00"' in html and 'value="2026-03-02T15:00"' in html, "the shift's New York times"
    assert 'value="07:00"' in html and 'value="15:00"' in html
    assert '<option value="LPN" selected>' in html
    assert 'value="1" id="id_days_1" checked' in html, "Monday"
    assert "Each search is billed" in html


def test_the_form_refuses_what_ceki_would_refuse_before_anything_is_billed(coordinator_client, ceki_agent):
    shift = ShiftRequestFactory()
    bad = search_form(ends_at="2026-03-02T06:00", hours_to="06:00", price_from="50", price_to="10")

    html = coordinator_client.post(find_url(shift, ceki_agent), bad).content.decode()
    assert "The end must be after the start." in html
    assert "The hours must end after they start." in html
    assert "The highest price must not be below the lowest." in html
    assert ceki_fixtures.client_of(ceki_agent).wallet().total == 20, "nothing was searched"


def test_results_show_price_and_the_first_free_slot_and_a_view_says_what_it_costs(coordinator_client, ceki_agent):
    shift = ShiftRequestFactory()
    TalentProfileFactory(email="priya.raman@specialists.example")

    with_results = coordinator_client.post(find_url(shift, ceki_agent), search_form()).content.decode()
    assert "Priya Raman" in with_results and "42.00 USD" in with_results
    assert "Mon 2 Mar 2026 08:00 EST" in with_results
    assert "Grace Okafor" not in with_results, "an RN, not an LPN"
    assert "Free: 100 of 100 free profile views left this month." in with_results

    person_url = reverse("shifts:find-person", args=["shift", shift.pk, ceki_agent.pk, PRIYA])
    person = coordinator_client.post(person_url).content.decode()
    assert "priya.raman@specialists.example" in person and "Known:" in person
    again = coordinator_client.post(find_url(shift, ceki_agent), search_form()).content.decode()
    assert "Free: 99 of 100" in again


def test_an_empty_wallet_or_an_unverified_agent_is_said_in_words(coordinator_client, ceki, ceki_vendor):
    agent = ceki_fixtures.register_agent(ceki, deposit="0.01")
    shift = ShiftRequestFactory()

    empty = coordinator_client.post(find_url(shift, agent), search_form())
    assert empty.status_code == 200
    assert "The Ceki wallet cannot pay for this call (HTTP 402)" in empty.content.decode()
    ceki_vendor.agents[agent.agent_id]["email_verified"] = False
    unverified = coordinator_client.post(find_url(shift, agent), search_form()).content.decode()
    assert "Verify your email to access user profiles." in unverified


def test_only_an_open_shift_is_sourced(coordinator_client, ceki_agent):
    shift = ShiftRequestFactory(status=ShiftRequest.Status.CANCELLED)
    assert coordinator_client.get(find_url(shift, ceki_agent)).status_code == 302
    assert (
        find_url(shift, ceki_agent)
        not in coordinator_client.get(reverse("shifts:detail", args=[shift.pk])).content.decode()
    )


def test_only_coordinators_source_and_every_post_needs_its_csrf_token(client, api_client_user, coordinator, ceki_agent):
    shift = ShiftRequestFactory()
    book_url = reverse("shifts:find-book", args=["shift", shift.pk, ceki_agent.pk])
    slot = {"schedule": "703", "person": str(PRIYA), "name": "Priya Raman", "start": MONDAY_8AM_NEW_YORK.isoformat()}

    assert client.get(find_url(shift, ceki_agent))["Location"].startswith(reverse("login"))
    client.force_login(api_client_user)
    assert client.post(book_url, slot).status_code == 403
    guarded = Client(enforce_csrf_checks=True)
    guarded.force_login(coordinator)
    assert guarded.post(book_url, slot).status_code == 403
    assert guarded.post(find_url(shift, ceki_agent), search_form()).status_code == 403
    assert not OutboundRequest.objects.exists()
    assert ceki_fixtures.client_of(ceki_agent).wallet().total == 20, "no search ran"


def test_an_overnight_shift_searches_its_window_without_daily_hours_and_skills_follow_the_unit():
    night = ShiftRequestFactory.build(
        professional_type="RN",
        unit="ICU 3rd floor",
        starts_at=dt.datetime(2026, 3, 3, 0, tzinfo=dt.UTC),  # Mon 19:00 in New York
        ends_at=dt.datetime(2026, 3, 3, 12, tzinfo=dt.UTC),  # Tue 07:00
    )
    criteria = sourcing.criteria_for(night)

    assert (criteria.days, criteria.hours, criteria.time_zone) == ((1,), None, "America/New_York")
    assert skills_for(criteria.profession, criteria.specialty) == [1, 4]
    assert skills_for("HHA", "Personal care") == [6], "a home health aide, whatever the visit's service"
    assert skills_for("CMA", "") == [], "no Ceki skill for a medication aide: searched by the rest"


def test_a_window_that_starts_in_the_skipped_spring_hour_and_ends_before_it_is_read_is_refused():
    # 01:30 on 29 March does not exist in London; read as 02:30 it comes after the 02:10 end.
    spring = {"starts_at": "2026-03-29T01:30", "days": ["0"]}  # a Sunday
    form = SourcingForm(data=search_form(**spring, ends_at="2026-03-29T02:10"), zone="Europe/London")
    assert not form.is_valid() and form.errors["ends_at"] == ["The end must be after the start."]
    later = SourcingForm(data=search_form(**spring, ends_at="2026-03-29T02:40"), zone="Europe/London")
    assert later.is_valid(), later.errors
