"""Sending a Celery task by its name: how the inbox, its drain and the outbox enqueue work.

Services never import `portal.integrations.tasks`; the tasks import the services (an import-linter contract in
pyproject.toml holds the line). A callable handed in would have to reach the receiver's kick timer, the drain, the
outbox's `on_commit` and an Admin's replay alike; the task's name is already the contract the broker routes by
(`settings.CELERY_TASK_ROUTES`), so a service names the task it wants and `send_task` routes it as `delay` would.
"""

from __future__ import annotations

from celery import current_app
from django.conf import settings

__all__ = ["DISPATCH_OUTBOUND", "DRAIN_WEBHOOK_INBOX", "PROCESS_WEBHOOK", "send", "send_later"]

DRAIN_WEBHOOK_INBOX = "integrations.drain_webhook_inbox"
PROCESS_WEBHOOK = "integrations.process_webhook"
DISPATCH_OUTBOUND = "integrations.dispatch_outbound"


def send(name: str, *args: int, countdown: float | None = None) -> None:
    """Publish the task `name` with `args` (ids); `countdown` delays it (callers keep it under the broker's limit)."""
    current_app.send_task(name, args=args, countdown=countdown)


def send_later(name: str, *args: int, delay: float) -> bool:
    """Publish `name` to run in `delay` seconds if that wait may ride the broker; returns whether it did.

    A countdown longer than Redis's visibility timeout is handed out again before it is due (a second run), so a
    wait beyond BROKER_MAX_COUNTDOWN_SECONDS stays on its row (`next_attempt_at`) alone, for beat's sweep to find.
    """
    if delay > settings.BROKER_MAX_COUNTDOWN_SECONDS:
        return False
    send(name, *args, countdown=delay)
    return True
