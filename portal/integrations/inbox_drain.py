"""Applying queued webhook events in bulk, and waking the worker that does it without a publish per request.

Issue 4 asks the receiver to answer fast. A Celery publish per delivery cost the receiver about a fifth of its
time (bench/webhook_ingest.py), so the receiver only commits the event as `queued` and calls `kick()`: at most one
`drain_webhook_inbox` message per process per `WEBHOOK_KICK_SECONDS`. The drain claims queued events in the
vendor's order and applies each exactly as `inbox.process_event` would.

Why nothing is lost:
- `kick()` runs after the event's commit, and the pending flag is cleared *before* the message is published, so
  every committed event is followed by a publish, and so by a drain that starts after the commit.
- A drain applies until it finds nothing left; two drains at once take different rows (`SKIP LOCKED`).
- A kick can still be lost (the web process dies between the commit and the timer, or Redis is down): beat's
  `sweep_webhook_inbox` kicks a drain when a never-tried event has waited longer than `WEBHOOK_SWEEP_AFTER_SECONDS`.

A queued event with `attempts == 0` has never been tried and belongs to the drain. Once an attempt failed, its
retries (with backoff, then parking) belong to `process_webhook`, as replays do; the drain leaves it alone.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from typing import TypedDict

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone

from portal.integrations.models import WebhookEvent

__all__ = ["DrainResult", "claimable", "drain_queued", "kick", "stranded"]

logger = logging.getLogger(__name__)


class DrainResult(TypedDict):
    applied: int
    failed: int
    more: bool


def claimable() -> QuerySet[WebhookEvent]:
    """Never-tried queued events, oldest vendor time first (receipt time where the vendor gives none)."""
    return WebhookEvent.objects.filter(state=WebhookEvent.State.QUEUED, attempts=0).order_by(
        Coalesce("occurred_at", "received_at"), "pk"
    )


def drain_queued(batch_size: int, max_batches: int) -> DrainResult:
    """Apply queued events a batch at a time until none are left or `max_batches` ran; `more` says which.

    A batch is one transaction holding its rows (`FOR UPDATE SKIP LOCKED`); each event is applied in its own
    savepoint, so one event's failure rolls back only that event, which is then recorded and handed to
    `process_webhook` for its retries.
    """
    from portal.integrations.inbox import apply_event, gives_up, record_failure
    from portal.integrations.tasks import process_webhook

    result = DrainResult(applied=0, failed=0, more=False)
    for _ in range(max_batches):
        with transaction.atomic():
            batch = list(
                claimable().select_for_update(skip_locked=True, of=("self",)).select_related("connection")[:batch_size]
            )
            for event in batch:
                try:
                    with transaction.atomic():
                        apply_event(event)
                    result["applied"] += 1
                except Exception as exc:
                    result["failed"] += 1
                    final = gives_up(exc, attempt=1)
                    record_failure(event.pk, f"{type(exc).__name__}: {exc}", final=final)
                    if not final:  # the second attempt onwards, as process_webhook's own first retry
                        transaction.on_commit(
                            lambda pk=event.pk: process_webhook.apply_async((pk,), countdown=2, retries=1)
                        )
        if len(batch) < batch_size:
            return result
    result["more"] = True
    return result


def stranded(older_than: dt.timedelta) -> bool:
    """Whether a never-tried event has waited longer than a drain should ever take to come."""
    return claimable().filter(received_at__lt=timezone.now() - older_than).exists()


class _Kicker:
    """Per process: at most one drain message per window, and always one after the latest commit."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._pending = False

    def kick(self) -> None:
        with self._lock:
            if self._pending:
                return
            self._pending = True
        timer = threading.Timer(settings.WEBHOOK_KICK_SECONDS, self._publish)
        timer.daemon = True
        timer.start()

    def _publish(self) -> None:
        from portal.integrations.tasks import drain_webhook_inbox

        with self._lock:
            self._pending = False  # before publishing: a commit from now on kicks again
        try:
            drain_webhook_inbox.delay()
        except Exception:
            logger.exception("could not queue the webhook drain; beat's sweep will")


kick = _Kicker().kick
