"""Issue 9's "Done when" for pages: after a sync from the Alaunus sandbox over real HTTP, a coordinator opens the
visits week in chromium, sees the recurring series expanded into expected visits, goes back a week and sees a
visit of that series with its punchcard's actual times against the scheduled ones."""

from __future__ import annotations

import re
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from playwright.sync_api import expect

from portal.shifts.models import Timecard
from tests.vendors.alaunus import conftest as alaunus_fixtures

# The Alaunus sandbox over HTTP and a connection to it, shared with the Alaunus sync tests.
alaunus_server, alaunus = alaunus_fixtures.alaunus_server, alaunus_fixtures.alaunus

# serialized_rollback: an earlier transactional test flushed the roles that migrations create.
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_the_visits_week_shows_an_expanded_recurring_visit_with_its_punchcard(coordinator_page, live_server, alaunus):
    alaunus_fixtures.sync_everything(alaunus)
    page = coordinator_page

    page.goto(f"{live_server.url}/shifts/visits/")
    week = page.locator("#visit-week")
    # This week: each patient's Monday visit exists, Wednesday and Friday are still only the rule's occurrences.
    expect(week.locator('[data-status="expected"]').first).to_be_visible()
    expect(week.locator('[data-status="expected"]').first).to_contain_text("recurring")
    expect(week).to_contain_text(f"Times in {settings.TIME_ZONE}")
    page.evaluate("window.__sameDocument = true")

    page.get_by_role("link", name="Previous week").click()
    expect(page).to_have_url(re.compile(r"week=\d{4}-\d{2}-\d{2}"))
    card = Timecard.objects.select_related("visit").filter(visit__group__isnull=False).order_by("check_in").first()
    zone = ZoneInfo(settings.TIME_ZONE)
    visit = page.locator(f"#visit-{card.visit.pk}")
    expect(visit).to_contain_text("recurring")
    expect(visit).to_contain_text(f"{card.visit.starts_at.astimezone(zone):%H:%M}\u2013")
    expect(visit.locator(".actual")).to_contain_text(f"Actual {card.check_in.astimezone(zone):%H:%M}")
    expect(visit.locator(".actual")).to_contain_text(f"{card.check_out.astimezone(zone):%H:%M}")

    # By patient, then narrowed to one caregiver from the filter: the URL carries both, the week stays put.
    page.get_by_role("link", name="patient").click()
    expect(page.locator("#visit-week thead")).to_contain_text("Patient")
    expect(page.locator(".visit-row th", has_text=str(card.visit.patient))).to_have_count(1)
    page.locator("#visit-filters select[name=caregiver]").select_option(value=str(card.visit.caregiver_id))
    expect(page).to_have_url(re.compile(rf"caregiver={card.visit.caregiver_id}"))
    expect(page.locator(".visit-row")).to_have_count(1)
    expect(page.locator(f"#visit-{card.visit.pk} .actual")).to_be_visible()
    assert page.evaluate("window.__sameDocument") is True, "HTMX swapped the week in place"
