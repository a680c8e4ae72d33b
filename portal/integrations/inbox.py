"""The webhook inbox: store the raw delivery first, verify, dedupe, queue; later apply it in a task.

dj-stripe's `WebhookEventTrigger`, made asynchronous. The receiver answers within one INSERT, one UPDATE and
one broker publish; the vendor's work happens in `process_webhook`.
"""

from __future__ import annotations

import hashlib
import json
import logging

from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone

from portal.core.audit import audit_context
from portal.integrations.models import VendorConnection, WebhookEvent
from vendors.registry import UnknownVendor, get_provider

__all__ = ["process_event", "receive_webhook", "record_failure", "replay_event"]

logger = logging.getLogger(__name__)

# Never keep credentials a proxy or client might add; the vendor's signature header is kept (it is not secret).
_DROPPED_HEADERS = {"cookie", "authorization", "proxy-authorization"}


def _headers(request: HttpRequest) -> dict[str, str]:
    return {k: v for k, v in request.headers.items() if k.lower() not in _DROPPED_HEADERS}


def receive_webhook(request: HttpRequest, vendor: str, token: str) -> tuple[int, WebhookEvent]:
    """Store, verify, dedupe, queue. Returns the HTTP status to answer and the stored event."""
    body = request.body
    event = WebhookEvent.objects.create(
        vendor=vendor[:32],
        headers=_headers(request),
        body=body.decode("utf-8", errors="replace"),
        remote_addr=request.META.get("REMOTE_ADDR") or None,
    )
    connection = VendorConnection.objects.filter(vendor=vendor, webhook_token=token, is_active=True).first()
    try:
        provider = get_provider(vendor)
    except UnknownVendor:
        provider = None
    if connection is None or provider is None:
        return _finish(event, WebhookEvent.State.REJECTED, 404, error="Unknown webhook URL (vendor or token).")
    event.connection = connection
    if not provider.verify_webhook(connection, body, request.headers):
        return _finish(event, WebhookEvent.State.REJECTED, 401, error="Signature missing or wrong; nothing applied.")
    try:
        info = provider.describe_webhook(json.loads(body))
    except (ValueError, TypeError, KeyError, AttributeError) as exc:
        return _finish(event, WebhookEvent.State.MALFORMED, 400, error=f"Not a readable event: {exc}")
    event.event_type = info.event_type[:64]
    event.occurred_at = info.occurred_at
    event.dedupe_key = (f"id:{info.event_id}" if info.event_id else f"sha256:{hashlib.sha256(body).hexdigest()}")[:128]
    event.state = WebhookEvent.State.QUEUED
    try:
        with transaction.atomic():
            event.save(update_fields=["connection", "event_type", "occurred_at", "dedupe_key", "state"])
            transaction.on_commit(lambda: _queue(event.pk))
    except IntegrityError:
        original = WebhookEvent.objects.filter(connection=connection, dedupe_key=event.dedupe_key).first()
        event.duplicate_of = original
        event.dedupe_key = ""
        return _finish(event, WebhookEvent.State.DUPLICATE, 200, outcome="Already received; applied once.")
    return 202, event


def _queue(event_id: int) -> None:
    from portal.integrations.tasks import process_webhook

    process_webhook.delay(event_id)


def _finish(event: WebhookEvent, state: str, status: int, *, error: str = "", outcome: str = ""):
    event.state = state
    event.error = error
    event.outcome = outcome
    event.save()
    if status >= 400:
        logger.warning("webhook %s refused: %s", event.pk, error)
    return status, event


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


def record_failure(event_id: int, error: str, *, final: bool) -> None:
    """Outside the rolled-back transaction: keep the error visible; park the event when retries are spent."""
    updates = {"error": error[:5000]}
    if final:
        updates["state"] = WebhookEvent.State.FAILED
    event = WebhookEvent.objects.filter(pk=event_id).first()
    if event is not None:
        WebhookEvent.objects.filter(pk=event_id).update(attempts=event.attempts + 1, **updates)


def replay_event(event: WebhookEvent) -> None:
    """Run a processed or failed event again. Handlers compare vendor timestamps, so a replay never regresses."""
    WebhookEvent.objects.filter(pk=event.pk).update(state=WebhookEvent.State.QUEUED, error="")
    transaction.on_commit(lambda: _queue(event.pk))
