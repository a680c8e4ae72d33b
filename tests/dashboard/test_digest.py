"""Issue 18 item 5: the daily digest at 07:00 in each coordinator's zone, once per user per day however often beat
runs, its content (read back from the file backend), and one-click unsubscribe."""

from __future__ import annotations

import datetime as dt
import email
from email import policy

import pytest
import time_machine
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.urls import reverse

from portal.core.roles import Role
from portal.dashboard.digest import send_due_digests
from portal.dashboard.models import CoordinatorPreferences
from portal.dashboard.signing import unsubscribe_token
from portal.dashboard.tasks import send_due_digests_task
from tests.dashboard.scenario import NOW, make_day

pytestmark = pytest.mark.django_db

NEW_YORK_7AM = dt.datetime(2026, 3, 10, 11, 0, tzinfo=dt.UTC)  # 07:00 EDT


@pytest.fixture
def subscribers(make_user):
    def subscribe(username: str, zone: str, role: Role = Role.COORDINATOR, **fields):
        user = make_user(username, role, email=f"{username}@agency.test", **fields)
        return CoordinatorPreferences.objects.create(user=user, time_zone=zone, digest_opt_in=True)

    return subscribe


def test_sent_at_seven_in_each_zone_and_once_a_day(subscribers):
    subscribers("nyc", "America/New_York")
    subscribers("la", "America/Los_Angeles")
    assert send_due_digests(NEW_YORK_7AM - dt.timedelta(minutes=1)) == {"sent": 0, "failed": 0}
    assert send_due_digests(NEW_YORK_7AM) == {"sent": 1, "failed": 0}
    assert [m.to for m in mail.outbox] == [["nyc@agency.test"]]
    # Beat runs again, twice at the same instant, and later that day: nothing more for New York.
    assert send_due_digests(NEW_YORK_7AM)["sent"] == 0
    assert send_due_digests(NEW_YORK_7AM + dt.timedelta(hours=2))["sent"] == 0
    # 07:00 in Los Angeles is three hours later.
    assert send_due_digests(NEW_YORK_7AM + dt.timedelta(hours=3))["sent"] == 1
    assert [m.to for m in mail.outbox][-1] == ["la@agency.test"]
    # The next local morning, each gets the next one.
    assert send_due_digests(NEW_YORK_7AM + dt.timedelta(days=1, hours=3))["sent"] == 2


def test_only_opted_in_coordinators_with_an_address(subscribers, make_user):
    subscribers("api", "America/New_York", role=Role.API_CLIENT)
    subscribers("quiet", "America/New_York").user.__class__.objects.filter(username="quiet").update(email="")
    CoordinatorPreferences.objects.create(user=make_user("noway", Role.COORDINATOR, email="n@agency.test"))
    assert send_due_digests(NEW_YORK_7AM)["sent"] == 0


def test_a_failed_send_is_tried_again(subscribers, settings):
    subscribers("nyc", "America/New_York")
    settings.EMAIL_BACKEND = "tests.dashboard.test_digest.RefusingBackend"
    assert send_due_digests(NEW_YORK_7AM) == {"sent": 0, "failed": 1}
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert send_due_digests(NEW_YORK_7AM + dt.timedelta(minutes=5)) == {"sent": 1, "failed": 0}


class RefusingBackend(BaseEmailBackend):
    def send_messages(self, messages):
        raise ConnectionRefusedError("SMTP server down")


def test_content_through_the_file_backend(subscribers, settings, tmp_path):
    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    settings.EMAIL_FILE_PATH = str(tmp_path)
    settings.PORTAL_BASE_URL = "https://portal.agency.test"
    with time_machine.travel(NOW, tick=False):
        make_day()
        preferences = subscribers("nyc", "America/New_York", first_name="Casey")
        assert send_due_digests_task.apply().get() == {"sent": 1, "failed": 0}
    (written,) = list(tmp_path.iterdir())
    message = email.message_from_bytes(written.read_bytes().split(b"\n" + b"-" * 79)[0], policy=policy.default)
    assert message["To"] == "nyc@agency.test"
    assert message["Subject"] == "Today, Tue 10 Mar: 3 open shifts within 48 h, 1 urgent, 3 approvals waiting"
    token = unsubscribe_token(preferences.user)
    assert message["List-Unsubscribe"].strip() == f"<https://portal.agency.test/today/unsubscribe/{token}/>"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    text, html = (part.get_payload(decode=True).decode() for part in message.walk() if not part.is_multipart())
    assert "Good morning Casey. Today, Tuesday 10 March 2026 (America/New_York)" in text
    assert "Unfilled shifts in the next 48 hours: 3 (1 within 12 hours)" in text
    assert "https://portal.agency.test/shifts/?attention=on" in text
    assert "Lakeside General: 2 open, 1 urgent" in text
    assert "Visits without a caregiver: 1 today, 1 tomorrow" in text
    assert "1 expired, 1 expiring within 30 days" in text
    assert 'href="https://portal.agency.test/jobs/?idle=on"' in html


def test_one_click_unsubscribe_needs_no_sign_in(client, subscribers):
    preferences = subscribers("nyc", "America/New_York")
    url = reverse("dashboard:unsubscribe", args=[unsubscribe_token(preferences.user)])
    response = client.post(url, {"List-Unsubscribe": "One-Click"})  # what a mail client sends (RFC 8058)
    assert response.status_code == 200
    preferences.refresh_from_db()
    assert preferences.digest_opt_in is False
    assert send_due_digests(NEW_YORK_7AM)["sent"] == 0
    assert client.get(reverse("dashboard:unsubscribe", args=["1:forged"])).status_code == 404


def test_a_coordinator_opts_in_on_their_preferences(coordinator_client, coordinator):
    response = coordinator_client.post(
        reverse("dashboard:preferences"), {"time_zone": "America/Chicago", "digest_opt_in": "on"}
    )
    assert response.status_code == 302
    preferences = CoordinatorPreferences.objects.get(user=coordinator)
    assert (preferences.time_zone, preferences.digest_opt_in) == ("America/Chicago", True)
    response = coordinator_client.post(reverse("dashboard:preferences"), {"time_zone": "Mars/Olympus_Mons"})
    assert "is not an IANA time zone" in response.content.decode()


def test_admins_see_who_gets_the_digest(admin_client, subscribers):
    subscribers("nyc", "America/New_York")
    page = admin_client.get(reverse("admin:dashboard_coordinatorpreferences_changelist")).content.decode()
    assert "nyc" in page and "America/New_York" in page
