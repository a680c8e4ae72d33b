"""Applying queued webhook events in bulk, and waking the worker that does it without a publish per request.

Issue 4 asks the receiver to answer fast. A Celery publish per delivery cost the receiver about a fifth of its
time (bench/webhook_ingest.py), so the receiver only commits the event as `queued` and calls `kick()`: at most one
`drain_webhook_inbox` message per process per `WEBHOOK_KICK_SECONDS`. The drain claims due events in the vendor's
order and applies each in its own savepoint.

Retries belong to the row, not to a message. A failed attempt is counted on the row with its error and a
`next_attempt_at` (`retrying.backoff`, full jitter); after `WEBHOOK_MAX_ATTEMPTS`, or an error the vendor calls
permanent, the row is parked `failed` for an Admin's replay. The drain claims queued events never tried or whose
`next_attempt_at` has come, and a failure queues a drain for that time. Why nothing waits for long:
- `kick()` runs after the event's commit, and the pending flag is cleared *before* the message is published, so
  every committed event is followed by a publish, and so by a drain that starts after the commit.
- A drain applies until it finds nothing due; two drains at once take different rows (`SKIP LOCKED`).
- A kick or a retry's scheduled drain can still be lost (a web process or a worker holding the countdown killed,
  Redis down): beat's sweep kicks a drain once a queued event is overdue by `WEBHOOK_SWEEP_AFTER_SECONDS`.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import threading
from functools import partial
from typing import TypedDict

from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone

from portal.core.audit import audit_context
from portal.core.vendor_problems import collect_problems
from portal.integrations import queueing
from portal.integrations.errors import VendorError
from portal.integrations.models import WebhookEvent
from portal.integrations.registry import get_provider
from portal.integrations.retrying import backoff

__all__ = ["DrainResult", "apply_claimed", "claimable", "drain_later", "drain_queued", "gives_up", "kick", "stranded"]

logger = logging.getLogger(__name__)


class DrainResult(TypedDict):
    applied: int
    failed: int
    more: bool


def claimable() -> QuerySet[WebhookEvent]:
    """Queued events that are due (never tried, or their retry's time has come), oldest vendor time first
    (receipt time where the vendor gives none)."""
    due = Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=timezone.now())
    return WebhookEvent.objects.filter(due, state=WebhookEvent.State.QUEUED).order_by(
        Coalesce("occurred_at", "received_at"), "pk"
    )


def drain_queued(batch_size: int, max_batches: int) -> DrainResult:
    """Apply due events a batch at a time until none are left or `max_batches` ran; `more` says which.

    A batch is one transaction holding its rows (`FOR NO KEY UPDATE SKIP LOCKED`: a duplicate delivery's row may
    still point at a held one); each event is applied in its own savepoint, so one event's failure rolls back
    only that event, which is recorded on its row with the time of its retry.
    """
    result = DrainResult(applied=0, failed=0, more=False)
    for _ in range(max_batches):
        with transaction.atomic():
            batch = list(
                claimable()
                .select_for_update(skip_locked=True, no_key=True, of=("self",))
                .select_related("connection")[:batch_size]
            )
            retries = []
            for event in batch:
                applied, retry_in = apply_claimed(event)
                result["applied" if applied else "failed"] += 1
                if retry_in is not None:
                    retries.append(retry_in)
            if retries:  # one drain for the batch's earliest retry; it takes every other one that is due by then
                transaction.on_commit(partial(drain_later, min(retries)))
        if len(batch) < batch_size:
            return result
    result["more"] = True
    return result


def apply_claimed(event: WebhookEvent) -> tuple[bool, float | None]:
    """Apply an event whose row the caller holds locked, in a savepoint. Returns (applied, seconds until its
    retry): a failure is recorded on the row, and parks it when its attempts are spent (no retry then)."""
    attempt = event.attempts + 1
    try:
        with transaction.atomic():
            _apply(event, attempt)
    except Exception as exc:
        return False, _record_failure(event, exc, attempt)
    return True, None


def _apply(event: WebhookEvent, attempt: int) -> None:
    """The vendor's handler on the event, read from its body once: the reading travels with the row."""
    provider = get_provider(event.vendor)
    event.payload = json.loads(event.body)
    event.info = provider.describe_webhook(event.payload)
    with audit_context("webhook", detail=f"webhook {event.pk} {event.event_type}"), collect_problems() as problems:
        outcome = provider.handle_webhook(event.connection, event)
    event.warnings = problems
    event.state = WebhookEvent.State.PROCESSED
    event.outcome = (outcome or "applied")[:255]
    event.error = ""
    event.processed_at = timezone.now()
    event.attempts = attempt
    event.next_attempt_at = None
    event.save(update_fields=["state", "outcome", "error", "processed_at", "attempts", "next_attempt_at", "warnings"])


# PostgreSQL's "deadlock detected", "could not serialize" and "lock not available": an attempt that lost a record's
# lock to another drain (two workers folding the same shifts) says nothing about the event and the next try passes.
_LOST_A_LOCK = {"40P01", "40001", "55P03"}


def gives_up(exc: Exception, attempt: int) -> bool:
    """Whether a failed attempt (counted from 1) is the last: the vendor said it is permanent, or tries are spent.
    A lost lock never counts against the event: under load it would park events that are fine."""
    if getattr(exc.__cause__, "sqlstate", None) in _LOST_A_LOCK:
        return False
    return attempt >= settings.WEBHOOK_MAX_ATTEMPTS or (isinstance(exc, VendorError) and not exc.transient)


def _record_failure(event: WebhookEvent, exc: Exception, attempt: int) -> float | None:
    """After the savepoint's rollback, under the row's lock: the error kept visible, and the retry's time or the
    parking. Returns the seconds until the retry, or None once parked."""
    final = gives_up(exc, attempt)
    retry_in = None if final else backoff(attempt, settings.WEBHOOK_RETRY_BACKOFF_MAX_SECONDS)
    event.error = f"{type(exc).__name__}: {exc}"[:5000]
    event.attempts = attempt
    event.state = WebhookEvent.State.FAILED if final else WebhookEvent.State.QUEUED
    event.next_attempt_at = None if final else timezone.now() + dt.timedelta(seconds=retry_in)
    event.save(update_fields=["error", "attempts", "state", "next_attempt_at"])
    then = "parked" if final else f"retry in {retry_in:.1f} s"
    logger.warning("webhook %s attempt %d failed (%s); %s", event.pk, attempt, event.error[:200], then)
    return retry_in


def drain_later(delay: float) -> None:
    """Queue a drain for a retry `delay` seconds away; a wait too long for the broker is left to beat's sweep."""
    if not queueing.send_later(queueing.DRAIN_WEBHOOK_INBOX, delay=delay):
        logger.info("a webhook retry %.0f s away is left on its row for beat's sweep", delay)


def stranded(older_than: dt.timedelta) -> bool:
    """Whether a queued event has been due longer than a drain should ever take to come: never tried since its
    receipt, or past its retry's time (whether its kick or its scheduled drain was lost)."""
    cutoff = timezone.now() - older_than
    overdue = Q(next_attempt_at__isnull=True, received_at__lt=cutoff) | Q(next_attempt_at__lt=cutoff)
    return WebhookEvent.objects.filter(overdue, state=WebhookEvent.State.QUEUED).exists()


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
        with self._lock:
            self._pending = False  # before publishing: a commit from now on kicks again
        try:
            queueing.send(queueing.DRAIN_WEBHOOK_INBOX)
        except Exception:
            logger.exception("could not queue the webhook drain; beat's sweep will")


kick = _Kicker().kick
