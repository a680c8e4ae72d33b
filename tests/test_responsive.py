"""Issue 17 item 6: on a 390 x 844 phone the main pages fit the screen, the navigation folds behind a Menu button
that works by keyboard and reaches Sign out, and every button is at least 40 px high."""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.support.browser import sign_in
from tests.support.walkthrough import make_walkthrough

# serialized_rollback: an earlier transactional test flushed the roles that migrations create.
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PHONE = {"width": 390, "height": 844}

# Visible buttons lower than 40 px, described for the failure message.
SHORT_BUTTONS_JS = """() => [...document.querySelectorAll('button, input[type=submit], [role=button]')]
  .filter((el) => el.getClientRects().length && getComputedStyle(el).visibility !== 'hidden')
  .map((el) => [el.textContent.trim() || el.value || el.outerHTML.slice(0, 60), el.getBoundingClientRect().height])
  .filter(([, height]) => height < 40)"""


@pytest.fixture
def phone_page(browser, coordinator, live_server):
    context = browser.new_context(viewport=PHONE, has_touch=True)
    context.set_default_timeout(10_000)
    sign_in(context, coordinator, live_server.url)
    yield context.new_page()
    context.close()


def assert_fits_the_phone(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} is {width} px wide on a {PHONE['width']} px screen"
    assert page.evaluate(SHORT_BUTTONS_JS) == [], f"buttons under 40 px high on {page.url}"


def test_the_main_pages_fit_a_phone_and_the_menu_reaches_sign_out_by_keyboard(phone_page, live_server):
    records = make_walkthrough()
    page = phone_page
    for url in (
        reverse("shifts:board"),
        reverse("billing:approvals"),
        reverse("talent:timeline", args=[records.person_pk]),
        reverse("shifts:create"),
    ):
        page.goto(live_server.url + url)
        menu = page.get_by_role("button", name="Menu")
        sign_out = page.get_by_role("button", name="Sign out")
        expect(menu).to_have_attribute("aria-expanded", "false")
        expect(sign_out).to_be_hidden()
        assert_fits_the_phone(page)

        menu.focus()
        page.keyboard.press("Enter")
        expect(menu).to_have_attribute("aria-expanded", "true")
        expect(sign_out).to_be_visible()
        box = sign_out.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], f"Sign out off-screen on {url}"
        assert_fits_the_phone(page)
        expect(page.get_by_role("navigation", name="Sections").get_by_role("link", name="Approvals")).to_be_visible()

        page.keyboard.press("Escape")
        expect(menu).to_have_attribute("aria-expanded", "false")
        expect(menu).to_be_focused()


def test_sign_out_works_from_the_opened_menu(phone_page, live_server):
    page = phone_page
    page.goto(f"{live_server.url}{reverse('shifts:board')}")
    page.get_by_role("button", name="Menu").click()
    page.get_by_role("button", name="Sign out").click()
    page.goto(f"{live_server.url}{reverse('shifts:board')}")
    assert "/accounts/login/" in page.url


def test_a_wide_table_scrolls_inside_its_own_box(phone_page, live_server):
    make_walkthrough()
    page = phone_page
    page.goto(f"{live_server.url}{reverse('billing:approvals')}")
    table = page.locator("#approvals table.list")
    sizes = table.evaluate("(el) => [el.scrollWidth, el.clientWidth, getComputedStyle(el).overflowX]")
    assert sizes[0] > sizes[1] and sizes[2] == "auto", "the table is wider than the phone and scrolls by itself"
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_without_script_the_sections_stay_open(browser, coordinator, live_server):
    context = browser.new_context(viewport=PHONE, java_script_enabled=False)
    try:
        sign_in(context, coordinator, live_server.url)
        page = context.new_page()
        page.goto(f"{live_server.url}{reverse('shifts:board')}")
        expect(page.get_by_role("button", name="Menu")).to_be_hidden()
        expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    finally:
        context.close()
