"""Issue 9's "Done when" for pages: after a sync from the Alaunus sandbox over real HTTP, a coordinator opens the
visits week in chromium, sees the recurring series expanded into expected visits, goes back a week and sees a
visit of that series with its punchcard's actual times against the scheduled ones.

Two clocks are in play and they disagree once a week. The sandbox builds its world around the Monday of the
current week in UTC (`sandbox_world.seed`); the page's default week is the current week on the agency's clock
(`settings.TIME_ZONE`, New York). From Monday 00:00 UTC until New York's midnight (04:00 or 05:00 UTC) New York
is still in the previous week, so a test that opened `/shifts/visits/` with no week saw the sandbox's last week
(everything already punched, nothing expected) and failed. The test therefore asks for the week the synced data
is in (`?week=`, the Monday of the latest series visit in the page's zone) and never relies on "today"; the
`clock` fixture runs it a second time with the sandbox seeded and the page's clock stopped at Monday 02:00 UTC,
the hour the old test failed in.

HTMX 2 pushes the new URL before it swaps, and binds the swapped-in links and form after the settle delay, so a
URL check alone lets the next click land on the old week, or on a link HTMX has not taken over yet (a full page
load). Each step therefore waits for its swap to settle (`htmx:afterSettle`) and for the new week's own content.
"""

from __future__ import annotations

import datetime as dt
import re
import types
from collections.abc import Callable, Iterator
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from playwright.sync_api import Page, expect

from portal.shifts import visit_views
from portal.shifts.models import Timecard, Visit
from portal.shifts.visit_views import week_bounds
from tests.support.processes import free_port
from tests.vendors.alaunus import conftest as alaunus_fixtures
from vendors.alaunus import sandbox_world
from vendors.alaunus.sandbox import AlaunusSandbox
from vendors.base.sandbox import SandboxServer

# A connection to the Alaunus sandbox, shared with the Alaunus sync tests; its server is this module's, below.
alaunus = alaunus_fixtures.alaunus

# serialized_rollback: an earlier transactional test flushed the roles that migrations create.
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

# Counts the week's settled HTMX swaps, so a step can wait for the one its click started.
COUNT_SETTLES = (
    "window.__settles = 0;"
    "document.body.addEventListener('htmx:afterSettle', e => { if (e.target.id === 'visit-week') window.__settles++ })"
)


def stopped_clock(instant: dt.datetime) -> types.ModuleType:
    """The `datetime` module as a module that imports it as `dt` sees it, with `datetime.now()` stopped."""

    class StoppedDatetime(dt.datetime):
        @classmethod
        def now(cls, tz: dt.tzinfo | None = None) -> dt.datetime:
            return instant.astimezone(tz) if tz else instant.astimezone().replace(tzinfo=None)

    clock = types.ModuleType("datetime")
    clock.__dict__.update(vars(dt))
    clock.datetime = StoppedDatetime
    return clock


@pytest.fixture(params=["now", "Monday 02:00 UTC"])
def clock(request, monkeypatch) -> dt.datetime:
    """Now, or this UTC week's Monday 02:00 (Sunday evening in New York) for the sandbox and the page alike."""
    now = dt.datetime.now(dt.UTC)
    if request.param == "now":
        return now
    monday_early = (now - dt.timedelta(days=now.weekday())).replace(hour=2, minute=0, second=0, microsecond=0)
    stopped = stopped_clock(monday_early)
    monkeypatch.setattr(sandbox_world, "dt", stopped)
    monkeypatch.setattr(visit_views, "dt", stopped)
    return monday_early


@pytest.fixture
def alaunus_server(clock) -> Iterator[SandboxServer]:
    """The Alaunus sandbox, seeded once `clock` is set: its world is dated when it is seeded."""
    sandbox = AlaunusSandbox(api_key=alaunus_fixtures.API_KEY, seed=alaunus_fixtures.SEED)
    server = SandboxServer([sandbox], port=free_port(), retry_after=1).start()
    yield server
    server.stop()


