"""Vendor integrations: the registry of vendor packages and the periodic work Celery beat schedules.

Owned by the integration core; each vendor package adds one line to VENDOR_PROVIDERS.
"""

from __future__ import annotations

from portal.settings.env import env_str
from portal.settings.queues import PORTAL_QUEUES

__all__ = [
    "CELERY_BEAT_SCHEDULE",
    "OUTBOX_BACKOFF_MAX_SECONDS",
    "OUTBOX_MAX_ATTEMPTS",
    "OUTBOX_SENDING_LEASE_SECONDS",
    "SYNC_RUN_MAX_SECONDS",
    "VENDOR_PROVIDERS",
    "WEBHOOK_CONNECTION_CACHE_SECONDS",
    "WEBHOOK_DRAIN_BATCH",
    "WEBHOOK_DRAIN_MAX_BATCHES",
    "WEBHOOK_KICK_SECONDS",
    "WEBHOOK_MAX_ATTEMPTS",
    "WEBHOOK_REFUSALS_KEEP_DAYS",
    "WEBHOOK_REFUSALS_PER_MINUTE",
    "WEBHOOK_REFUSALS_PER_SOURCE_PER_MINUTE",
    "WEBHOOK_RETRY_BACKOFF_MAX_SECONDS",
    "WEBHOOK_ROTATION_OVERLAP_HOURS",
    "WEBHOOK_SWEEP_AFTER_SECONDS",
]

# Each entry is a vendor package holding a `provider.Provider` (portal/integrations/registry.py).
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
# Longest wait between attempts of an outbox row and of a webhook event's processing (kept below the broker's
# visibility timeout: portal/integrations/checks.py).
OUTBOX_BACKOFF_MAX_SECONDS = 10 * 60
WEBHOOK_RETRY_BACKOFF_MAX_SECONDS = 5 * 60
# A sync run that has not finished after this long is stopped and marked failed (a vendor that stalls or
# trickles); each vendor call has its own deadline too (VendorConnection.call_deadline_seconds).
SYNC_RUN_MAX_SECONDS = int(env_str("SYNC_RUN_MAX_SECONDS", str(20 * 60)))

# The webhook inbox (portal/integrations/inbox_drain.py, webhook_connections.py). Receivers publish at most one
# drain message per process per KICK window instead of one per delivery; beat's sweep drains events whose kick was
# lost once they waited SWEEP_AFTER; a drain applies BATCH events per transaction and hands the worker back after
# MAX_BATCHES. Receivers trust a connection they looked up for CONNECTION_CACHE seconds (a deactivated or
# re-tokened connection is refused at most that much later by other processes).
WEBHOOK_KICK_SECONDS = 0.2
WEBHOOK_SWEEP_AFTER_SECONDS = 10
WEBHOOK_DRAIN_BATCH = 50
WEBHOOK_DRAIN_MAX_BATCHES = 20
WEBHOOK_CONNECTION_CACHE_SECONDS = 5.0

# Hostile senders (issue 15, portal/integrations/webhook_guard.py): a delivery refused unread (unknown URL, body
# too large) keeps a small record, at most this many per source address and in all per minute (past that, none),
# for KEEP_DAYS.
WEBHOOK_REFUSALS_PER_SOURCE_PER_MINUTE = 10
WEBHOOK_REFUSALS_PER_MINUTE = 300
WEBHOOK_REFUSALS_KEEP_DAYS = 7
# After a rotation, the previous webhook token or signing secret keeps working this long.
WEBHOOK_ROTATION_OVERLAP_HOURS = float(env_str("WEBHOOK_ROTATION_OVERLAP_HOURS", "24"))

CELERY_BEAT_SCHEDULE = {
    # One heartbeat per queue: the Integrations page and /metrics show when each queue was last consumed.
    **{
        f"worker-heartbeat-{queue}": {
            "task": "portal.core.tasks.record_worker_heartbeat",
            "schedule": 60.0,
            "options": {"queue": queue},
        }
        for queue in PORTAL_QUEUES
    },
    "outbox-sweep": {"task": "integrations.dispatch_due_outbound", "schedule": 30.0},
    # Drains webhook events whose kick was lost (a web process killed between its commit and its kick).
    "webhook-inbox-sweep": {"task": "integrations.sweep_webhook_inbox", "schedule": 5.0},
    "vendor-incremental-sync": {"task": "integrations.sync_incremental", "schedule": 15 * 60.0},
    # Today's digest (issue 18): each run sends to the coordinators whose local 07:00 has passed and who have not
    # had today's yet, so a run every 5 minutes sends each at 07:00-07:05 in their own zone, and once.
    "daily-digest": {"task": "dashboard.send_due_digests", "schedule": 5 * 60.0},
    # The gate re-checks upcoming work once a sync has brought news (it does nothing when none finished).
    "gate-recheck-after-sync": {"task": "gate.recheck_after_sync", "schedule": 5 * 60.0},
    "gate-suggest-duplicates": {"task": "gate.suggest_duplicates", "schedule": 60 * 60.0},
}
