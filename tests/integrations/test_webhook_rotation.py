"""Rotating a connection's webhook proof (issue 15 item 7): IntelyCare's signing secret, Kamana's URL token; the
previous one works until its expiry and not a moment longer; one click on the connection page, or `connect`."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import itertools
import json

import pytest
import time_machine
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from playwright.sync_api import expect

from portal.integrations import inbox
from portal.integrations.models import VendorConnection, WebhookEvent
from portal.integrations.rotation import rotate_webhook_proof
from tests.support.browser import sign_in
from tests.support.fake_vendor import event as fake_event
from tests.support.fake_vendor import post as fake_post
from tests.vendors.kamana.support import fixture

pytestmark = pytest.mark.django_db

OLD_SECRET = "whsec-before-rotation"
RELEASED = {
    "clientId": 1234,
    "externalShiftId": "77",
    "shiftStatus": "Released",
    "statusTimestamp": "2024-01-17T15:01:00",
}
SHIFT_IDS = itertools.count(1000)
START = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def intelycare(db) -> VendorConnection:
    return VendorConnection.objects.create(
        vendor="intelycare",
        name="IntelyCare rotation",
        base_url="http://127.0.0.1:9/",
        credentials={"api_key": "k", "client_id": "1234", "webhook_secret": OLD_SECRET},
    )


@pytest.fixture
def kamana(db, settings) -> VendorConnection:
    if "vendors.kamana" not in settings.VENDOR_PROVIDERS:
        settings.VENDOR_PROVIDERS = [*settings.VENDOR_PROVIDERS, "vendors.kamana"]
    return VendorConnection.objects.create(vendor="kamana", name="Kamana rotation", base_url="http://127.0.0.1:9/")


def signed_post(client, connection, secret: str):
    """A new event each time (the shift id differs), so none is a duplicate of another."""
    body = json.dumps({**RELEASED, "externalShiftId": str(next(SHIFT_IDS))}).encode()
    digest = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return client.post(connection.webhook_path, data=body, content_type="application/json", HTTP_X_SIGNATURE_IC=digest)


def test_intelycare_accepts_old_and_new_secret_until_the_old_one_expires(client, intelycare, settings):
    settings.WEBHOOK_ROTATION_OVERLAP_HOURS = 24
    with time_machine.travel(START, tick=False) as clock:
        rotation = rotate_webhook_proof(intelycare)
        assert rotation.what == "signing secret" and rotation.new_value != OLD_SECRET
        assert rotation.previous_valid_until == START + dt.timedelta(hours=24)
        assert signed_post(client, intelycare, rotation.new_value).status_code == 202
        assert signed_post(client, intelycare, OLD_SECRET).status_code == 202, "the previous secret still works"
        clock.move_to(START + dt.timedelta(hours=23, minutes=59))
        assert signed_post(client, intelycare, OLD_SECRET).status_code == 202
        clock.move_to(START + dt.timedelta(hours=24))
        assert signed_post(client, intelycare, OLD_SECRET).status_code == 401, "expired exactly on time"
        assert signed_post(client, intelycare, rotation.new_value).status_code == 202


def test_a_second_rotation_retires_the_oldest_secret_at_once(client, intelycare):
    first = rotate_webhook_proof(intelycare)
    second = rotate_webhook_proof(intelycare)
    assert signed_post(client, intelycare, OLD_SECRET).status_code == 401
    assert signed_post(client, intelycare, first.new_value).status_code == 202
    assert signed_post(client, intelycare, second.new_value).status_code == 202


def test_a_replay_after_the_old_secret_expired_is_refused(client, fake_connection):
    """Any signing vendor: the neutral fake vendor's secret rotated, its stored delivery replayed on either side."""
    with time_machine.travel(START, tick=False) as clock:
        fake_post(client, fake_connection, fake_event("thing:1", "changed", "2024-01-17T15:00:00Z"))
        event = WebhookEvent.objects.get()
        WebhookEvent.objects.filter(pk=event.pk).update(state="failed")
        event.refresh_from_db()
        rotate_webhook_proof(fake_connection)
        event.connection.refresh_from_db()
        inbox.replay_event(event)  # inside the overlap: verified with the previous secret
        WebhookEvent.objects.filter(pk=event.pk).update(state="failed")
        clock.move_to(START + dt.timedelta(days=2))
        event.refresh_from_db()
        with pytest.raises(inbox.ReplayRefused, match="does not match"):
            inbox.replay_event(event)


def test_kamana_keeps_the_old_url_token_for_the_overlap(client, kamana, settings):
    settings.WEBHOOK_ROTATION_OVERLAP_HOURS = 2
    old_path = kamana.webhook_path
    body = json.dumps(fixture("webhook_talent_profile_update")).encode()
    with time_machine.travel(START, tick=False) as clock:
        assert client.post(old_path, data=body, content_type="application/json").status_code == 202
        rotation = rotate_webhook_proof(kamana)
        assert rotation.what == "webhook URL" and rotation.new_value == kamana.webhook_url
        assert kamana.webhook_path != old_path
        assert client.post(kamana.webhook_path, data=body + b" ", content_type="application/json").status_code == 202
        assert client.post(old_path, data=body + b"  ", content_type="application/json").status_code == 202
        clock.move_to(START + dt.timedelta(hours=2))
        assert client.post(old_path, data=body + b"   ", content_type="application/json").status_code == 404, (
            "the process's connection cache must not stretch the overlap"
        )
        assert client.post(kamana.webhook_path, data=body + b"    ", content_type="application/json").status_code == 202


