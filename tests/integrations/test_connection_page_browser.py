"""An Admin works a connection's settings page in chromium: the Ceki OTP login in two HTMX steps, the CareerBuilder
status map saved in place."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from portal.integrations.models import VendorConnection
from tests.integrations.test_connection_page import ceki_connection  # noqa: F401
from tests.support.browser import sign_in
from tests.vendors.careerbuilder.conftest import careerbuilder, cb_sandbox, registered  # noqa: F401
from tests.vendors.ceki.conftest import ceki_server  # noqa: F401
from vendors.ceki.sandbox import DEMO_OTP

# serialized_rollback: an earlier transactional test flushed the roles that migrations create.
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def admin_page(page, portal_admin, live_server):
    sign_in(page.context, portal_admin, live_server.url)
    return page


def test_an_admin_logs_in_to_ceki_from_the_integrations_page(admin_page, live_server, ceki_connection):  # noqa: F811
    admin_page.goto(f"{live_server.url}/integrations/")
    admin_page.get_by_role("link", name="Ceki sandbox").click()
    admin_page.evaluate("window.stillThisPage = true")  # gone if a form posted by full page load

    admin_page.get_by_role("button", name="Email me a code").click()
    expect(admin_page.locator("#settings-request-code")).to_contain_text("Ceki emailed a one-time password")

    step_two = admin_page.locator("#settings-log-in")
    step_two.get_by_label("One-time password").fill("111111")
    step_two.get_by_role("button", name="Log in to Ceki").click()
    expect(admin_page.locator("#settings-log-in")).to_contain_text("Not logged in: Ceki refused the one-time password")

    admin_page.locator("#settings-log-in").get_by_label("One-time password").fill(DEMO_OTP)
    admin_page.locator("#settings-log-in").get_by_role("button", name="Log in to Ceki").click()
    expect(admin_page.locator("#settings-log-in")).to_contain_text("Logged in to Ceki: the new token is stored.")
    assert admin_page.evaluate("window.stillThisPage") is True
    assert VendorConnection.objects.get(pk=ceki_connection.pk).credentials["token"]


def test_an_admin_renames_a_pushed_status(admin_page, live_server, careerbuilder):  # noqa: F811
    admin_page.goto(f"{live_server.url}/integrations/connections/{careerbuilder.pk}/")
    editor = admin_page.locator("#settings-status-map")
    expect(editor.get_by_label("Relationship prospect")).to_have_value("Pipeline")
    editor.get_by_label("Relationship prospect").fill("Talent pool")
    editor.get_by_label("Relationship review").fill("")
    editor.get_by_role("button", name="Save status map").click()
    expect(admin_page.locator("#settings-status-map")).to_contain_text("Status map saved")
    expect(admin_page.locator("#settings-status-map").get_by_label("Relationship prospect")).to_have_value(
        "Talent pool"
    )
    stored = VendorConnection.objects.get(pk=careerbuilder.pk).credentials["status_map"]
    assert stored == {"relationship": {"prospect": "Talent pool", "review": ""}}
