"""`/metrics` for Prometheus (issue 21): requests, webhook receipts, inbox lag, outbox, syncs, queues, heartbeats.

Everything the database already knows is read at scrape time (a custom collector) rather than counted in
processes: the rows are the truth across every web process, worker and host, survive restarts, and need no
multiprocess plumbing; the price is a handful of indexed GROUP BY queries per scrape. Only request counts, which
no row records, are process counters (portal/core/metrics.py).
"""

from __future__ import annotations

import hmac
from collections.abc import Iterator

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db.models import Count, Max, Min
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

from portal.core.metrics import scrape_registry
from portal.core.queues import queue_status
from portal.integrations.models import OutboundRequest, SyncRun, WebhookEvent

__all__ = ["IntegrationsCollector", "serve_metrics"]


class IntegrationsCollector(Collector):
    def collect(self) -> Iterator[GaugeMetricFamily]:
        yield from self.webhooks()
        yield from self.outbox()
        yield from self.syncs()
        yield from self.queues()

    def webhooks(self) -> Iterator[GaugeMetricFamily]:
        receipts = GaugeMetricFamily(
            "portal_webhook_events",
            "Webhook deliveries stored, by vendor and state (outcome).",
            labels=["vendor", "state"],
        )
        for vendor, state, n in WebhookEvent.objects.values_list("vendor", "state").annotate(n=Count("id")).order_by():
            receipts.add_metric([vendor, state], n)
        yield receipts
        oldest = WebhookEvent.objects.filter(state=WebhookEvent.State.QUEUED).aggregate(at=Min("received_at"))["at"]
        lag = (timezone.now() - oldest).total_seconds() if oldest else 0.0
        yield GaugeMetricFamily(
            "portal_webhook_inbox_lag_seconds", "Age of the oldest event waiting in the inbox.", lag
        )

    def outbox(self) -> Iterator[GaugeMetricFamily]:
        requests = GaugeMetricFamily(
            "portal_outbox_requests", "Outbound vendor requests by state (pending and sending wait).", labels=["state"]
        )
        counts = dict(OutboundRequest.objects.values_list("state").annotate(n=Count("id")).order_by())
        for state in OutboundRequest.State.values:
            requests.add_metric([state], counts.get(state, 0))
        yield requests

    def syncs(self) -> Iterator[GaugeMetricFamily]:
        labels = ["vendor", "connection", "resource"]
        duration = GaugeMetricFamily(
            "portal_sync_last_duration_seconds", "The last finished run's duration.", labels=labels
        )
        records = GaugeMetricFamily(
            "portal_sync_last_records", "Records of the last finished run, by kind.", labels=[*labels, "kind"]
        )
        finished = GaugeMetricFamily(
            "portal_sync_last_finished_timestamp_seconds",
            "When the last run ended, by its state.",
            labels=[*labels, "state"],
        )
        last_ids = (
            SyncRun.objects.exclude(state=SyncRun.State.RUNNING)
            .values("connection", "resource")
            .annotate(last=Max("pk"))
            .values_list("last", flat=True)
        )
        for run in SyncRun.objects.filter(pk__in=list(last_ids)).select_related("connection"):
            key = [run.connection.vendor, run.connection.name, run.resource]
            if run.finished_at:
                duration.add_metric(key, (run.finished_at - run.started_at).total_seconds())
                finished.add_metric([*key, run.state], run.finished_at.timestamp())
            for kind in ("created", "updated", "unchanged", "failed", "archived"):
                records.add_metric([*key, kind], getattr(run, kind))
        running = GaugeMetricFamily("portal_sync_running", "Sync runs under way.", labels=["vendor"])
        for vendor, n in (
            SyncRun.objects.filter(state=SyncRun.State.RUNNING)
            .values_list("connection__vendor")
            .annotate(n=Count("id"))
            .order_by()
        ):
            running.add_metric([vendor], n)
        yield from (duration, records, finished, running)

    def queues(self) -> Iterator[GaugeMetricFamily]:
        length = GaugeMetricFamily("portal_queue_length", "Messages waiting in each Celery queue.", labels=["queue"])
        heartbeat = GaugeMetricFamily(
            "portal_queue_heartbeat_timestamp_seconds",
            "When a worker last took beat's heartbeat from each queue (a stale one: nobody consumes it).",
            labels=["queue"],
        )
        for status in queue_status():
            if status["waiting"] is not None:
                length.add_metric([status["queue"]], status["waiting"])
            if status["last_heartbeat"] is not None:
                heartbeat.add_metric([status["queue"]], status["last_heartbeat"].timestamp())
        yield from (length, heartbeat)


@login_not_required
@never_cache
@require_GET
def serve_metrics(request: HttpRequest) -> HttpResponse:
    """Only with `Authorization: Bearer <METRICS_TOKEN>`; without a configured token the endpoint does not exist."""
    token = settings.METRICS_TOKEN
    if not token:
        raise Http404("Metrics are off: set METRICS_TOKEN.")
    offered = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
    if not hmac.compare_digest(offered.encode(), token.encode()):
        response = HttpResponse("A metrics token is required.\n", status=401, content_type="text/plain")
        response["WWW-Authenticate"] = 'Bearer realm="metrics"'
        return response
    body = generate_latest(scrape_registry(IntegrationsCollector()))
    return HttpResponse(body, content_type=CONTENT_TYPE_LATEST)
