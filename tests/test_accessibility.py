"""Issue 17 item 10: axe-core (from npm, see package.json; `bin/test` runs `npm ci`) finds no serious or critical
violation on any page a coordinator or an admin uses, at desktop and phone widths; every control has a name; a
coordinator creates a shift with the keyboard alone."""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from portal.shifts.models import ShiftRequest
from tests.support.browser import sign_in
from tests.support.processes import ROOT
from tests.support.walkthrough import admin_urls, coordinator_urls, make_walkthrough

# serialized_rollback: an earlier transactional test flushed the roles that migrations create.
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"

RUN_AXE_JS = """async () => {
  const result = await axe.run(document, {resultTypes: ['violations']});
  return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.impact} ${v.id}: ${v.help} at ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`);
}"""

# Visible form controls without an accessible name (label, aria-label, aria-labelledby or title).
UNNAMED_CONTROLS_JS = """() => [...document.querySelectorAll('input:not([type=hidden]), select, textarea, button')]
  .filter((el) => el.getClientRects().length)
  .filter((el) => !(el.labels && el.labels.length) && !el.getAttribute('aria-label')
    && !el.getAttribute('aria-labelledby') && !el.title && !(el.tagName === 'BUTTON' && el.textContent.trim()))
  .map((el) => el.outerHTML.slice(0, 120))"""

# Elements that act on a click (htmx's default trigger, or an explicit "click") but a keyboard cannot reach:
# neither a native control nor focusable; and native controls taken out of the tab order.
KEYBOARD_TRAPS_JS = """() => {
  const native = 'a[href], button, input, select, textarea, form, summary';
  const verbs = '[hx-get], [hx-post], [hx-put], [hx-patch], [hx-delete]';
  const byClick = [...document.querySelectorAll(verbs)].filter((el) => !el.matches(native)
    && (!el.getAttribute('hx-trigger') || el.getAttribute('hx-trigger').includes('click')) && el.tabIndex < 0);
  const untabbable = [...document.querySelectorAll(native)].filter((el) => el.matches(':not(form)') && el.tabIndex < 0
    && el.getClientRects().length);
  return [...byClick, ...untabbable].map((el) => el.outerHTML.slice(0, 120));
}"""


@pytest.fixture(scope="module")
def axe_source():
    assert AXE.exists(), f"{AXE} is missing: run `npm ci` at the repository root (bin/test does)"
    return AXE


def problems_on(page, url: str, status: int = 200) -> list[str]:
    response = page.goto(url)
    assert response.status == status, f"{url} answered {response.status}"
    page.add_script_tag(path=str(AXE))
    found = [f"{url}: {violation}" for violation in page.evaluate(RUN_AXE_JS)]
    found += [f"{url}: no accessible name: {control}" for control in page.evaluate(UNNAMED_CONTROLS_JS)]
    found += [f"{url}: not reachable by keyboard: {element}" for element in page.evaluate(KEYBOARD_TRAPS_JS)]
    return found


@pytest.mark.parametrize("viewport", [{"width": 1280, "height": 900}, {"width": 390, "height": 844}])
def test_no_serious_violation_on_any_page_a_coordinator_or_an_admin_uses(
    browser, live_server, coordinator, portal_admin, axe_source, viewport
):
    records = make_walkthrough()
    found: list[str] = []
    for user, urls in ((coordinator, coordinator_urls(records)), (portal_admin, admin_urls(records))):
        context = browser.new_context(viewport=viewport)
        context.set_default_timeout(10_000)
        sign_in(context, user, live_server.url)
        page = context.new_page()
        for url in urls:
            found += problems_on(page, live_server.url + url)
        found += problems_on(page, f"{live_server.url}/shifts/999999/", status=404)
        context.close()
    assert found == [], "\n".join(found)


def test_the_sign_in_page_has_no_serious_violation(page, live_server, axe_source):
    assert problems_on(page, f"{live_server.url}{reverse('login')}") == []


def test_the_opened_menu_on_a_phone_has_no_serious_violation(browser, live_server, coordinator, axe_source):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    try:
        sign_in(context, coordinator, live_server.url)
        page = context.new_page()
        page.goto(f"{live_server.url}{reverse('billing:approvals')}")
        page.get_by_role("button", name="Menu").click()
        page.add_script_tag(path=str(AXE))
        assert page.evaluate(RUN_AXE_JS) == []
    finally:
        context.close()


def tab_to(page, field_id: str) -> None:
    """Press Tab until `field_id` has the focus, as a keyboard user would; fail if it never does."""
    for _ in range(60):
        if page.evaluate("document.activeElement && document.activeElement.id") == field_id:
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"#{field_id} is not reachable with Tab")


def test_a_coordinator_creates_a_shift_with_the_keyboard_alone(coordinator_page, live_server):
    records = make_walkthrough()
    facility = records.shift.facility
    page = coordinator_page
    page.goto(f"{live_server.url}{reverse('shifts:create')}")

    tab_to(page, "id_facility")
    page.keyboard.type(facility.name[:6])
    tab_to(page, "id_unit")
    page.keyboard.type("5 West")
    tab_to(page, "id_professional_type")
    page.keyboard.type("Registered")
    tab_to(page, "id_first_day")
    page.keyboard.type(records.shift.starts_at.strftime("%m%d%Y"))
    tab_to(page, "id_start_time")
    page.keyboard.type("0700AM")
    tab_to(page, "id_end_time")
    page.keyboard.type("0300PM")
    tab_to(page, "id_boost_percentage")
    page.keyboard.press("Enter")

    expect(page.locator("#messages")).to_contain_text("1 shift created")
    created = ShiftRequest.objects.get(unit="5 West")
    assert (created.facility, created.professional_type) == (facility, "RN")
