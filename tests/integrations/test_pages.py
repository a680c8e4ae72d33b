"""The Integrations pages: Admin only, pinned query counts, live sync progress that stops polling, replay, retry."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from portal.celery import app as celery_app
from portal.core.htmx import HTMX_STOP_POLLING
from portal.core.models import WorkerHeartbeat
from portal.core.tasks import record_worker_heartbeat
from portal.integrations.models import OutboundRequest, SyncRun, VendorConnection, WebhookEvent
from tests.support.fake_vendor import event, signed

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, portal_admin):
    client.force_login(portal_admin)
    return client


def test_coordinators_get_403_and_admins_the_page(client, coordinator, portal_admin, intelycare):
    client.force_login(coordinator)
    assert client.get(reverse("integrations:overview")).status_code == 403
    client.force_login(portal_admin)
    response = client.get(reverse("integrations:overview"))
    assert response.status_code == 200
    assert intelycare.name in response.content.decode()
    assert "sandbox-key" not in response.content.decode()


@pytest.mark.parametrize("rows", [5, 60])
def test_inbox_and_outbox_query_counts_do_not_grow_with_rows(
    admin_client, intelycare, rows, django_assert_max_num_queries
):
    WebhookEvent.objects.bulk_create(
        [WebhookEvent(connection=intelycare, vendor="intelycare", state="failed", error="boom") for _ in range(rows)]
    )
    OutboundRequest.objects.bulk_create(
        [OutboundRequest(connection=intelycare, operation="create_shift", state="failed") for _ in range(rows)]
    )
    with django_assert_max_num_queries(8):
        page = admin_client.get(reverse("integrations:webhooks"), {"state": "failed"})
    assert page.status_code == 200 and page.content.decode().count("Replay") == min(rows, 50)
    with django_assert_max_num_queries(8):
        page = admin_client.get(reverse("integrations:outbox"))
    assert page.content.decode().count(">Retry<") == min(rows, 50)
    assert ("Older" in page.content.decode()) == (rows > 50)


def test_sync_progress_polls_until_the_run_ends_then_answers_286(admin_client, intelycare):
    run = SyncRun.objects.create(connection=intelycare, resource="facilities", pages=2, created=900)
    url = reverse("integrations:sync-progress", args=[run.pk])
    response = admin_client.get(url, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and "900 records" in response.content.decode()
    SyncRun.objects.filter(pk=run.pk).update(state="succeeded")
    assert admin_client.get(url, HTTP_HX_REQUEST="true").status_code == HTMX_STOP_POLLING


def test_replay_and_retry_buttons(admin_client, fake_connection, intelycare, django_capture_on_commit_callbacks):
    body, headers = signed(event("thing:1", "changed", "2024-01-17T15:00:00Z"))  # Replay verifies it again
    stored = WebhookEvent.objects.create(
        connection=fake_connection,
        vendor=fake_connection.vendor,
        state="failed",
        error="x",
        body=body.decode(),
        headers={"X-Signature": headers["HTTP_X_SIGNATURE"]},
    )
    row = OutboundRequest.objects.create(
        connection=intelycare, operation="create_shift", state="failed", last_error="x"
    )
    with django_capture_on_commit_callbacks() as callbacks:
        admin_client.post(reverse("integrations:replay-webhook", args=[stored.pk]))
        admin_client.post(reverse("integrations:retry-outbound", args=[row.pk]))
    assert len(callbacks) == 2
    stored.refresh_from_db()
    row.refresh_from_db()
    assert (stored.state, row.state) == ("queued", "pending")


def test_connect_prints_json_with_the_webhook_url_and_no_secret(capsys):
    call_command(
        "connect",
        "intelycare",
        "--base-url",
        "http://127.0.0.1:8100/intelycare",
        "--secret",
        "api_key=very-secret-key",
        "--secret",
        "client_id=1234",
        "--name",
        "IntelyCare Boston",
    )
    out = capsys.readouterr().out
    printed = json.loads(out)
    connection = VendorConnection.objects.get(name="IntelyCare Boston")
    assert printed["webhook_url"] == connection.webhook_url
    assert printed["missing_credentials"] == ["webhook_secret"]
    assert "very-secret-key" not in out
    assert connection.credentials["api_key"] == "very-secret-key"

    call_command(
        "connect",
        "intelycare",
        "--base-url",
        "http://127.0.0.1:8100/intelycare",
        "--secret",
        "webhook_secret=s3",
        "--name",
        "IntelyCare Boston",
    )
    connection.refresh_from_db()
    assert set(connection.credentials) == {"api_key", "client_id", "webhook_secret"}, "secrets are merged"
    with pytest.raises(CommandError, match="NAME one of"):
        call_command("connect", "intelycare", "--base-url", "http://x.test", "--secret", "password=1")


def test_sync_command_explains_a_vendor_without_lists():
    with pytest.raises(CommandError, match="No active IntelyCare connection"):
        call_command("sync", "intelycare")


def test_overview_query_count_is_pinned(admin_client, intelycare, django_assert_max_num_queries):
    for n in range(12):
        SyncRun.objects.create(connection=intelycare, resource=f"resource-{n}", state="succeeded")
    SyncRun.objects.create(connection=intelycare, resource="running-one")
    with django_assert_max_num_queries(12):  # 10, and two for the queues' heartbeats
        response = admin_client.get(reverse("integrations:overview"))
    assert response.content.decode().count("resource-") == 10


def test_overview_shows_each_queues_length_and_last_heartbeat(admin_client, settings):
    settings.PORTAL_QUEUES = (*settings.PORTAL_QUEUES, "overview-test")
    empty_queue("overview-test")
    for _ in range(3):
        record_worker_heartbeat.apply_async(queue="overview-test")  # no worker consumes this queue
    seen = timezone.now() - dt.timedelta(minutes=3)
    WorkerHeartbeat.objects.create(hostname="worker-webhooks-1", queue="webhooks", seen_at=seen)
    WorkerHeartbeat.objects.create(hostname="worker-webhooks-2", queue="webhooks", seen_at=seen - dt.timedelta(hours=1))
    try:
        page = admin_client.get(reverse("integrations:overview")).content.decode()
    finally:
        empty_queue("overview-test")
    rows = {
        row[0]: row[1:]
        for row in re.findall(
            r"<tr><td>([\w-]+)</td>\s*<td>(.*?)</td>\s*<td>(.*?)</td>\s*<td>(.*?)</td></tr>", page, re.S
        )
    }
    assert rows["overview-test"][0] == "3"
    assert (
        rows["webhooks"][1].startswith(timezone.localtime(seen).strftime("%Y-%m-%d %H:%M:%S"))
        and "3\xa0minutes ago" in rows["webhooks"][1]
    )
    assert rows["webhooks"][2] == "worker-webhooks-1"
    assert "never" in rows["sync"][1]


def empty_queue(name: str) -> None:
    with celery_app.connection_for_write() as conn:
        conn.default_channel.queue_purge(name)
