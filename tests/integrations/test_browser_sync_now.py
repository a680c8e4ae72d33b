"""Issue 17 in chromium: an Admin clicks "Sync" on the overview; a real worker runs it against the Kamana sandbox,
and the page shows the run (then its result) without a reload, where it used to say "No sync is running."."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from portal.integrations.models import SyncRun
from tests.support.browser import sign_in
from tests.vendors.kamana import conftest as kamana_fixtures

registered, kamana_server, vendor, kamana = (
    kamana_fixtures.registered,
    kamana_fixtures.kamana_server,
    kamana_fixtures.vendor,
    kamana_fixtures.kamana,
)

# serialized_rollback: an earlier transactional test flushed the roles that migrations create.
pytestmark = [
    pytest.mark.browser,
    pytest.mark.worker,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_sync_now_is_followed_until_it_ends_without_a_reload(page, portal_admin, live_server, kamana, celery_worker):
    sign_in(page.context, portal_admin, live_server.url)
    page.goto(f"{live_server.url}/integrations/")
    expect(page.locator("#running-syncs")).to_contain_text("No sync is running.")

    page.evaluate("window.__sameDocument = true")
    page.get_by_role("button", name="Sync job requisitions").click()  # HTMX: the answer is the box, no reload

    box = page.locator("#running-syncs")
    expect(box.locator(".sync-progress")).to_have_attribute("data-state", "succeeded", timeout=30_000)
    run = SyncRun.objects.get(connection=kamana, resource="job_requisitions")
    expect(box.locator(f"#sync-run-{run.pk}")).to_contain_text("Kamana sandbox · job requisitions — Succeeded")
    expect(box.locator(f"#sync-run-{run.pk}")).to_contain_text(f"{run.processed} records")
    assert page.evaluate("window.__sameDocument") is True, "shown by polling, not by a reload"
    expect(box).not_to_contain_text("No sync is running.")
