"""Housekeeping tasks of the portal itself."""

from __future__ import annotations

import socket

from celery import shared_task
from django.utils import timezone

from portal.core.models import WorkerHeartbeat

__all__ = ["record_worker_heartbeat"]


@shared_task(name="portal.core.tasks.record_worker_heartbeat")
def record_worker_heartbeat(hostname: str | None = None) -> str:
    """Idempotent: it only moves one timestamp forward."""
    name = hostname or socket.gethostname()
    WorkerHeartbeat.objects.update_or_create(hostname=name, defaults={"seen_at": timezone.now()})
    return name
