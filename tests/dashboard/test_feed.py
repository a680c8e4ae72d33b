"""Issue 18 item 4: the iCalendar feed behind a per-user secret URL, parsed back with the icalendar library;
revocable; no session needed, and nothing for a wrong or revoked token."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from icalendar import Calendar

from portal.core.roles import Role
from portal.dashboard.signing import feed_token
from tests.dashboard.scenario import make_day

pytestmark = pytest.mark.django_db


def feed(client, user, **query):
    return client.get(reverse("dashboard:calendar-feed", args=[feed_token(user)]), query)


def events(response) -> dict[str, object]:
    calendar = Calendar.from_ical(response.content)
    return {str(event["uid"]).split("@")[0]: event for event in calendar.walk("VEVENT")}


def test_the_feed_parses_back_with_every_kind_and_true_instants(at_now, client, coordinator, in_new_york):
    day = make_day()
    response = feed(client, coordinator)  # no session: calendar apps cannot sign in
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    found = events(response)
    overnight = found[f"shift-{day.overnight_shift.pk}"]
    assert overnight.decoded("dtstart") == dt.datetime(2026, 3, 11, 3, tzinfo=dt.UTC)
    assert overnight.decoded("dtend") == dt.datetime(2026, 3, 11, 11, tzinfo=dt.UTC)
    kinds = {str(event["categories"].cats[0]) for event in found.values()}
    assert kinds == {"shift", "visit", "contract-event", "engagement"}
    starts = next(event for uid, event in found.items() if uid.endswith("-starts"))
    assert isinstance(starts.decoded("dtstart"), dt.date) and not isinstance(starts.decoded("dtstart"), dt.datetime)
    assert str(overnight["url"]).endswith(reverse("shifts:detail", args=[day.overnight_shift.pk]))


def test_a_feed_per_person_and_per_facility(at_now, client, coordinator, in_new_york):
    day = make_day()
    ada = events(feed(client, coordinator, person=day.person.pk))
    assert f"shift-{day.overnight_shift.pk}" in ada
    assert not any(uid.startswith("visit-") and "no caregiver" in str(e["summary"]) for uid, e in ada.items())
    harbor = events(feed(client, coordinator, facility=day.other_facility.pk))
    assert harbor and all("Harbor View" in str(event["summary"]) for event in harbor.values())


def test_revoking_stops_every_old_url(at_now, client, coordinator_client, coordinator):
    old = reverse("dashboard:calendar-feed", args=[feed_token(coordinator)])
    assert client.get(old).status_code == 200
    assert coordinator_client.post(reverse("dashboard:revoke-feeds")).status_code == 302
    new = reverse("dashboard:calendar-feed", args=[feed_token(type(coordinator).objects.get(pk=coordinator.pk))])
    assert new != old
    assert client.get(old).status_code == 404
    assert client.get(new).status_code == 200
    assert new in coordinator_client.get(reverse("dashboard:preferences")).content.decode()


def test_forged_tokens_and_users_without_a_role_get_nothing(client, coordinator, make_user):
    assert client.get(reverse("dashboard:calendar-feed", args=["1.1:forged"])).status_code == 404
    assert client.get(reverse("dashboard:calendar-feed", args=["garbage"])).status_code == 404
    api_only = make_user("robot", Role.API_CLIENT)
    assert feed(client, api_only).status_code == 404
