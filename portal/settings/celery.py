"""Celery: reliability first. A task is acknowledged only after it finished, so a killed worker's task is
delivered again; every task must therefore be safe to run twice (see README, "Tasks")."""

from __future__ import annotations

from portal.settings.env import VAR_DIR, env_str

__all__ = [
    "BROKER_MAX_COUNTDOWN_SECONDS",
    "CELERY_ACCEPT_CONTENT",
    "CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP",
    "CELERY_BROKER_TRANSPORT_OPTIONS",
    "CELERY_BROKER_URL",
    "CELERY_RESULT_SERIALIZER",
    "CELERY_TASK_ACKS_LATE",
    "CELERY_TASK_ACKS_ON_FAILURE_OR_TIMEOUT",
    "CELERY_TASK_IGNORE_RESULT",
    "CELERY_TASK_REJECT_ON_WORKER_LOST",
    "CELERY_TASK_SERIALIZER",
    "CELERY_TASK_SOFT_TIME_LIMIT",
    "CELERY_TASK_TIME_LIMIT",
    "CELERY_TIMEZONE",
    "CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS",
    "CELERY_WORKER_HIJACK_ROOT_LOGGER",
    "CELERY_WORKER_PREFETCH_MULTIPLIER",
]

CELERY_TASK_TIME_LIMIT = 30 * 60
CELERY_TASK_SOFT_TIME_LIMIT = 25 * 60
# Redis re-delivers an unacknowledged message after the visibility timeout: keep it well above the hard time
# limit so a long task is never handed to a second worker while the first still runs it.
_VISIBILITY_TIMEOUT = 2 * CELERY_TASK_TIME_LIMIT
# The longest countdown or ETA put on the broker. Redis hands out a scheduled message again once it has waited a
# visibility timeout, so a longer wait (a vendor's Retry-After of hours) is kept on its row and found by beat.
# `portal.integrations.checks` refuses to start when this, a backoff maximum or a time limit reaches the timeout.
BROKER_MAX_COUNTDOWN_SECONDS = 10 * 60

CELERY_BROKER_URL = env_str("CELERY_BROKER_URL") or "filesystem://"
if CELERY_BROKER_URL.startswith("filesystem://"):
    # Embedded default: kombu's filesystem transport needs no server, only a folder both processes share.
    _queue_dir = VAR_DIR / "broker"
    (_queue_dir / "processed").mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_queue_dir),
        "data_folder_out": str(_queue_dir),
        "processed_folder": str(_queue_dir / "processed"),
        "store_processed": False,
        # Where kombu keeps its exchange tables (a host name inside): under var/, not the working directory.
        "control_folder": str(_queue_dir / "control"),
    }
else:
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": _VISIBILITY_TIMEOUT}

CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
# A task that raised is acknowledged: its failure is recorded on the row it served, and retries are explicit.
CELERY_TASK_ACKS_ON_FAILURE_OR_TIMEOUT = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS = True
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
# Results live on the portal's own rows (sync runs, outbox, webhook inbox), not in a result backend.
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = "UTC"
# The worker logs through Django's LOGGING (UTC stamps, one format with the web processes) instead of its own.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
