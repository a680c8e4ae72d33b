"""The webhook inbox: every delivery stored raw, verified, deduped and queued; later applied in a task.

dj-stripe's `WebhookEventTrigger`, made asynchronous. The receiver answers once its row is committed by one INSERT
that concurrent requests of the process share (`inbox_writer`; the connection comes from a short per-process
cache, `webhook_connections`); it publishes nothing per request but kicks the batched drain (`inbox_drain`),
which applies events in the vendor's order. `process_webhook` applies one event by id: retries and replays.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
from typing import NamedTuple

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.http import HttpRequest
from django.utils import timezone

from portal.core.audit import audit_context
from portal.integrations.inbox_drain import kick
from portal.integrations.inbox_writer import store_queued
from portal.integrations.models import WebhookEvent
from portal.integrations.webhook_connections import active_connection
from vendors.base.errors import VendorError
from vendors.registry import UnknownVendor, get_provider

__all__ = [
    "StoredEvent",
    "apply_event",
    "events_of_subject",
    "gives_up",
    "process_event",
    "receive_webhook",
    "record_failure",
    "replay_event",
    "stored_body",
]

logger = logging.getLogger(__name__)

# Never keep credentials a proxy or client might add; the vendor's signature header is kept (it is not secret).
_DROPPED_HEADERS = {"cookie", "authorization", "proxy-authorization"}


def _headers(request: HttpRequest) -> dict[str, str]:
    return {k: v for k, v in request.headers.items() if k.lower() not in _DROPPED_HEADERS}


def receive_webhook(request: HttpRequest, vendor: str, token: str) -> tuple[int, WebhookEvent]:
    """Verify, dedupe and store in one INSERT, then kick the drain. Returns the HTTP status to answer and the event.

    Every delivery that reaches us is stored, refused ones included, with its raw body and headers. Checking the
    signature and parsing happen in memory before the row is written, so one statement (one commit, one fsync)
    serves the request; if anything unexpected breaks on the way, the raw delivery is still stored, as failed.
    """
    body = request.body
    event = WebhookEvent(
        vendor=vendor[:32],
        headers=_headers(request),
        body=body.decode("utf-8", errors="replace"),
        remote_addr=request.META.get("REMOTE_ADDR") or None,
    )
    try:
        status = _classify(event, body, request.headers, vendor, token)
    except Exception as exc:
        logger.exception("webhook for %s could not be classified", vendor)
        event.state, event.error = WebhookEvent.State.FAILED, f"Internal error on receipt: {exc}"
        event.save()
        return 500, event
    if status >= 400:
        event.save()
        logger.warning("webhook %s refused: %s", event.pk, event.error)
        return status, event
    if store_queued(event):
        transaction.on_commit(kick)
        return 202, event
    event.duplicate_of = WebhookEvent.objects.filter(connection=event.connection, dedupe_key=event.dedupe_key).first()
    event.dedupe_key = ""
    event.state, event.outcome = WebhookEvent.State.DUPLICATE, "Already received; applied once."
    event.save()
    return 200, event


def _classify(event: WebhookEvent, body: bytes, headers, vendor: str, token: str) -> int:
    """Fill in the event's connection, state and dedupe key; return the HTTP status to answer."""
    connection = active_connection(vendor, token)
    try:
        provider = get_provider(vendor)
    except UnknownVendor:
        provider = None
    if connection is None or provider is None:
        event.state, event.error = WebhookEvent.State.REJECTED, "Unknown webhook URL (vendor or token)."
        return 404
    event.connection = connection
    if not provider.verify_webhook(connection, body, headers):
        event.state, event.error = WebhookEvent.State.REJECTED, "Signature missing or wrong; nothing applied."
        return 401
    try:
        info = provider.describe_webhook(json.loads(body))
    except (ValueError, TypeError, KeyError, AttributeError) as exc:
        event.state, event.error = WebhookEvent.State.MALFORMED, f"Not a readable event: {exc}"
        return 400
    event.event_type = info.event_type[:64]
    event.occurred_at = info.occurred_at
    event.subject = info.subject[:128]
    key = f"id:{info.event_id}" if info.event_id else f"sha256:{hashlib.sha256(body).hexdigest()}"
    event.dedupe_key = key[:128]
    event.state = WebhookEvent.State.QUEUED
    return 202


