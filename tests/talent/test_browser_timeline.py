"""Issue 8, done when: a coordinator searches a candidate in chromium and sees one timeline from several vendors."""

from __future__ import annotations

import datetime as dt

import pytest

from portal.talent.models import CandidateStatus
from tests.jobs.factories import VendorConnectionFactory
from tests.talent.factories import TalentProfileFactory
from tests.talent.test_timeline import history_across_vendors

pytestmark = [pytest.mark.browser, pytest.mark.django_db]


def test_coordinator_searches_a_candidate_and_sees_a_timeline_from_every_vendor(coordinator_page, live_server):
    maria = TalentProfileFactory(first_name="Maria", last_name="Lopez", email="maria.lopez@example.org")
    TalentProfileFactory(first_name="John", last_name="Okafor", email="john.okafor@example.org")
    history_across_vendors(maria)
    page = coordinator_page
    page.goto(f"{live_server.url}/")
    page.click("#main-nav >> text=Talent")
    page.fill("#id_q", "maria.lopez@")
    page.locator("#people >> text=John Okafor").wait_for(state="detached")  # the search answered
    assert page.locator("#people >> text=Maria Lopez").count() == 1
    assert "q=maria.lopez%40" in page.url
    page.click("#people >> text=Maria Lopez")
    page.wait_for_selector(".timeline-entry")
    assert page.inner_text("h1") == "Maria Lopez"
    assert "Times in America/New_York." in page.inner_text("#timeline")
    sources = page.eval_on_selector_all(".timeline-entry", "items => items.map(item => item.dataset.source)")
    assert set(sources) == {"careerbuilder", "kamana", "intelycare", "alaunus", "ceki"}
    text = page.inner_text("#timeline")
    assert "Application status: Interview" in text and "IntelyCare (Boston)" in text and "Contract: ICU cover" in text

    page.select_option("#id_source", "kamana")
    page.wait_for_function(
        "() => [...document.querySelectorAll('.timeline-entry')].every(e => e.dataset.source === 'kamana')"
    )
    assert "source=kamana" in page.url
    assert page.locator(".timeline-entry").count() == 4


def test_older_entries_load_when_the_end_of_the_list_scrolls_into_view(coordinator_page, live_server):
    maria = TalentProfileFactory(first_name="Maria", last_name="Lopez")
    connection = VendorConnectionFactory(vendor="careerbuilder", name="CareerBuilder (agency)")
    start = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    CandidateStatus.objects.bulk_create(
        CandidateStatus(
            profile=maria,
            connection=connection,
            account="AAAA_1234",
            candidate_email=maria.email,
            requisition_id=f"req-{n}",
            status_level="application",
            status=f"Step {n}",
            status_date=start + dt.timedelta(hours=n),
        )
        for n in range(70)
    )
    page = coordinator_page
    page.goto(f"{live_server.url}/talent/{maria.pk}/timeline/")
    page.wait_for_selector(".timeline-entry")
    assert page.locator(".timeline-entry").count() == 50
    page.locator(".timeline-more").scroll_into_view_if_needed()
    page.wait_for_function("() => document.querySelectorAll('.timeline-entry').length === 70")
    assert page.locator(".timeline-more").count() == 0
    assert page.locator(".timeline-entry").last.inner_text().count("Step 0 ") == 1
