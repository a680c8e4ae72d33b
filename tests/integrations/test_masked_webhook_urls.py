"""Webhook URLs on pages show only the last characters of their secret token (issue 15 item 9). The whole URL is
only in the copy button's `data-copy` on the connection's own page, and never in any page's text."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from portal.core.masking import MASK, mask_secret, mask_secret_in
from portal.integrations.models import VendorConnection

pytestmark = pytest.mark.django_db


@pytest.fixture
def connection() -> VendorConnection:
    return VendorConnection.objects.create(vendor="intelycare", name="IntelyCare", base_url="http://127.0.0.1:9/")


@pytest.fixture
def admin_client(client, portal_admin):
    client.force_login(portal_admin)
    return client


def masked_url(connection: VendorConnection) -> str:
    return connection.webhook_url.replace(connection.webhook_token, MASK + connection.webhook_token[-4:])


def test_overview_shows_the_masked_url_and_no_token(admin_client, connection):
    html = admin_client.get(reverse("integrations:overview")).content.decode()
    assert connection.webhook_token not in html
    assert masked_url(connection) in html
    assert f"{reverse('integrations:connection', args=[connection.pk])}#webhook-url" in html


def test_connection_page_has_the_token_only_in_the_copy_button(admin_client, connection):
    html = admin_client.get(reverse("integrations:connection", args=[connection.pk])).content.decode()
    assert masked_url(connection) in html
    assert html.count(connection.webhook_token) == 1
    assert re.search(rf'<button[^>]* data-copy="{re.escape(connection.webhook_url)}"', html)


def test_django_admin_shows_the_masked_url(admin_client, connection):
    html = admin_client.get(reverse("admin:integrations_vendorconnection_change", args=[connection.pk])).content
    assert connection.webhook_token not in html.decode()
    assert masked_url(connection) in html.decode()


@given(secret=st.text(min_size=1, max_size=80))
def test_a_mask_shows_at_most_four_characters_and_never_most_of_the_secret(secret):
    shown = mask_secret(secret).removeprefix(MASK)
    assert len(shown) <= 4 and (not shown or len(shown) * 2 < len(secret))
    assert secret.endswith(shown)


@given(token=st.from_regex(r"[0-9a-f]{16,64}", fullmatch=True))
def test_a_masked_url_does_not_contain_its_token(token):
    masked = mask_secret_in(f"https://portal.example/webhooks/intelycare/{token}/", token)
    assert token not in masked
    assert masked == f"https://portal.example/webhooks/intelycare/{MASK}{token[-4:]}/"


def test_rotating_the_url_token_refreshes_the_copy_button(admin_client, settings):
    """Kamana rotates its URL token (it does not sign): the HTMX answer swaps the URL row too, so Copy URL never
    hands out the URL that stops working at the end of the overlap."""
    if "vendors.kamana" not in settings.VENDOR_PROVIDERS:
        settings.VENDOR_PROVIDERS = [*settings.VENDOR_PROVIDERS, "vendors.kamana"]
    kamana = VendorConnection.objects.create(vendor="kamana", name="Kamana", base_url="http://127.0.0.1:9/")
    old_token = kamana.webhook_token
    response = admin_client.post(reverse("integrations:rotate-webhook", args=[kamana.pk]), HTTP_HX_REQUEST="true")
    kamana.refresh_from_db()
    html = response.content.decode()
    assert kamana.webhook_token != old_token
    assert re.search(r'<span id="webhook-url-value" hx-swap-oob="true">', html)
    assert f'data-copy="{kamana.webhook_url}"' in html and masked_url(kamana) in html
    assert old_token not in html