def test_the_connection_page_rotates_for_admins_only_with_csrf(intelycare, coordinator_client, portal_admin):
    url = reverse("integrations:rotate-webhook", args=[intelycare.pk])
    assert coordinator_client.post(url).status_code == 403
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(portal_admin)
    assert strict.post(url).status_code == 403, "CSRF"
    intelycare.refresh_from_db()
    assert intelycare.credentials["webhook_secret"] == OLD_SECRET

    admin = Client()
    admin.force_login(portal_admin)
    with time_machine.travel(START, tick=False):
        response = admin.post(url)
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    intelycare.refresh_from_db()
    new_secret = intelycare.credentials["webhook_secret"]
    page = response.content.decode()
    assert new_secret in page and "shown this once" in page
    assert "The previous signing secret keeps working until 2026-03-03 04:00 EST" in page, "in the portal's zone"
    with time_machine.travel(START + dt.timedelta(hours=1), tick=False):
        later = admin.get(reverse("integrations:connection", args=[intelycare.pk])).content.decode()
    assert new_secret not in later, "shown once"
    assert "The previous signing secret keeps working until 2026-03-03 04:00 EST" in later


def test_a_signing_secret_typed_over_the_stored_one_is_a_rotation(client, intelycare, portal_admin):
    """The realistic path: IntelyCare issues the new secret and an Admin pastes it into the credentials form."""
    admin = Client()
    admin.force_login(portal_admin)
    url = reverse("integrations:connection", args=[intelycare.pk])
    with time_machine.travel(START, tick=False):
        page = admin.post(
            url, {"credentials-client_id": "1234", "credentials-webhook_secret": "issued-by-ic"}, follow=True
        )
        assert "The previous webhook signing secret keeps working until 2026-03-03 04:00 EST" in page.content.decode()
        assert signed_post(client, intelycare, "issued-by-ic").status_code == 202
        assert signed_post(client, intelycare, OLD_SECRET).status_code == 202
    intelycare.refresh_from_db()
    assert intelycare.credentials["api_key"] == "k", "the other credentials are kept"


def test_connect_rotates_from_the_command_line(intelycare, kamana, capsys):
    call_command("connect", "intelycare", "--name", intelycare.name, "--rotate-webhook")
    printed = json.loads(capsys.readouterr().out)
    intelycare.refresh_from_db()
    assert printed["rotated"]["new"] == intelycare.credentials["webhook_secret"] != OLD_SECRET
    assert printed["rotated"]["previous_valid_until"]

    call_command(
        "connect", "intelycare", "--name", intelycare.name, "--rotate-webhook", "--secret", "webhook_secret=issued"
    )
    printed = json.loads(capsys.readouterr().out)
    intelycare.refresh_from_db()
    assert printed["rotated"]["new"] == intelycare.credentials["webhook_secret"] == "issued"

    call_command("connect", "intelycare", "--name", intelycare.name, "--secret", "webhook_secret=issued-again")
    printed = json.loads(capsys.readouterr().out)
    assert printed["rotated"]["new"] == "issued-again", "a new signing secret rotates without the flag"
    call_command("connect", "intelycare", "--name", intelycare.name, "--secret", "webhook_secret=issued-again")
    assert "rotated" not in json.loads(capsys.readouterr().out), "the same one again changes nothing"

    old_url = kamana.webhook_url
    call_command("connect", "kamana", "--name", kamana.name, "--rotate-webhook")
    printed = json.loads(capsys.readouterr().out)
    kamana.refresh_from_db()
    assert printed["webhook_url"] == printed["rotated"]["new"] == kamana.webhook_url != old_url


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_admin_rotates_the_signing_secret_with_one_click(page, portal_admin, live_server, intelycare):
    sign_in(page.context, portal_admin, live_server.url)
    page.goto(f"{live_server.url}/integrations/connections/{intelycare.pk}/")
    page.evaluate("window.stillThisPage = true")
    page.get_by_role("button", name="Rotate signing secret").click()
    shown = page.locator("#new-webhook-proof")
    expect(shown).to_be_visible()
    expect(page.locator("#previous-webhook-proof")).to_contain_text("The previous signing secret keeps working until")
    assert page.evaluate("window.stillThisPage") is True, "swapped in place by HTMX"
    intelycare.refresh_from_db()
    assert shown.inner_text() == intelycare.credentials["webhook_secret"] != OLD_SECRET
    page.reload()
    expect(page.locator("#previous-webhook-proof")).to_be_visible()
    expect(page.locator("#new-webhook-proof")).to_have_count(0)
