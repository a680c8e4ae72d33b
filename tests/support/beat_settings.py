"""Test settings for beat processes: the real scheduler on a schedule short enough to count in seconds."""

from portal.settings.test import *  # noqa: F403

CELERY_BEAT_SCHEDULE = {
    "heartbeat-fast": {
        "task": "portal.core.tasks.record_worker_heartbeat",
        "schedule": 0.5,
        "options": {"queue": "default"},
    },
    "sweep-fast": {"task": "integrations.sweep_webhook_inbox", "schedule": 1.0},
}
