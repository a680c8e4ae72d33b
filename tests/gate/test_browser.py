"""Issue 19 in chromium: a booking blocked with its reasons, a warning gone past with a reason, and the findings
page where a vendor's double booking is acknowledged with a reason, filters in the URL."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from portal.gate import services
from portal.gate.models import Finding
from tests.jobs.factories import FacilityFactory, VendorConnectionFactory
from tests.shifts.factories import ShiftRequestFactory, VisitFactory
from tests.talent.factories import TalentProfileFactory

# serialized_rollback: an earlier transactional test flushed the roles that migrations create.
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def tomorrow_at(hour: int) -> dt.datetime:
    return timezone.now().replace(minute=0, second=0, microsecond=0) + dt.timedelta(days=1, hours=hour)


def test_a_booking_is_blocked_with_its_reasons_and_a_warning_is_gone_past_with_one(coordinator_page, live_server):
    page = coordinator_page
    ward = FacilityFactory(name="Harbor View", time_zone="America/New_York")
    busy = TalentProfileFactory(first_name="Ana", last_name="Reyes")
    tired = TalentProfileFactory(first_name="Ben", last_name="Okafor")
    shift = ShiftRequestFactory(facility=ward, starts_at=tomorrow_at(0), ends_at=tomorrow_at(8))
    VisitFactory(caregiver=busy, service_name="Wound care", starts_at=tomorrow_at(2), ends_at=tomorrow_at(3))
    VisitFactory(caregiver=tired, service_name="Bathing", starts_at=tomorrow_at(-5), ends_at=tomorrow_at(-2))

    page.goto(f"{live_server.url}/shifts/{shift.pk}/")
    page.get_by_role("link", name="Book a professional").click()
    page.get_by_label("Person").fill("Reyes")
    page.get_by_role("button", name="Find").click()
    page.get_by_role("link", name="Ana Reyes").click()
    blocks = page.locator("#gate-blocks")
    expect(blocks).to_contain_text("Overlapping work")
    expect(blocks).to_contain_text("Wound care")
    expect(page.locator("#book-form")).to_have_count(0)

    page.get_by_label("Person").fill("Okafor")
    page.get_by_role("button", name="Find").click()
    page.get_by_role("link", name="Ben Okafor").click()
    expect(page.locator("#gate-warnings")).to_contain_text("Too little rest between work")
    page.get_by_role("button", name="Book Ben Okafor").click()
    expect(page.locator("#gate-warnings")).to_contain_text("give a reason to go on")
    page.get_by_label("Reason to go on past the warnings").fill("Only RN free; she agreed")
    page.get_by_role("button", name="Book Ben Okafor").click()
    expect(page).to_have_url(re.compile(rf"/shifts/{shift.pk}/$"))
    expect(page.locator("dd", has_text="Ben Okafor")).to_be_visible()
    assert Finding.objects.get(profile=tired).reason == "Only RN free; she agreed"


def test_the_findings_page_lists_a_vendor_double_booking_and_takes_a_decision(coordinator_page, live_server):
    page = coordinator_page
    person = TalentProfileFactory(first_name="Ana", last_name="Reyes")
    ShiftRequestFactory(
        facility=FacilityFactory(),
        connection=VendorConnectionFactory(),
        assigned_professional=person,
        status="filled",
        starts_at=tomorrow_at(0),
        ends_at=tomorrow_at(8),
    )
    VisitFactory(caregiver=person, service_name="Wound care", starts_at=tomorrow_at(2), ends_at=tomorrow_at(3))
    services.recheck_upcoming()

    page.goto(f"{live_server.url}/findings/")
    rows = page.locator("tr[data-rule=overlap]")
    expect(rows).to_have_count(2)
    expect(rows.first).to_contain_text("Ana Reyes")
    page.get_by_label("Rule").select_option("rest")
    expect(page).to_have_url(re.compile(r"[?&]rule=rest"))
    expect(page.get_by_text("No findings match these filters")).to_be_visible()
    page.get_by_label("Rule").select_option("")
    first = page.locator("tr[data-rule=overlap]").first
    first.get_by_label("Reason").fill("Calling the agency")
    first.get_by_role("button", name="Acknowledge").click()
    expect(page.locator("tr[data-state=acknowledged]")).to_contain_text("Calling the agency")


def test_a_visit_staffing_is_blocked_by_a_shift_and_a_warning_is_gone_past_with_a_reason(coordinator_page, live_server):
    page = coordinator_page
    visit = VisitFactory(caregiver=None, service_name="Wound care", starts_at=tomorrow_at(9), ends_at=tomorrow_at(11))
    busy = TalentProfileFactory(first_name="Ana", last_name="Reyes")
    tired = TalentProfileFactory(first_name="Ben", last_name="Okafor")
    intelycare = VendorConnectionFactory(vendor="intelycare", name="IntelyCare Boston")
    ShiftRequestFactory(
        connection=intelycare,
        assigned_professional=busy,
        status="filled",
        starts_at=tomorrow_at(7),
        ends_at=tomorrow_at(10),
    )
    # A night shift ending at 06:00 leaves 3 h of rest before the 09:00 visit.
    ShiftRequestFactory(assigned_professional=tired, status="filled", starts_at=tomorrow_at(0), ends_at=tomorrow_at(6))

    page.goto(f"{live_server.url}/shifts/visits/{visit.pk}/staff/")
    page.get_by_role("button", name="Assign Ana Reyes").click()
    blocks = page.locator("#gate-blocks")
    expect(blocks).to_contain_text("Overlapping work")
    expect(blocks).to_contain_text("IntelyCare Boston shift")
    expect(page.locator("#override-form")).to_have_count(0)

    page.get_by_role("button", name="Assign Ben Okafor", exact=True).click()
    expect(page.locator("#gate-warnings")).to_contain_text("give a reason to go on")
    page.get_by_label("Reason to go on past the warnings").fill("Short visit; he agreed")
    page.get_by_role("button", name="Assign Ben Okafor anyway").click()
    expect(page.locator("#visit-caregiver")).to_have_text("Ben Okafor")
    assert Finding.objects.get(profile=tired).reason == "Short visit; he agreed"
