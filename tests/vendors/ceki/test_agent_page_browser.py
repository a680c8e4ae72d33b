"""The Ceki connection page in chromium (issue 22): the agent panel arrives by HTMX after the page (a slow Ceki
does not hold the page up), verifying the
agent's e-mail on the page reloads the panel in place, and Refresh asks Ceki again instead of the minute's cache."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.urls import reverse
from playwright.sync_api import expect

from tests.support.browser import sign_in
from tests.test_accessibility import AXE, RUN_AXE_JS, UNNAMED_CONTROLS_JS
from tests.vendors.ceki import conftest as ceki_fixtures
from vendors.ceki.sandbox_agent import DEMO_VERIFY_CODE

ceki_server, ceki_vendor, ceki = ceki_fixtures.ceki_server, ceki_fixtures.ceki_vendor, ceki_fixtures.ceki

# serialized_rollback: an earlier transactional test flushed the roles that migrations create.
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()
    yield
    cache.clear()


def test_the_agent_panel_loads_after_the_page_and_follows_what_the_admin_does(
    page, live_server, portal_admin, ceki, ceki_server
):
    agent = ceki_fixtures.register_agent(ceki, verify=False, deposit="20")
    sign_in(page.context, portal_admin, live_server.url)
    ceki_server.add_fault("slow", vendor="ceki", path="/api/agent/me", count=1)  # Ceki takes two seconds
    page.goto(live_server.url + reverse("integrations:connection", args=[agent.pk]))
    page.evaluate("window.__sameDocument = true")

    panel = page.locator("#panel-agent")
    expect(panel).to_contain_text("Asking TribeIT Ceki", timeout=1_500), "the page came before Ceki answered"
    expect(page.locator("#settings-verify-agent")).to_be_visible()
    expect(panel.locator("#agent-status")).to_contain_text("active")
    expect(panel.locator("#agent-email")).to_contain_text("Not verified")
    expect(panel.locator("#agent-wallet")).to_contain_text("20.00000 USDT")
    expect(panel.locator("#agent-usage")).to_contain_text("Profile views")
    expect(panel.locator("#agent-transactions")).to_contain_text("deposit")

    form = page.locator("#settings-verify-agent")
    form.get_by_label("Verification code").fill(DEMO_VERIFY_CODE)
    form.get_by_role("button", name="Verify the e-mail").click()
    expect(page.locator("#settings-verify-agent")).to_contain_text("E-mail verified")
    expect(page.locator("#agent-email")).to_have_text("Verified"), "the panel loaded again by itself"

    ceki_fixtures.fund(agent, agent.agent_id, "5")
    expect(page.locator("#agent-wallet")).to_contain_text("20.00000 USDT")
    page.locator("#panel-agent").get_by_role("button", name="Refresh").click()
    expect(page.locator("#agent-wallet")).to_contain_text("25.00000 USDT")
    assert page.evaluate("window.__sameDocument") is True, "all of it without a page load"

    page.add_script_tag(path=str(AXE))
    assert page.evaluate(RUN_AXE_JS) == [], "no serious accessibility violation with the panel in"
    assert page.evaluate(UNNAMED_CONTROLS_JS) == []
