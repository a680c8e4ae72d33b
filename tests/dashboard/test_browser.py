"""Issue 18 "Done when": in chromium, Today shows its figures and plots, every figure's link opens the page that
lists exactly those records; the calendar's week and month, an overnight shift, both daylight-saving weeks, and
HTMX navigation that keeps the page."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from playwright.sync_api import expect

from portal.dashboard.figures import today_figures
from portal.dashboard.models import CoordinatorPreferences
from tests.dashboard.scenario import NOW, ZONE, make_day
from tests.shifts.factories import ShiftRequestFactory
from tests.support.browser import sign_in

# serialized_rollback: an earlier transactional test flushed the roles that migrations create.
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def day_page(page, coordinator, live_server):
    """The scenario's morning, the clock running from it, and a New York coordinator signed in."""
    with time_machine.travel(NOW, tick=True):
        day = make_day()
        CoordinatorPreferences.objects.create(user=coordinator, time_zone=str(ZONE))
        sign_in(page.context, coordinator, live_server.url)
        yield page, day


def test_today_shows_figures_and_plots_and_every_link_lists_its_records(day_page, live_server):
    page, _ = day_page
    figures = today_figures(ZONE)
    expected = [(figures.open_shifts, "shift"), (figures.urgent_shifts, "shift")]
    expected += [(row.open, "shift") for row in figures.shifts_by_facility]
    expected += [(f, "shift") for fill in figures.fill_rates for f in (fill.requested, fill.filled, fill.cancelled)]
    expected += [(w.count, "transaction") for w in figures.approvals]
    expected += [(figures.engagements_starting, "engagement"), (figures.engagements_ending, "engagement")]
    expected += [(figures.idle_requisitions, "requisition")]

    page.goto(live_server.url + "/")
    expect(page.locator("#today-zone")).to_contain_text("Tuesday 10 March 2026")
    expect(page.locator("#figure-open-shifts")).to_contain_text("3 open")
    expect(page.locator("#figure-urgent-shifts")).to_contain_text("1 within 12 h")
    expect(page.locator("#figure-median-fill")).to_have_text("6 h")
    for slug in ("fill-trend", "open-shifts"):  # Chart.js drew each plot; its table stays for screen readers
        expect(page.locator(f"#chart-{slug} canvas")).to_have_attribute("data-drawn", "yes")
        expect(page.locator(f"#chart-{slug} canvas")).to_be_visible()
        expect(page.locator(f"#chart-{slug} .chart-table")).to_have_class(re.compile("visually-hidden"))

    for figure, prefix in expected:
        page.goto(live_server.url + "/")
        page.locator(f'main a[href="{figure.href}"]').first.click()
        page.wait_for_url(f"**{figure.href.split('?')[0]}**")
        expect(page.locator(f'tr[id^="{prefix}-"]')).to_have_count(figure.value)

    page.goto(live_server.url + "/")
    page.locator("#figure-visits-today").click()
    expect(page.locator('div.visit[id^="visit-"]')).to_have_count(1)  # today's only: the link narrows to its day
    page.goto(live_server.url + "/")
    page.locator("#figure-credentials").click()
    expect(page.locator('tr[id^="engagement-"]')).to_have_count(1)


def test_today_without_javascript_shows_the_plots_as_tables(browser, coordinator, live_server):
    context = browser.new_context(java_script_enabled=False)
    with time_machine.travel(NOW, tick=True):
        make_day()
        sign_in(context, coordinator, live_server.url)
        page = context.new_page()
        page.goto(live_server.url + "/")
        expect(page.locator("#chart-fill-trend table")).to_be_visible()
        expect(page.locator("#chart-fill-trend canvas")).to_be_hidden()
        expect(page.locator("#chart-open-shifts table tbody tr")).to_have_count(2)
    context.close()


def test_calendar_week_month_overnight_and_htmx_navigation(day_page, live_server):
    page, day = day_page
    page.goto(f"{live_server.url}/calendar/?date=2026-03-10")
    expect(page.locator("#calendar-range")).to_have_text("Mon 9 Mar \u2013 Sun 15 Mar 2026")
    uid = f"shift-{day.overnight_shift.pk}"
    expect(page.locator(f'#day-2026-03-10 [data-uid="{uid}"]')).to_contain_text("23:00\u201307:00 (next day)")
    expect(page.locator(f'#day-2026-03-11 [data-uid="{uid}"].continued')).to_contain_text("until 07:00")
    page.evaluate("window.__sameDocument = true")

    page.locator("#calendar-next").click()
    expect(page.locator("#calendar-range")).to_have_text("Mon 16 Mar \u2013 Sun 22 Mar 2026")
    assert page.url.endswith("date=2026-03-16")
    page.locator("#calendar-view-month").click()
    expect(page.locator("#calendar-range")).to_have_text("March 2026")
    expect(page.locator("#calendar section.day")).to_have_count(42)
    expect(page.locator(f'#day-2026-03-11 [data-uid="{uid}"]')).to_have_count(1)
    page.get_by_label("Facility").select_option(label="Harbor View")
    expect(page.locator("#calendar .entry.visit")).to_have_count(0)
    expect(page.locator("#calendar .entry.shift").first).to_contain_text("Harbor View")
    assert page.evaluate("window.__sameDocument") is True  # every step was an HTMX swap, not a page load


@pytest.mark.parametrize(
    ("night", "clock_change", "hours"), [("2026-03-07", "Sun 8 Mar", 23), ("2026-10-31", "Sun 1 Nov", 25)]
)
def test_calendar_in_both_daylight_saving_weeks(page, coordinator, live_server, night, clock_change, hours):
    """A 23:00-06:00 night shift across the change keeps its wall-clock times on both days it touches."""
    first = dt.date.fromisoformat(night)
    ShiftRequestFactory(
        starts_at=dt.datetime.combine(first, dt.time(23), tzinfo=ZONE).astimezone(dt.UTC),
        ends_at=dt.datetime.combine(first + dt.timedelta(days=1), dt.time(6), tzinfo=ZONE).astimezone(dt.UTC),
        assigned_professional=None,
    )
    CoordinatorPreferences.objects.create(user=coordinator, time_zone=str(ZONE))
    sign_in(page.context, coordinator, live_server.url)
    page.goto(f"{live_server.url}/calendar/?date={night}")
    expect(page.locator("#calendar-zone")).to_contain_text(f"clocks change on {clock_change}, a day of {hours} hours")
    expect(page.locator(f"#day-{night} .entry.shift")).to_contain_text("23:00\u201306:00 (next day)")
    following = (first + dt.timedelta(days=1)).isoformat()
    expect(page.locator(f"#day-{following} .entry.shift.continued")).to_contain_text("until 06:00")
