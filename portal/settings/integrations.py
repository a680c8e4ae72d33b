"""Vendor integrations: the registry of vendor packages and the periodic work Celery beat schedules.

Owned by the integration core; each vendor package adds one line to VENDOR_PROVIDERS.
"""

from __future__ import annotations

from portal.settings.env import env_str

__all__ = [
    "CELERY_BEAT_SCHEDULE",
    "OUTBOX_MAX_ATTEMPTS",
    "OUTBOX_SENDING_LEASE_SECONDS",
    "VENDOR_PROVIDERS",
    "WEBHOOK_MAX_ATTEMPTS",
]

# Each entry is a vendor package holding a `provider.Provider` (vendors/registry.py).
VENDOR_PROVIDERS: list[str] = [
    "vendors.intelycare",
    "vendors.careerbuilder",
    "vendors.ceki",
    "vendors.alaunus",
    "vendors.kamana",
]

# A row left in `sending` longer than this belonged to a dead worker and is reconciled with the vendor. Keep it
# above the client's total retry time (vendors/base/client.py RetryPolicy) so a live send is never taken over.
OUTBOX_SENDING_LEASE_SECONDS = int(env_str("OUTBOX_SENDING_LEASE_SECONDS", "120"))
OUTBOX_MAX_ATTEMPTS = 8
WEBHOOK_MAX_ATTEMPTS = 5

CELERY_BEAT_SCHEDULE = {
    "worker-heartbeat": {"task": "portal.core.tasks.record_worker_heartbeat", "schedule": 60.0},
    "outbox-sweep": {"task": "integrations.dispatch_due_outbound", "schedule": 30.0},
    "vendor-incremental-sync": {"task": "integrations.sync_incremental", "schedule": 15 * 60.0},
}
