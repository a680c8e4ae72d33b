"""Test settings for the several-process loopback test: the real periodic tasks, on intervals of seconds, so beat's
sweeps recover a killed worker's work within the test."""

from portal.settings.test import *  # noqa: F403

CELERY_BEAT_SCHEDULE = {
    "webhook-inbox-sweep": {"task": "integrations.sweep_webhook_inbox", "schedule": 1.0},
    "outbox-sweep": {"task": "integrations.dispatch_due_outbound", "schedule": 1.0},
    "worker-heartbeat-default": {
        "task": "portal.core.tasks.record_worker_heartbeat",
        "schedule": 2.0,
        "options": {"queue": "default"},
    },
}
