"""The webhook inbox: every delivery stored raw, verified, deduped and queued; later applied in a task.

dj-stripe's `WebhookEventTrigger`, made asynchronous. The receiver answers once its row is committed by one INSERT
that concurrent requests of the process share (`inbox_writer`; the connection comes from a short per-process
cache, `webhook_connections`); it publishes nothing per request but kicks the batched drain (`inbox_drain`),
which applies events in the vendor's order. Retries belong to the row (`next_attempt_at`, see `inbox_drain`);
`process_event` applies one event by id at once, for an Admin's replay.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, NamedTuple

from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest
from django.utils.datastructures import CaseInsensitiveMapping

from portal.integrations import queueing
from portal.integrations.inbox_drain import apply_claimed, drain_later, kick
from portal.integrations.inbox_writer import store_queued
from portal.integrations.models import RefusedDelivery, VendorConnection, WebhookEvent
from portal.integrations.provider import VendorProvider
from portal.integrations.registry import UnknownVendor, get_provider
from portal.integrations.webhook_connections import active_connection
from portal.integrations.webhook_guard import (
    HEAD_BYTES,
    MAX_JSON_DEPTH,
    client_address,
    read_limited,
    record_refusal,
    storable_text,
    too_deep,
)

__all__ = [
    "Receipt",
    "ReplayRefused",
    "StoredEvent",
    "events_of_subject",
    "process_event",
    "receive_webhook",
    "replay_event",
    "stored_body",
    "verified",
]

logger = logging.getLogger(__name__)

# Never keep credentials a proxy or client might add; the vendor's signature header is kept (it is not secret).
_DROPPED_HEADERS = {"cookie", "authorization", "proxy-authorization"}
# A stored header value is cut here: a sender chooses its headers, and they are kept for refused deliveries too.
_MAX_HEADER_CHARS = 2048


@dataclass(frozen=True)
class Receipt:
    """What the receiver answers: the status, and the stored event when there is one (a refusal made before the
    body was read stores none)."""

    status: int
    event: WebhookEvent | None = None
    error: str = ""


def _headers(request: HttpRequest) -> dict[str, str]:
    return {
        k: storable_text(str(v))[:_MAX_HEADER_CHARS]
        for k, v in request.headers.items()
        if k.lower() not in _DROPPED_HEADERS
    }


def receive_webhook(request: HttpRequest, vendor: str, token: str) -> Receipt:
    """Check, verify, dedupe and store in one INSERT, then kick the drain.

    Cheap refusals first, before the body is read: an unknown URL (404) or a body over the vendor's limit (413)
    keep only a small record (`webhook_guard`). Every other delivery is stored with its raw body and headers,
    refused ones included. Checking the signature and parsing happen in memory before the row is written, so one
    statement serves the request; if anything unexpected breaks, the delivery is stored as failed, and its replay
    verifies it first (`replay_event`).
    """
    connection = active_connection(vendor, token)
    provider = _provider(vendor) if connection is not None else None
    if connection is None or provider is None:
        record_refusal(RefusedDelivery.Reason.UNKNOWN_URL, vendor, request, request.read(HEAD_BYTES))
        return Receipt(404, error="Unknown webhook URL (vendor or token); nothing stored.")
    body, within_limit = read_limited(request, provider.max_webhook_bytes)
    if not within_limit:
        record_refusal(RefusedDelivery.Reason.TOO_LARGE, vendor, request, body, connection)
        limit = provider.max_webhook_bytes
        return Receipt(413, error=f"Body over {provider.label}'s limit of {limit} bytes; nothing stored.")
    event = _new_event(
        connection,
        vendor=vendor[:32],
        headers=_headers(request),
        body=storable_text(body.decode("utf-8", errors="replace")),
        remote_addr=client_address(request),
    )
    try:
        status = _classify(event, provider, body, request)
    except Exception as exc:
        logger.exception("webhook for %s could not be classified", vendor)
        event.state, event.error = WebhookEvent.State.FAILED, f"Internal error on receipt: {exc}"
        event.error, event.dedupe_key = storable_text(event.error), ""
        event.save()
        return Receipt(500, event)
    if status >= 400:
        event.error = storable_text(event.error)
        event.save()
        logger.warning("webhook %s refused: %s", event.pk, event.error)
        return Receipt(status, event)
    if store_queued(event):
        transaction.on_commit(kick)
        return Receipt(202, event)
    event.duplicate_of = WebhookEvent.objects.filter(connection=event.connection, dedupe_key=event.dedupe_key).first()
    event.dedupe_key = ""
    event.state, event.outcome = WebhookEvent.State.DUPLICATE, "Already received; applied once."
    event.save()
    return Receipt(200, event)


# Every column's default, in the model's order (the callable ones, `headers` and `warnings`, are given per event).
_BLANK = {field.attname: field.get_default() for field in WebhookEvent._meta.concrete_fields}


def _new_event(connection: VendorConnection, **values: Any) -> WebhookEvent:
    """`WebhookEvent(connection=..., **values)`, built from positional values: the keyword pass of
    `Model.__init__` over every field cost about as much as checking the signature (issue 16 item 8)."""
    event = WebhookEvent(*{**_BLANK, "warnings": [], **values, "connection_id": connection.pk}.values())
    WebhookEvent.connection.field.set_cached_value(event, connection)
    return event


def _provider(vendor: str) -> VendorProvider | None:
    try:
        return get_provider(vendor)
    except UnknownVendor:
        return None


def _classify(event: WebhookEvent, provider: VendorProvider, body: bytes, request: HttpRequest) -> int:
    """Fill in the event's state and dedupe key; return the HTTP status to answer."""
    allowed = provider.webhook_content_types
    if allowed and request.content_type not in allowed:
        event.state = WebhookEvent.State.MALFORMED
        event.error = f"Content-Type {request.content_type!r} refused; {provider.label} sends {', '.join(allowed)}."
        return 415
    if not verified(provider, event.connection, body, request.headers):
        event.state, event.error = WebhookEvent.State.REJECTED, "Signature missing or wrong; nothing applied."
        return 401
    try:
        payload = json.loads(body)
        if too_deep(body, payload):
            raise ValueError(f"JSON nested deeper than {MAX_JSON_DEPTH} levels")
        info = provider.describe_webhook(payload)
    except RecursionError:
        event.state, event.error = WebhookEvent.State.MALFORMED, "Not a readable event: JSON nested too deeply"
        return 400
    except Exception as exc:  # the vendor's parser on a stranger's bytes: whatever it raises, the input is bad
        event.state, event.error = WebhookEvent.State.MALFORMED, f"Not a readable event: {exc}"
        return 400
    event.event_type = storable_text(info.event_type)[:64]
    event.occurred_at = info.occurred_at
    event.subject = info.subject[:128]
    key = f"id:{info.event_id}" if info.event_id else f"sha256:{hashlib.sha256(body).hexdigest()}"
    event.dedupe_key = storable_text(key)[:128]
    event.state = WebhookEvent.State.QUEUED
    return 202


