"""`/metrics` (issue 21): refused without the token, off without the setting; with it: requests, webhook receipts
by vendor and state, inbox lag, outbox, sync runs, queue lengths and per-queue heartbeats, in pinned queries."""

from __future__ import annotations

import datetime as dt

import httpx
import pytest
from django.utils import timezone
from prometheus_client.parser import text_string_to_metric_families

from portal.celery import app as celery_app
from portal.core.models import WorkerHeartbeat
from portal.core.tasks import record_worker_heartbeat
from portal.integrations.models import OutboundRequest, SyncRun, WebhookEvent
from tests.support.processes import WebProcess, wait_until

pytestmark = pytest.mark.django_db

TOKEN = "scrape-me-0a9b8c"


@pytest.fixture
def metrics_on(settings):
    settings.METRICS_TOKEN = TOKEN


def scrape(client) -> dict[tuple[str, tuple], float]:
    response = client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
    assert response.status_code == 200, response.content
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(response.content.decode())
        for sample in family.samples
    }


def test_the_endpoint_does_not_exist_without_a_configured_token(client, settings):
    settings.METRICS_TOKEN = ""
    assert client.get("/metrics").status_code == 404
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer ").status_code == 404


def test_a_scrape_without_the_right_token_is_refused(client, metrics_on):
    for headers in ({}, {"HTTP_AUTHORIZATION": "Bearer wrong"}, {"HTTP_AUTHORIZATION": TOKEN[:-1]}):
        response = client.get("/metrics", **headers)
        assert response.status_code == 401 and b"portal_" not in response.content
        assert response["WWW-Authenticate"].startswith("Bearer")
    assert client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}").status_code == 200


def test_requests_are_counted_by_route_and_status(client, metrics_on):
    key = ("portal_http_requests_total", (("method", "GET"), ("status", "200"), ("view", "healthz")))
    before = scrape(client).get(key, 0)
    client.get("/healthz")
    client.get("/healthz")
    assert scrape(client)[key] == before + 2


def test_integration_gauges_come_from_the_rows(client, metrics_on, intelycare, django_assert_max_num_queries):
    for state, n in (("processed", 4), ("duplicate", 2), ("rejected", 1), ("queued", 3)):
        WebhookEvent.objects.bulk_create(
            [WebhookEvent(connection=intelycare, vendor="intelycare", state=state) for _ in range(n)]
        )
    WebhookEvent.objects.filter(state="queued").update(received_at=timezone.now() - dt.timedelta(seconds=90))
    for state, n in (("pending", 2), ("sending", 1), ("failed", 3), ("sent", 5)):
        OutboundRequest.objects.bulk_create(
            [OutboundRequest(connection=intelycare, operation="create_shift", state=state) for _ in range(n)]
        )
    started = timezone.now() - dt.timedelta(minutes=10)
    SyncRun.objects.create(connection=intelycare, resource="facilities", state="failed")  # an older run
    newest = SyncRun.objects.create(connection=intelycare, resource="facilities", state="succeeded", created=7)
    SyncRun.objects.filter(pk=newest.pk).update(started_at=started, finished_at=started + dt.timedelta(seconds=42))
    SyncRun.objects.create(connection=intelycare, resource="workers")  # running
    WorkerHeartbeat.objects.create(hostname="h1", queue="outbox", seen_at=started)

    with django_assert_max_num_queries(8):
        metrics = scrape(client)

    def value(name: str, **labels) -> float:
        return metrics[(name, tuple(sorted(labels.items())))]

    assert value("portal_webhook_events", vendor="intelycare", state="processed") == 4
    assert value("portal_webhook_events", vendor="intelycare", state="rejected") == 1
    assert 90 <= value("portal_webhook_inbox_lag_seconds") < 120
    assert (
        value("portal_outbox_requests", state="pending") == 2 and value("portal_outbox_requests", state="failed") == 3
    )
    run = {"vendor": "intelycare", "connection": intelycare.name, "resource": "facilities"}
    assert value("portal_sync_last_duration_seconds", **run) == 42
    assert value("portal_sync_last_records", kind="created", **run) == 7
    assert value("portal_sync_last_finished_timestamp_seconds", state="succeeded", **run) == started.timestamp() + 42
    assert value("portal_sync_running", vendor="intelycare") == 1
    assert value("portal_queue_heartbeat_timestamp_seconds", queue="outbox") == started.timestamp()
    assert {labels for name, labels in metrics if name == "portal_queue_length"} == {
        (("queue", queue),) for queue in ("webhooks", "outbox", "sync", "default")
    }


def test_queue_length_is_what_waits_in_the_broker(client, metrics_on, settings):
    settings.PORTAL_QUEUES = ("metrics-test",)
    with celery_app.connection_for_write() as conn:
        conn.default_channel.queue_purge("metrics-test")
    for _ in range(4):
        record_worker_heartbeat.apply_async(queue="metrics-test")  # no worker consumes this queue
    try:
        assert scrape(client)[("portal_queue_length", (("queue", "metrics-test"),))] == 4
    finally:
        with celery_app.connection_for_write() as conn:
            conn.default_channel.queue_purge("metrics-test")


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_request_counts_add_up_across_gunicorn_processes(tmp_path):
    """As deploy/compose.yaml runs the web: several gunicorn processes sharing PROMETHEUS_MULTIPROC_DIR."""
    env = {"PROMETHEUS_MULTIPROC_DIR": str(tmp_path), "METRICS_TOKEN": TOKEN}
    web = WebProcess(workers=2, extra_env=env).start(timeout=60)
    try:

        def both_processes_counted() -> bool:
            httpx.get(f"{web.url}/healthz", headers={"Connection": "close"})
            return len(list(tmp_path.glob("counter_*.db"))) == 2  # one file per process that counted

        wait_until(both_processes_counted, message="both gunicorn processes to have served a request")
        scraped = httpx.get(f"{web.url}/metrics", headers={"Authorization": f"Bearer {TOKEN}"}).text
        before = healthz_count(scraped)
        for _ in range(20):
            assert httpx.get(f"{web.url}/healthz", headers={"Connection": "close"}).status_code == 200
        scraped = httpx.get(f"{web.url}/metrics", headers={"Authorization": f"Bearer {TOKEN}"}).text
    finally:
        web.stop()
    assert healthz_count(scraped) == before + 20


def healthz_count(exposition: str) -> float:
    key = ("portal_http_requests_total", (("method", "GET"), ("status", "200"), ("view", "healthz")))
    samples = {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(exposition)
        for sample in family.samples
    }
    return samples.get(key, 0)
