"""Issue 18 items 1 and 3: Today's figures in the coordinator's zone, each linking to a page that lists exactly its
records, the same figures over REST, and a constant number of queries."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from portal.dashboard.figures import today_figures
from portal.gate.models import Finding
from tests.dashboard.scenario import NOW, ZONE, make_day
from tests.talent.factories import TalentProfileFactory

pytestmark = pytest.mark.django_db


def rows(client, href: str, prefix: str) -> set[str]:
    response = client.get(href)
    assert response.status_code == 200, href
    return set(re.findall(rf'id="{prefix}-(\d+)"', response.content.decode()))


def test_every_figure_is_what_the_scenario_holds(at_now):
    make_day(scale=2)
    figures = today_figures(ZONE)
    assert (figures.open_shifts.value, figures.urgent_shifts.value) == (6, 2)
    by_facility = {
        row.facility: (row.open.value, row.urgent.value, row.portal_only) for row in figures.shifts_by_facility
    }
    assert by_facility == {"Lakeside General": (4, 2, 2), "Harbor View": (2, 0, 2)}
    assert figures.visits_without_caregiver_today.value == 2
    assert figures.visits_without_caregiver_tomorrow.value == 2
    fourteen, thirty = figures.fill_rates
    # Today's open and overnight shifts count: whole local days, as the board lists them.
    assert (fourteen.requested.value, fourteen.filled.value, fourteen.cancelled.value) == (7, 3, 2)
    assert (thirty.requested.value, thirty.filled.value, thirty.cancelled.value) == (9, 5, 2)
    assert thirty.rate == round(100 * 5 / 9, 1)
    assert len(figures.fill_trend) == 30 and figures.fill_trend[-1].day == dt.date(2026, 3, 10)
    assert figures.median_time_to_fill == dt.timedelta(hours=6)
    approvals = {w.currency: (w.count.value, w.amount, w.oldest) for w in figures.approvals}
    assert approvals == {
        "CAD": (2, Decimal("140.00"), NOW - dt.timedelta(days=2)),
        "USD": (4, Decimal("300.50"), NOW - dt.timedelta(days=3)),
    }
    assert (figures.engagements_starting.value, figures.engagements_ending.value) == (2, 2)
    assert figures.idle_requisitions.value == 2
    assert (figures.credentials_expired.value, figures.credentials_expiring.value) == (2, 2)


def test_the_day_is_the_coordinators(at_now):
    """At 09:00 in New York it is already 22:00 in Tokyo: 'today' and its visits move with the zone."""
    make_day()
    figures = today_figures(ZoneInfo("Asia/Tokyo"))
    assert figures.today == dt.date(2026, 3, 10)
    # Tokyo's 10 March ends at 15:00 UTC: the visit at 15:00 UTC is tomorrow there, the one 24 h later the day after.
    assert figures.visits_without_caregiver_today.value == 0
    assert figures.visits_without_caregiver_tomorrow.value == 1


def test_each_figure_links_to_a_page_listing_exactly_its_records(at_now, coordinator_client, in_new_york):
    make_day()
    figures = today_figures(ZONE)
    c = coordinator_client
    assert len(rows(c, figures.open_shifts.href, "shift")) == figures.open_shifts.value == 3
    assert len(rows(c, figures.urgent_shifts.href, "shift")) == figures.urgent_shifts.value == 1
    for row in figures.shifts_by_facility:
        assert len(rows(c, row.open.href, "shift")) == row.open.value
        assert len(rows(c, row.urgent.href, "shift")) == row.urgent.value
    for fill in figures.fill_rates:
        for figure in (fill.requested, fill.filled, fill.cancelled):
            assert len(rows(c, figure.href, "shift")) == figure.value, figure.href
    for waiting in figures.approvals:
        assert len(rows(c, waiting.count.href, "transaction")) == waiting.count.value
        assert len(rows(c, waiting.oldest_href, "transaction")) == 1
    for figure in (figures.engagements_starting, figures.engagements_ending):
        assert len(rows(c, figure.href, "engagement")) == figure.value == 1
    assert len(rows(c, figures.idle_requisitions.href, "requisition")) == 1
    # Credentials are listed by the engagement that needs them: one engagement holds both lapsing ones.
    assert len(rows(c, figures.credentials_expired.href, "engagement")) == 1
    # The visits week narrowed to the day lists exactly that day's visits still without a caregiver.
    for figure in (figures.visits_without_caregiver_today, figures.visits_without_caregiver_tomorrow):
        assert len(rows(c, figure.href, "visit")) == figure.value == 1, figure.href


def test_home_page_shows_the_figures_with_their_links(at_now, coordinator_client, in_new_york):
    make_day()
    figures = today_figures(ZONE)
    html = coordinator_client.get(reverse("home")).content.decode()
    assert "Tuesday 10 March 2026" in html and "America/New_York" in html
    for figure in (figures.open_shifts, figures.urgent_shifts, figures.idle_requisitions, figures.engagements_starting):
        assert f'href="{figure.href.replace("&", "&amp;")}"' in html
    assert "$150.25" in html or "150.25" in html
    assert "6 h" in html  # median time to fill
    assert 'id="chart-fill-trend"' in html and "<table" in html  # the plot's table, for readers without JavaScript
    assert "IntelyCare (Boston)" in html
    # A coordinator does not get links to the Admin's Integrations pages.
    assert reverse("integrations:outbox") not in html


def test_the_api_agrees_with_the_page(at_now, coordinator_client, in_new_york):
    make_day()
    page = coordinator_client.get(reverse("home")).context["figures"]
    body = coordinator_client.get(reverse("api-dashboard")).json()
    assert body["zone"] == "America/New_York" and body["today"] == "2026-03-10"
    assert body["open_shifts"] == {"value": page.open_shifts.value, "href": page.open_shifts.href}
    assert body["urgent_shifts"]["value"] == page.urgent_shifts.value
    assert [f["requested"]["value"] for f in body["fill_rates"]] == [f.requested.value for f in page.fill_rates]
    assert [d["filled"] for d in body["fill_trend"]] == [d.filled for d in page.fill_trend]
    assert body["median_time_to_fill_seconds"] == page.median_time_to_fill.total_seconds()
    assert {a["currency"]: a["count"]["value"] for a in body["approvals"]} == {
        w.currency: w.count.value for w in page.approvals
    }
    assert body["credentials_expired"]["value"] == page.credentials_expired.value
    assert body["findings_blocking"] == {"value": page.findings_blocking.value, "href": page.findings_blocking.href}
    assert body["findings_warning"]["value"] == page.findings_warning.value
    assert body["vendor_health"][0]["deliveries_failed"] == 1 and body["vendor_health"][0]["inbox_failed"] == 1


def test_the_api_is_in_the_openapi_schema(admin_client):
    schema = admin_client.get(reverse("api-schema"), HTTP_ACCEPT="application/json").content.decode()
    assert "/api/v1/dashboard/" in schema and "median_time_to_fill_seconds" in schema


def queries_of(client, url: str, **query) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url, query).status_code == 200
    return len(captured.captured_queries)


def test_home_and_api_take_the_same_queries_empty_small_and_large(at_now, coordinator_client, in_new_york):
    """Session, user, roles, preferences, the nav's counters, and the figures' own fifteen queries (the gate's open
    findings, issue 19, are the fifteenth): no more at twelve times the data, nor fewer with none
    (tests/dashboard/test_calendar.py does the same for the calendar)."""
    pages = {"home": reverse("home"), "api": reverse("api-dashboard")}
    counts = []
    for scale in (0, 1, 12):
        if scale:
            make_day(scale=scale)
        counts.append({name: queries_of(coordinator_client, url) for name, url in pages.items()})
    assert counts[0] == counts[1] == counts[2]
    assert counts[0]["home"] <= 19 and counts[0]["api"] <= 18  # 18 and 17, plus the gate's findings (one aggregate)


def test_an_empty_portal_shows_a_calm_today(coordinator_client):
    html = coordinator_client.get(reverse("home")).content.decode()
    assert "Every shift in the next 48 hours is filled." in html
    assert "No vendor is connected yet." in html


def test_the_gates_open_findings_are_counted_and_link_to_exactly_them(at_now, coordinator_client, in_new_york):
    """Open findings of work not yet over, blocks and warnings apart; acknowledged, resolved and past ones are not."""
    person = TalentProfileFactory()
    ahead, over = NOW + dt.timedelta(hours=5), NOW - dt.timedelta(hours=1)
    for n, (severity, state, ends_at) in enumerate(
        [
            ("block", "open", ahead),
            ("block", "open", ahead),
            ("warn", "open", ahead),
            ("warn", "acknowledged", ahead),
            ("block", "resolved", ahead),
            ("block", "open", over),
        ]
    ):
        Finding.objects.create(
            profile=person,
            rule="overlap",
            severity=severity,
            message="Already booked then",
            work_ref=f"shifts.visit:{n}",
            work_starts_at=ends_at - dt.timedelta(hours=2),
            work_ends_at=ends_at,
            work_title="Visit",
            state=state,
        )
    figures = today_figures(ZONE)
    assert (figures.findings_blocking.value, figures.findings_warning.value) == (2, 1)
    for figure in (figures.findings_blocking, figures.findings_warning):
        assert len(rows(coordinator_client, figure.href, "finding")) == figure.value, figure.href
    html = coordinator_client.get(reverse("home")).content.decode()
    assert f'href="{figures.findings_blocking.href.replace("&", "&amp;")}" id="figure-findings-blocking"' in html