def verified(provider: VendorProvider, connection: VendorConnection, body: bytes, headers: Mapping) -> bool:
    """The provider's signature check, which must never raise; if it does anyway, the delivery is refused."""
    try:
        return bool(provider.verify_webhook(connection, body, headers))
    except Exception:
        logger.exception("%s's signature check raised; the delivery is refused", provider.label)
        return False


def process_event(event_id: int) -> str:
    """Apply one queued event now, by id (an Admin's replay), as the drain applies it: a failure is recorded on
    the row with its retry's time, or parks it. A second run, or an event a drain holds, is a no-op."""
    with transaction.atomic():
        event = (
            WebhookEvent.objects.select_for_update(skip_locked=True, no_key=True, of=("self",))
            .select_related("connection")
            .filter(pk=event_id, state=WebhookEvent.State.QUEUED)
            .first()
        )
        if event is None:
            return "nothing to do"
        applied, retry_in = apply_claimed(event)
        if retry_in is not None:
            transaction.on_commit(lambda: drain_later(retry_in))
    if applied:
        return event.outcome
    return f"failed: {event.error}" if retry_in is None else f"retry in {retry_in:.0f} s"


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


class ReplayRefused(Exception):
    """A replay that would apply something unverified: said to the Admin as it is."""


def replay_event(event: WebhookEvent) -> None:
    """Run a processed or failed event again. Handlers fold all of a record's events, so a replay never regresses.

    Only an event that passes its connection's current signature check again, on its stored raw body and headers:
    a refusal is final, and a row stored failed on receipt was perhaps never verified. Raises ReplayRefused.
    """
    if not event.can_replay:
        raise ReplayRefused(
            f"Webhook #{event.pk} is {event.get_state_display().lower()}; only processed or failed "
            "events can be replayed."
        )
    try:
        connection = event.connection
    except VendorConnection.DoesNotExist:
        connection = None
    if connection is None:  # the row names no constraint-checked connection (`WebhookEvent.connection`)
        raise ReplayRefused(f"Webhook #{event.pk} not replayed: its connection no longer exists; nothing applied.")
    provider = _provider(event.vendor)
    if provider is None or not connection.is_active:
        raise ReplayRefused(f"Webhook #{event.pk} not replayed: {connection} is inactive; nothing applied.")
    if not verified(provider, connection, event.body.encode("utf-8"), CaseInsensitiveMapping(event.headers)):
        raise ReplayRefused(
            f"Webhook #{event.pk} not replayed: its signature does not match {connection}'s current secrets; "
            "nothing applied."
        )
    WebhookEvent.objects.filter(pk=event.pk).update(
        state=WebhookEvent.State.QUEUED, error="", attempts=0, next_attempt_at=None
    )
    transaction.on_commit(lambda: queueing.send(queueing.PROCESS_WEBHOOK, event.pk))