def _queue(event_id: int) -> None:
    from portal.integrations.tasks import process_webhook

    process_webhook.delay(event_id)


def process_event(event_id: int) -> str:
    """Apply one queued event exactly once: the event row is locked, applied and marked in one transaction.

    Raises what the handler raised (the task decides about retrying); a second run of a processed event is a
    no-op.
    """
    with transaction.atomic():
        event = (
            WebhookEvent.objects.select_for_update(of=("self",))
            .select_related("connection")
            .filter(pk=event_id)
            .first()
        )
        if event is None or event.state not in {WebhookEvent.State.QUEUED, WebhookEvent.State.FAILED}:
            return "nothing to do"
        return apply_event(event)


def apply_event(event: WebhookEvent) -> str:
    """The vendor's handler on an event whose row the caller holds locked, in the caller's transaction."""
    provider = get_provider(event.vendor)
    with audit_context("webhook", detail=f"webhook {event.pk} {event.event_type}"):
        outcome = provider.handle_webhook(event.connection, event)
    event.state = WebhookEvent.State.PROCESSED
    event.outcome = (outcome or "applied")[:255]
    event.error = ""
    event.processed_at = timezone.now()
    event.attempts += 1
    event.save(update_fields=["state", "outcome", "error", "processed_at", "attempts"])
    return event.outcome


# Events that passed verification: the set a handler folds. Duplicates, refusals and unreadable bodies are not in it.
_VERIFIED = (WebhookEvent.State.QUEUED, WebhookEvent.State.PROCESSED, WebhookEvent.State.FAILED)


class StoredEvent(NamedTuple):
    """What a fold needs of one stored event without reading its body; `dedupe_key` is its content hash or id."""

    pk: int
    event_type: str
    occurred_at: dt.datetime | None
    dedupe_key: str


def events_of_subject(event: WebhookEvent, subject: str) -> list[StoredEvent]:
    """Every verified event about `subject` on the event's connection, this one included, duplicates excluded.

    Handlers call it holding the subject's record lock, so each fold sees every event committed before it; the
    last event of a subject to be applied therefore folds them all, whatever order they came in (issue 14).
    """
    others = Q(connection_id=event.connection_id, subject=subject, state__in=_VERIFIED) & ~Q(dedupe_key="")
    rows = WebhookEvent.objects.filter(Q(pk=event.pk) | others)
    return [StoredEvent(*values) for values in rows.values_list("pk", "event_type", "occurred_at", "dedupe_key")]


def stored_body(pk: int) -> str:
    """The raw body of one stored event, read only for the event whose details a fold needs."""
    return WebhookEvent.objects.filter(pk=pk).values_list("body", flat=True).get()


def gives_up(exc: Exception, attempt: int) -> bool:
    """Whether a failed attempt (counted from 1) is the last: the vendor said it is permanent, or tries are spent."""
    return attempt >= settings.WEBHOOK_MAX_ATTEMPTS or (isinstance(exc, VendorError) and not exc.transient)


def record_failure(event_id: int, error: str, *, final: bool) -> None:
    """After the attempt's rollback (transaction or savepoint): keep the error visible; park when retries are spent."""
    updates = {"error": error[:5000], "attempts": F("attempts") + 1}
    if final:
        updates["state"] = WebhookEvent.State.FAILED
    WebhookEvent.objects.filter(pk=event_id).update(**updates)


def replay_event(event: WebhookEvent) -> None:
    """Run a processed or failed event again. Handlers fold all of a record's events, so a replay never regresses."""
    WebhookEvent.objects.filter(pk=event.pk).update(state=WebhookEvent.State.QUEUED, error="")
    transaction.on_commit(lambda: _queue(event.pk))