def week_of(moment: dt.datetime) -> dt.date:
    """The Monday of the page's week (agency zone) that `moment` falls in."""
    return week_bounds(moment.astimezone(ZoneInfo(settings.TIME_ZONE)).date(), ZoneInfo(settings.TIME_ZONE))[0]


def week_label(monday: dt.date) -> str:
    """The page's `Week of Mon 2 Mar 2026` heading."""
    return f"Week of {monday:%a} {monday.day} {monday:%b %Y}"


def settled(page: Page, action: Callable[[], None]) -> None:
    """Do `action` and wait until the HTMX swap it starts has settled (the new links and form are live)."""
    before = page.evaluate("window.__settles")
    action()
    page.wait_for_function("before => window.__settles > before", arg=before)


def test_the_visits_week_shows_an_expanded_recurring_visit_with_its_punchcard(coordinator_page, live_server, alaunus):
    alaunus_fixtures.sync_everything(alaunus)
    zone = ZoneInfo(settings.TIME_ZONE)
    # The sandbox's "this week": its series' last stored visit is this week's Monday; Wednesday and Friday are still
    # only the rule's occurrences. Last week holds the punched visits.
    this_week = week_of(Visit.objects.filter(group__isnull=False).latest("starts_at").starts_at)
    card = Timecard.objects.select_related("visit").filter(visit__group__isnull=False).order_by("check_in").first()
    last_week = week_of(card.visit.starts_at)
    assert last_week == this_week - dt.timedelta(days=7), "the sandbox punches the week before the expected visits"
    page = coordinator_page

    page.goto(f"{live_server.url}/shifts/visits/?week={this_week}")
    week = page.locator("#visit-week")
    expect(page.locator("#week-label")).to_contain_text(week_label(this_week))
    expect(week.locator('[data-status="expected"]').first).to_be_visible()
    expect(week.locator('[data-status="expected"]').first).to_contain_text("recurring")
    expect(week).to_contain_text(f"Times in {settings.TIME_ZONE}")
    page.evaluate(f"window.__sameDocument = true; {COUNT_SETTLES}")

    settled(page, page.get_by_role("link", name="Previous week").click)
    expect(page).to_have_url(re.compile(rf"[?&]week={last_week}(&|$)"))
    expect(page.locator("#week-label")).to_contain_text(week_label(last_week))
    visit = page.locator(f"#visit-{card.visit.pk}")
    expect(visit).to_contain_text("recurring")
    expect(visit).to_contain_text(f"{card.visit.starts_at.astimezone(zone):%H:%M}\u2013")
    expect(visit.locator(".actual")).to_contain_text(f"Actual {card.check_in.astimezone(zone):%H:%M}")
    expect(visit.locator(".actual")).to_contain_text(f"{card.check_out.astimezone(zone):%H:%M}")

    # By patient, then narrowed to one caregiver from the filter: the URL carries both, the week stays put.
    settled(page, page.get_by_role("link", name="patient").click)
    expect(page).to_have_url(re.compile(rf"by=patient.*week={last_week}|week={last_week}.*by=patient"))
    expect(page.locator("#visit-week thead")).to_contain_text("Patient")
    expect(page.locator(".visit-row th", has_text=str(card.visit.patient))).to_have_count(1)
    settled(
        page,
        lambda: page.locator("#visit-filters select[name=caregiver]").select_option(value=str(card.visit.caregiver_id)),
    )
    expect(page).to_have_url(re.compile(rf"caregiver={card.visit.caregiver_id}(&|$)"))
    expect(page.locator("#week-label")).to_contain_text(week_label(last_week))
    expect(page.locator(".visit-row")).to_have_count(1)
    expect(page.locator(f"#visit-{card.visit.pk} .actual")).to_be_visible()
    assert page.evaluate("window.__sameDocument") is True, "HTMX swapped the week in place"
