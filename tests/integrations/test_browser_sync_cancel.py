"""Issue 17 item 4 in chromium: "Sync" swaps the progress box in without a reload, its counts move while a real
worker reads a slow Kamana sandbox, and "Cancel sync" stops the run after a page: it ends cancelled, by whom."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from portal.integrations.models import SyncRun
from tests.integrations import test_sync_cancel_worker as slow_fixtures
from tests.support.browser import sign_in

slow_kamana, PAGES = slow_fixtures.slow_kamana, slow_fixtures.PAGES

# serialized_rollback: an earlier transactional test flushed the roles that migrations create.
pytestmark = [
    pytest.mark.browser,
    pytest.mark.worker,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_sync_now_shows_moving_counts_and_cancel_stops_it(page, portal_admin, live_server, slow_kamana, celery_worker):
    sign_in(page.context, portal_admin, live_server.url)
    page.goto(f"{live_server.url}/integrations/")
    page.evaluate("window.__sameDocument = true")
    page.get_by_role("button", name="Sync job requisitions").click()

    box = page.locator("#running-syncs")
    progress = box.locator('.sync-progress[data-state="running"]')
    expect(progress).to_contain_text(re.compile(r"page 1,\s+10 records"), timeout=30_000)
    expect(progress).to_contain_text(re.compile(r"page [2-6],\s+[2-6]0 records"), timeout=15_000)  # counts move

    page.once("dialog", lambda dialog: dialog.accept())
    progress.get_by_role("button", name="Cancel sync").click()
    cancelled = box.locator('.sync-progress[data-state="cancelled"]')
    expect(cancelled).to_contain_text(f"Cancelled by {portal_admin.username}", timeout=30_000)
    assert page.evaluate("window.__sameDocument") is True, "shown by HTMX, not by a reload"

    run = SyncRun.objects.get(connection=slow_kamana)
    assert run.state == SyncRun.State.CANCELLED and 2 <= run.pages < PAGES
    expect(cancelled).to_contain_text(f"page {run.pages}, {run.processed} records")
