"""Copy buttons in chromium: an Admin copies a connection's full webhook URL that the page shows masked, and an
API client copies a token it just created. Clipboard permission is granted to the browser context."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect
from rest_framework.test import APIClient

from portal.integrations.models import VendorConnection
from tests.support.browser import sign_in

# serialized_rollback: an earlier transactional test flushed the roles that migrations create.
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def clipboard_page(browser, live_server):
    context = browser.new_context(permissions=["clipboard-read", "clipboard-write"], base_url=live_server.url)
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


def read_clipboard(page) -> str:
    return page.evaluate("navigator.clipboard.readText()")


def test_admin_copies_the_full_webhook_url_the_page_shows_masked(clipboard_page, portal_admin, live_server):
    connection = VendorConnection.objects.create(vendor="intelycare", name="IntelyCare", base_url="http://127.0.0.1:9/")
    sign_in(clipboard_page.context, portal_admin, live_server.url)
    clipboard_page.goto("/integrations/")
    assert connection.webhook_token not in clipboard_page.locator("body").inner_text()
    clipboard_page.get_by_role("link", name="copy").click()

    row = clipboard_page.locator("#webhook-url")
    expect(row).to_contain_text("••••••" + connection.webhook_token[-4:])
    assert connection.webhook_token not in clipboard_page.locator("body").inner_text()
    row.get_by_role("button", name="Copy URL").click()
    expect(row.get_by_role("button")).to_have_text("Copied")
    assert read_clipboard(clipboard_page) == connection.webhook_url


def test_api_client_creates_a_token_and_copies_it(clipboard_page, api_client_user, live_server):
    sign_in(clipboard_page.context, api_client_user, live_server.url)
    clipboard_page.goto("/accounts/api-tokens/")
    clipboard_page.get_by_label("Name").fill("nightly export")
    clipboard_page.get_by_role("button", name="Create token").click()
    new_token = clipboard_page.locator("#new-token")
    new_token.get_by_role("button", name="Copy").click()
    expect(new_token.get_by_role("button")).to_have_text("Copied")
    token = read_clipboard(clipboard_page)
    assert token == new_token.locator("code").inner_text()
    assert APIClient(HTTP_AUTHORIZATION=f"Token {token}").get("/api/v1/facilities/").status_code == 200

    clipboard_page.goto("/accounts/api-tokens/")
    assert token not in clipboard_page.content()
    clipboard_page.get_by_role("button", name="Revoke").click()
    expect(clipboard_page.locator("#messages")).to_contain_text("Token revoked")
    assert APIClient(HTTP_AUTHORIZATION=f"Token {token}").get("/api/v1/facilities/").status_code == 401


def test_after_rotating_the_url_token_copy_hands_out_the_new_url(clipboard_page, portal_admin, live_server, settings):
    if "vendors.kamana" not in settings.VENDOR_PROVIDERS:
        settings.VENDOR_PROVIDERS = [*settings.VENDOR_PROVIDERS, "vendors.kamana"]
    kamana = VendorConnection.objects.create(vendor="kamana", name="Kamana", base_url="http://127.0.0.1:9/")
    sign_in(clipboard_page.context, portal_admin, live_server.url)
    clipboard_page.goto(f"/integrations/connections/{kamana.pk}/")
    clipboard_page.locator("#webhook-rotation").get_by_role("button").click()
    expect(clipboard_page.locator("#webhook-rotation")).to_contain_text("keeps working until")

    kamana.refresh_from_db()
    row = clipboard_page.locator("#webhook-url")
    expect(row).to_contain_text("••••••" + kamana.webhook_token[-4:])
    row.get_by_role("button", name="Copy URL").click()
    expect(row.get_by_role("button")).to_have_text("Copied")
    assert read_clipboard(clipboard_page) == kamana.webhook_url
