"""Every view that reads a `next` follows it only within this site (issue 15 item 4): a crafted link cannot
turn a portal button into a redirect to another host."""

from __future__ import annotations

import pytest
from django.urls import reverse

from portal.integrations.models import OutboundRequest, VendorConnection, WebhookEvent

pytestmark = pytest.mark.django_db

HOSTILE = ["//evil.example", "https://evil.example", "javascript:alert(1)", "https://evil.example/integrations/"]
GOOD = "/integrations/webhooks/?state=failed"


@pytest.fixture
def connection() -> VendorConnection:
    # No sandbox call is made: replay and retry only queue work, and the test transaction never commits it.
    return VendorConnection.objects.create(vendor="intelycare", name="IntelyCare", base_url="http://127.0.0.1:9/")


@pytest.fixture
def admin_client(client, portal_admin):
    client.force_login(portal_admin)
    return client


def _replay_url(connection: VendorConnection) -> tuple[str, str]:
    event = WebhookEvent.objects.create(connection=connection, vendor="intelycare", state="failed", error="x")
    return reverse("integrations:replay-webhook", args=[event.pk]), reverse("integrations:webhooks")


def _retry_url(connection: VendorConnection) -> tuple[str, str]:
    row = OutboundRequest.objects.create(connection=connection, operation="create_shift", state="failed")
    return reverse("integrations:retry-outbound", args=[row.pk]), reverse("integrations:outbox")


BUTTONS = {"replay": _replay_url, "retry": _retry_url}


@pytest.mark.parametrize("button", sorted(BUTTONS))
@pytest.mark.parametrize("next_url", HOSTILE)
def test_replay_and_retry_refuse_a_next_off_site(admin_client, connection, button, next_url):
    url, fallback = BUTTONS[button](connection)
    response = admin_client.post(url, {"next": next_url})
    assert response.status_code == 302
    assert response["Location"] == fallback


@pytest.mark.parametrize("button", sorted(BUTTONS))
def test_replay_and_retry_follow_a_next_on_this_site(admin_client, connection, button):
    url, _ = BUTTONS[button](connection)
    assert admin_client.post(url, {"next": GOOD})["Location"] == GOOD


@pytest.mark.parametrize("button", sorted(BUTTONS))
def test_replay_and_retry_without_next_go_to_their_list(admin_client, connection, button):
    url, fallback = BUTTONS[button](connection)
    assert admin_client.post(url)["Location"] == fallback


@pytest.mark.parametrize("next_url", HOSTILE)
def test_sign_in_refuses_a_next_off_site(client, coordinator, next_url):
    """Django's LoginView does its own check; pinned here so a custom login view cannot lose it."""
    response = client.post(
        reverse("login"), {"username": "casey", "password": "correct horse battery", "next": next_url}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("home")


def test_sign_in_follows_a_next_on_this_site(client, coordinator):
    response = client.post(reverse("login"), {"username": "casey", "password": "correct horse battery", "next": GOOD})
    assert response["Location"] == GOOD


@pytest.mark.parametrize("next_url", HOSTILE)
def test_sign_out_refuses_a_next_off_site(coordinator_client, next_url):
    response = coordinator_client.post(reverse("logout"), {"next": next_url})
    assert response["Location"] == reverse("login")
