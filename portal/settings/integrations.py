"""Vendor integrations: the registry of vendor packages and the periodic work Celery beat schedules.

Owned by the integration core; each vendor package adds one line to VENDOR_PROVIDERS.
"""

from __future__ import annotations

__all__ = ["CELERY_BEAT_SCHEDULE", "VENDOR_PROVIDERS"]

VENDOR_PROVIDERS: list[str] = []

CELERY_BEAT_SCHEDULE = {
    "worker-heartbeat": {"task": "portal.core.tasks.record_worker_heartbeat", "schedule": 60.0},
}
