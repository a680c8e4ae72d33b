"""System check: no wait the portal puts on the broker, and no task time limit, may reach Redis's visibility
timeout. Redis hands a message out again once it has waited that long unacknowledged, so a countdown or a task
that long would be dispatched twice (issue 15 item 6)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error

__all__ = ["WAIT_SETTINGS", "broker_visibility_timeout", "check_broker_waits"]

# Seconds each of these may keep a message (or a task) with the broker before it is acknowledged.
WAIT_SETTINGS = (
    "BROKER_MAX_COUNTDOWN_SECONDS",
    "OUTBOX_BACKOFF_MAX_SECONDS",
    "WEBHOOK_RETRY_BACKOFF_MAX_SECONDS",
    "CELERY_TASK_SOFT_TIME_LIMIT",
    "CELERY_TASK_TIME_LIMIT",
    "SYNC_RUN_MAX_SECONDS",
)
# Brokers that redeliver after a visibility timeout, and kombu's default for it when none is configured.
_REDELIVERING_SCHEMES = ("redis", "rediss", "sentinel", "sqs")
_KOMBU_DEFAULT_VISIBILITY = 3600.0


def broker_visibility_timeout() -> float | None:
    """The configured visibility timeout, kombu's default for a broker that has one, or None (filesystem)."""
    options = getattr(settings, "CELERY_BROKER_TRANSPORT_OPTIONS", None) or {}
    if "visibility_timeout" in options:
        return float(options["visibility_timeout"])
    scheme = str(getattr(settings, "CELERY_BROKER_URL", "")).split(":", 1)[0]
    return _KOMBU_DEFAULT_VISIBILITY if scheme in _REDELIVERING_SCHEMES else None


def check_broker_waits(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    visibility = broker_visibility_timeout()
    if visibility is None:
        return []
    return [
        Error(
            f"{name} is {value:g} s: it must stay below the broker's visibility timeout ({visibility:g} s).",
            hint="Redis hands a message out again after the visibility timeout: lower this setting or raise "
            "CELERY_BROKER_TRANSPORT_OPTIONS['visibility_timeout'].",
            obj=name,
            id="integrations.E001",
        )
        for name in WAIT_SETTINGS
        if (value := getattr(settings, name, None)) is not None and float(value) >= visibility
    ]
