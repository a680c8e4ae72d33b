"""An Admin works the Integrations pages in chromium: live sync progress, inbox filter, replay (of the neutral
fake vendor's events: the inbox pages are under test here, not a vendor)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from portal.core.models import WorkerHeartbeat
from portal.core.tasks import record_worker_heartbeat
from portal.integrations.models import SyncRun, WebhookEvent
from tests.support.browser import sign_in
from tests.support.fake_vendor import event, signed
from tests.support.processes import wait_until

# serialized_rollback: an earlier transactional test flushed the roles that migrations create.
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def admin_page(page, portal_admin, live_server):
    sign_in(page.context, portal_admin, live_server.url)
    return page


def test_a_running_sync_shows_live_progress_until_it_ends(admin_page, live_server, intelycare):
    run = SyncRun.objects.create(connection=intelycare, resource="facilities", pages=1, created=500)
    admin_page.goto(f"{live_server.url}/integrations/")
    progress = admin_page.locator(f"#sync-run-{run.pk}")
    expect(progress).to_contain_text("500 records")
    SyncRun.objects.filter(pk=run.pk).update(pages=2, created=1000)
    expect(progress).to_contain_text("1000 records")  # polled, no reload
    SyncRun.objects.filter(pk=run.pk).update(state="succeeded")
    expect(progress).to_have_attribute("data-state", "succeeded")


def test_filter_the_inbox_and_replay_a_failed_event(admin_page, live_server, fake_connection):
    WebhookEvent.objects.create(
        connection=fake_connection, vendor=fake_connection.vendor, state="processed", event_type="created"
    )
    body, headers = signed(event("thing:1", "changed", "2024-01-17T15:00:00Z"))  # Replay verifies it again
    failed = WebhookEvent.objects.create(
        connection=fake_connection,
        vendor=fake_connection.vendor,
        state="failed",
        event_type="changed",
        error="no such thing",
        body=body.decode(),
        headers={"X-Signature": headers["HTTP_X_SIGNATURE"]},
    )
    admin_page.goto(f"{live_server.url}/integrations/")
    admin_page.get_by_role("link", name="Webhook inbox").click()
    expect(admin_page.locator("tbody tr")).to_have_count(2)
    admin_page.get_by_label("State").select_option("failed")
    expect(admin_page.locator("tbody tr")).to_have_count(1)
    assert "state=failed" in admin_page.url, "the filter is in the URL, shareable"
    admin_page.locator(f"#webhook-{failed.pk}").get_by_role("button", name="Replay").click()
    expect(admin_page.locator("#messages")).to_contain_text(f"Webhook #{failed.pk} queued again.")


def test_replay_of_an_unverifiable_event_is_refused_with_a_message(admin_page, live_server, fake_connection):
    forged = WebhookEvent.objects.create(
        connection=fake_connection,
        vendor=fake_connection.vendor,
        state="failed",
        body='{"id": "", "type": "changed", "at": "2024-01-17T15:00:00Z", "subject": "thing:1"}',
        error="x",
    )
    admin_page.goto(f"{live_server.url}/integrations/webhooks/?state=failed")
    admin_page.locator(f"#webhook-{forged.pk}").get_by_role("button", name="Replay").click()
    expect(admin_page.locator("#messages")).to_contain_text("its signature does not match")
    forged.refresh_from_db()
    assert forged.state == "failed"


@pytest.mark.worker
def test_the_overview_shows_each_queue_and_when_a_worker_last_took_its_heartbeat(
    admin_page, live_server, celery_worker
):
    record_worker_heartbeat.apply_async(("worker-host-7",), queue="webhooks")  # as beat sends it, each minute
    wait_until(lambda: WorkerHeartbeat.objects.filter(queue="webhooks").exists(), message="the worker's heartbeat")
    admin_page.goto(f"{live_server.url}/integrations/")
    queues = admin_page.locator("#queues tbody tr")
    expect(queues).to_have_count(4)
    webhooks = queues.filter(has_text="webhooks")
    expect(webhooks).to_contain_text("worker-host-7")
    expect(webhooks.locator("td").nth(2)).to_contain_text(" ago")
    expect(webhooks.locator("td").nth(1)).to_have_text("0")
    expect(queues.filter(has_text="sync")).to_contain_text("never: no worker has taken work from this queue")
