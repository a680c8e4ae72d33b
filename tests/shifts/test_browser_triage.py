"""Issue 17 in chromium: the shift board opens at today with each day's counts, the "Needs attention" filter
lands in the URL, and cancelling a filled shift asks for a reason on a page that names the booked nurse."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from portal.shifts.models import ShiftRequest
from tests.jobs.factories import FacilityFactory
from tests.shifts.factories import ShiftRequestFactory
from tests.talent.factories import TalentProfileFactory

# serialized_rollback: an earlier transactional test flushed the roles that migrations create.
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def starting_in(hours: float, **fields) -> ShiftRequest:
    starts_at = timezone.now().replace(second=0, microsecond=0) + dt.timedelta(hours=hours)
    return ShiftRequestFactory(starts_at=starts_at, ends_at=starts_at + dt.timedelta(hours=8), **fields)


def test_the_board_opens_at_today_and_filters_what_needs_attention(coordinator_page, live_server):
    page = coordinator_page
    ward = FacilityFactory(name="Harbor View", time_zone="America/New_York")
    last_week = starting_in(-24 * 7, facility=ward, unit="Old")
    soon = starting_in(20, facility=ward, unit="ICU")
    later = starting_in(24 * 4, facility=ward, unit="3 North")
    booked = starting_in(21, facility=ward, unit="ER", status="filled", assigned_professional=TalentProfileFactory())

    page.goto(f"{live_server.url}/shifts/")
    today = timezone.localdate()
    expect(page.get_by_label("From")).to_have_value(today.isoformat())
    for shown in (soon, later, booked):
        expect(page.locator(f"#shift-{shown.pk}")).to_be_visible()
    expect(page.locator(f"#shift-{last_week.pk}")).to_have_count(0)
    first_day = page.locator(".board-day").first
    assert first_day.get_attribute("id") >= f"day-{today.isoformat()}", "no day before today"
    expect(page.locator(f"#day-{later.local_starts_at.date().isoformat()} .day-counts")).to_contain_text(
        "1 open · 0 filled · 1 total · 0 % filled"
    )

    page.get_by_label("Needs attention").check()
    expect(page).to_have_url(re.compile(r"[?&]attention=on"))
    expect(page.locator(f"#shift-{soon.pk}")).to_be_visible()
    for hidden in (later, booked):
        expect(page.locator(f"#shift-{hidden.pk}")).to_have_count(0)

    page.reload()  # the filter lives in the URL: a reload or a shared link shows the same board
    expect(page.get_by_label("Needs attention")).to_be_checked()
    expect(page.locator(".board-day tbody tr[id^=shift-]")).to_have_count(1)

    page.get_by_role("link", name="Show earlier days").click()  # earlier days, still only what needs attention
    expect(page).to_have_url(re.compile(r"date_from=(&|$)"))
    expect(page.locator(f"#shift-{last_week.pk}")).to_have_count(0)
    page.goto(f"{live_server.url}/shifts/?date_from=")
    expect(page.locator(f"#shift-{last_week.pk}")).to_be_visible()


def test_cancelling_a_filled_shift_asks_why_and_names_the_nurse(coordinator_page, live_server):
    page = coordinator_page
    nurse = TalentProfileFactory(first_name="Clara", last_name="Oswald")
    shift = starting_in(30, status="filled", assigned_professional=nurse)

    page.goto(f"{live_server.url}/shifts/{shift.pk}/")
    page.get_by_role("link", name="Cancel shift").click()
    expect(page.locator("#booked-professional")).to_contain_text("Clara Oswald is booked on this shift")
    page.get_by_role("button", name="Cancel the shift").click()  # the browser asks for the required reason
    assert page.get_by_label("Reason").evaluate("field => field.validity.valueMissing") is True
    expect(page).to_have_url(f"{live_server.url}/shifts/{shift.pk}/cancel/")
    shift.refresh_from_db()
    assert shift.status == "filled", "nothing happens without a reason (the server refuses too: test_pages)"

    page.get_by_label("Reason").fill("Census dropped; unit merged with 4 West")
    page.get_by_role("button", name="Cancel the shift").click()
    expect(page.locator("#messages")).to_contain_text("Shift cancelled.")
    expect(page.locator("#shift-status")).to_contain_text("Cancelled · Reason: Census dropped; unit merged with 4 West")
