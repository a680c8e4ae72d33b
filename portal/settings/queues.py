"""Queues by kind of work (issue 21): a long sync never holds back webhooks or vendor pushes.

`deploy/compose.yaml` runs one worker per queue, each with its own concurrency; `bin/demo`'s single worker consumes
all of them. Routes go by task name, so tasks stay free of deployment choices. Beat runs exactly once across hosts
(`portal.core.beat.SingleBeatScheduler`, a lease in Redis).
"""

from __future__ import annotations

from kombu import Queue

from portal.settings.env import env_str

__all__ = [
    "CELERY_BEAT_SCHEDULER",
    "CELERY_TASK_DEFAULT_QUEUE",
    "CELERY_TASK_QUEUES",
    "CELERY_TASK_ROUTES",
    "PORTAL_BEAT_LEASE_SECONDS",
    "PORTAL_QUEUES",
]

PORTAL_QUEUES = ("webhooks", "outbox", "sync", "default")

CELERY_TASK_DEFAULT_QUEUE = "default"
CELERY_TASK_QUEUES = tuple(Queue(name, routing_key=name) for name in PORTAL_QUEUES)
CELERY_TASK_ROUTES = {
    # Webhooks: the inbox drain, its sweep and a failed event's retries.
    "integrations.drain_webhook_inbox": {"queue": "webhooks"},
    "integrations.sweep_webhook_inbox": {"queue": "webhooks"},
    "integrations.process_webhook": {"queue": "webhooks"},
    # Vendor pushes from the outbox, and beat's sweep of due and stranded rows.
    "integrations.dispatch_outbound": {"queue": "outbox"},
    "integrations.dispatch_due_outbound": {"queue": "outbox"},
    # Long pulls: a full sync of tens of thousands of records takes minutes.
    "integrations.sync_resource": {"queue": "sync"},
    "integrations.sync_incremental": {"queue": "sync"},
    # Everything else goes to `default`: the worker heartbeat (sent to each queue by beat), the gate's re-checks and
    # duplicate suggestions, Today's digest; none of them may hold back a webhook or a push.
}

CELERY_BEAT_SCHEDULER = "portal.core.beat:SingleBeatScheduler"
# How long a beat's leadership lasts without renewal: a dead leader's standby takes over after at most this long.
PORTAL_BEAT_LEASE_SECONDS = float(env_str("PORTAL_BEAT_LEASE_SECONDS", "30"))
