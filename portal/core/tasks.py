"""Housekeeping tasks of the portal itself."""

from __future__ import annotations

import socket

from celery import shared_task
from django.utils import timezone

from portal.core.models import WorkerHeartbeat

__all__ = ["record_worker_heartbeat"]


@shared_task(bind=True, name="portal.core.tasks.record_worker_heartbeat")
def record_worker_heartbeat(self, hostname: str | None = None) -> str:
    """Beat sends one to every queue; the row records which queue it came from. Idempotent: it only moves one
    timestamp forward."""
    name = hostname or socket.gethostname()
    queue = (self.request.delivery_info or {}).get("routing_key") or "default"
    WorkerHeartbeat.objects.update_or_create(hostname=name, queue=queue, defaults={"seen_at": timezone.now()})
    return name
