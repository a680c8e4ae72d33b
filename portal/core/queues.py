"""What waits in each Celery queue and when a worker last took work from it, for the Integrations page and
`/metrics` (issue 21)."""

from __future__ import annotations

import datetime as dt
from typing import TypedDict

from django.conf import settings
from django.db.models import Max

from portal.celery import app as celery_app
from portal.core.models import WorkerHeartbeat

__all__ = ["QueueStatus", "queue_lengths", "queue_status"]


class QueueStatus(TypedDict):
    queue: str
    waiting: int | None  # None: the broker did not answer
    last_heartbeat: dt.datetime | None
    hostname: str


def queue_lengths() -> dict[str, int | None]:
    """Messages waiting per queue: `LLEN` on Redis (all priority lists), files on the embedded broker."""
    try:
        with celery_app.connection_for_read() as conn:
            conn.ensure_connection(max_retries=1, interval_start=0, interval_step=0, timeout=2)
            channel = conn.default_channel
            return {name: channel.queue_declare(queue=name).message_count for name in settings.PORTAL_QUEUES}
    except Exception:
        return dict.fromkeys(settings.PORTAL_QUEUES)


def queue_status() -> list[QueueStatus]:
    """Each routed queue with its length and its newest heartbeat (beat sends one to every queue a minute)."""
    lengths = queue_lengths()
    newest = dict(WorkerHeartbeat.objects.values_list("queue").annotate(seen=Max("seen_at")).order_by())
    rows = WorkerHeartbeat.objects.filter(seen_at__in=newest.values()).values_list("queue", "hostname", "seen_at")
    hosts = {queue: hostname for queue, hostname, seen in rows if newest.get(queue) == seen}
    return [
        QueueStatus(queue=name, waiting=lengths[name], last_heartbeat=newest.get(name), hostname=hosts.get(name, ""))
        for name in settings.PORTAL_QUEUES
    ]
