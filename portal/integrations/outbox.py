"""The outbox: a change for a vendor is a row written with the local change, sent later by the dispatcher.

Sending is at most once per natural key, even when a worker is SIGKILLed mid-call:
1. under a row lock (`select_for_update(skip_locked)`) the row is marked `sending` and committed;
2. the vendor is called outside any transaction;
3. the result is recorded.
A row found in `sending` whose lease ran out belonged to a dead worker: its call may have reached the vendor, so
the operation's `find_existing` (or the vendor's refusal of a duplicate natural key) is consulted before any new
send. Rows for the same natural key go out in the order they were written. A row waits for its
`next_attempt_at` (the vendor's `Retry-After`, else `retrying.backoff`: exponential, full jitter): a short wait
rides the broker as a countdown, a longer one (a `Retry-After` of hours) stays on the row alone until beat's sweep
finds it due (`schedule`). The row is the truth; a lost countdown message costs one sweep interval.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.db.models import FilteredRelation
from django.dispatch import Signal
from django.utils import timezone

from portal.integrations import queueing
from portal.integrations.errors import VendorError
from portal.integrations.models import OutboundRequest, OutboundSubject, VendorConnection
from portal.integrations.registry import get_provider
from portal.integrations.retrying import backoff

__all__ = [
    "DispatchOutcome",
    "delivery_states",
    "dispatch",
    "due_request_ids",
    "enqueue",
    "failure_for",
    "requests_about",
    "retry_request",
    "schedule",
    "settled",
]

logger = logging.getLogger(__name__)

State = OutboundRequest.State

# kwargs: request (OutboundRequest, its outcome saved), state ("sent" or "failed"): sent in the transaction that
# records the outcome, so a record that follows its request (a booked slot) never disagrees with it after a crash.
settled = Signal()


@dataclass(frozen=True)
class DispatchOutcome:
    state: str
    detail: str = ""
    retry_in: float | None = None


def enqueue(
    connection: VendorConnection,
    operation: str,
    *,
    payload: dict | None = None,
    natural_key: str = "",
    related: models.Model | None = None,
    about: Iterable[models.Model] = (),
) -> OutboundRequest:
    """Write the outbound request in the caller's transaction; it is dispatched once that transaction commits.
    `related` is the record it changes; `about` are further records it carries (each shows its delivery)."""
    provider = get_provider(connection.vendor)
    if operation not in provider.operations:
        raise ValueError(f"{provider.label} has no outbound operation {operation!r}.")
    row = OutboundRequest.objects.create(
        connection=connection,
        operation=operation,
        payload=payload or {},
        natural_key=natural_key,
        content_type=ContentType.objects.get_for_model(related) if related is not None else None,
        object_id=str(related.pk) if related is not None else "",
    )
    OutboundSubject.objects.bulk_create(
        OutboundSubject(request=row, content_type=ContentType.objects.get_for_model(record), object_id=str(record.pk))
        for record in about
    )
    transaction.on_commit(lambda: _queue(row.pk))
    return row


def _queue(row_id: int) -> None:
    queueing.send(queueing.DISPATCH_OUTBOUND, row_id)


def _lease() -> dt.timedelta:
    return dt.timedelta(seconds=settings.OUTBOX_SENDING_LEASE_SECONDS)


def schedule(row_id: int, delay: float) -> bool:
    """Queue the row's next attempt in `delay` seconds if that wait may ride the broker; returns whether it did
    (a longer wait stays on the row's `next_attempt_at` for beat's sweep, `queueing.send_later`)."""
    return queueing.send_later(queueing.DISPATCH_OUTBOUND, row_id, delay=delay)


def _claim(row_id: int) -> tuple[OutboundRequest | None, bool, str]:
    """Lock the row and mark it `sending`. Returns (row or None, whether an earlier attempt may have landed, why)."""
    now = timezone.now()
    with transaction.atomic():
        row = (
            OutboundRequest.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("connection")
            .filter(pk=row_id)
            .first()
        )
        if row is None:
            return None, False, "locked by another dispatcher or gone"
        if row.state in (State.SENT, State.FAILED):
            return None, False, f"already {row.state}"
        if row.state == State.SENDING and row.sending_started_at and row.sending_started_at > now - _lease():
            return None, False, "in flight"
        if row.state == State.PENDING and row.next_attempt_at and row.next_attempt_at > now:
            return None, False, f"not due until {row.next_attempt_at:%Y-%m-%d %H:%M:%S} UTC"
        earlier = OutboundRequest.objects.filter(
            connection_id=row.connection_id, natural_key=row.natural_key, pk__lt=row.pk
        ).exclude(state=State.SENT)
        if row.natural_key and earlier.exists():
            return None, False, "waiting for an earlier request for the same record"
        # A row that was in flight, or failed before (a timeout may have landed), is checked before re-sending.
        maybe_landed = row.state == State.SENDING or row.attempts > 0 or bool(row.last_error)
        row.state = State.SENDING
        row.sending_started_at = now
        row.attempts += 1
        row.save(update_fields=["state", "sending_started_at", "attempts"])
        return row, maybe_landed, ""


def dispatch(row_id: int) -> DispatchOutcome:
    """Send one outbound request if it is due. Safe to run twice, concurrently or after a crash."""
    row, maybe_landed, why = _claim(row_id)
    if row is None:
        return DispatchOutcome("skipped", why)
    provider = get_provider(row.connection.vendor)
    operation = provider.operations[row.operation]
    client = provider.client(row.connection)
    try:
        result = None
        if maybe_landed and operation.find_existing is not None:
            result = operation.find_existing(client, row)
        if result is None:
            result = operation.send(client, row)
    except VendorError as exc:
        return _record_failure(row, exc)
    except Exception as exc:  # a bug in a vendor package: park the row visibly rather than loop
        logger.exception("outbound request %s crashed", row.pk)
        return _record_failure(row, VendorError(f"Internal error while sending: {exc}"))
    sent = {"vendor_id": str(result.vendor_id or ""), "vendor_response": result.response, "sent_at": timezone.now()}
    with transaction.atomic():
        OutboundRequest.objects.filter(pk=row.pk).update(
            state=State.SENT, last_error="", last_error_body="", next_attempt_at=None, **sent
        )
        _settle(row, State.SENT, **sent)
    _queue_followers(row)
    return DispatchOutcome(State.SENT, result.vendor_id)


def _record_failure(row: OutboundRequest, exc: VendorError) -> DispatchOutcome:
    failure = {"last_error": exc.message, "last_error_body": exc.raw_body}
    if exc.transient and row.attempts < settings.OUTBOX_MAX_ATTEMPTS:
        delay = getattr(exc, "retry_after", None) or backoff(row.attempts, settings.OUTBOX_BACKOFF_MAX_SECONDS)
        OutboundRequest.objects.filter(pk=row.pk).update(
            state=State.PENDING, next_attempt_at=timezone.now() + dt.timedelta(seconds=delay), **failure
        )
        return DispatchOutcome(State.PENDING, exc.message, retry_in=delay)
    with transaction.atomic():
        OutboundRequest.objects.filter(pk=row.pk).update(state=State.FAILED, next_attempt_at=None, **failure)
        _settle(row, State.FAILED, **failure)
    return DispatchOutcome(State.FAILED, exc.message)


def _settle(row: OutboundRequest, state: str, **values: Any) -> None:
    for name, value in values.items():
        setattr(row, name, value)
    row.state = state
    settled.send(OutboundRequest, request=row, state=state)


def _queue_followers(row: OutboundRequest) -> None:
    if not row.natural_key:
        return
    follower = (
        OutboundRequest.objects.filter(
            connection_id=row.connection_id, natural_key=row.natural_key, pk__gt=row.pk, state=State.PENDING
        )
        .order_by("pk")
        .values_list("pk", flat=True)
        .first()
    )
    if follower:
        _queue(follower)


def due_request_ids(limit: int = 500) -> list[int]:
    """Pending rows whose time has come, and `sending` rows whose worker died (lease expired)."""
    now = timezone.now()
    due = models.Q(state=State.PENDING) & (models.Q(next_attempt_at__isnull=True) | models.Q(next_attempt_at__lte=now))
    abandoned = models.Q(state=State.SENDING, sending_started_at__lt=now - _lease())
    return list(OutboundRequest.objects.filter(due | abandoned).order_by("pk").values_list("pk", flat=True)[:limit])


def retry_request(row: OutboundRequest) -> None:
    """The retry button: a parked row, or one waiting for its next try, goes back to pending and is dispatched now.
    A row being sent or already sent is left alone, so a double click sends nothing twice."""
    parked = models.Q(state=State.FAILED) | models.Q(state=State.PENDING, next_attempt_at__isnull=False)
    OutboundRequest.objects.filter(parked, pk=row.pk).update(state=State.PENDING, next_attempt_at=None, attempts=0)
    transaction.on_commit(lambda: _queue(row.pk))


def requests_about(*records: models.Model) -> list[OutboundRequest]:
    """Every outbound request about these records, newest first. A record's page lists them all, so a failure stays
    visible (with its retry) even when a later request for the same record waits behind it; and a page retries a
    row only when it is one of these (coordinators retry what their page shows, not any outbox row)."""
    about = models.Q(pk__in=[])
    for record in records:
        content_type = ContentType.objects.get_for_model(record)
        about |= models.Q(content_type=content_type, object_id=str(record.pk))
        carried = OutboundSubject.objects.filter(content_type=content_type, object_id=str(record.pk))
        about |= models.Q(pk__in=carried.values("request_id"))
    return list(OutboundRequest.objects.filter(about).select_related("connection").order_by("-pk"))


def failure_for(obj: models.Model) -> OutboundRequest | None:
    """The latest parked request of a record, for "not sent to IntelyCare: ..." next to it."""
    return (
        OutboundRequest.objects.filter(
            content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk), state=State.FAILED
        )
        .select_related("connection")
        .first()
    )


def delivery_states(objects: list[models.Model]) -> dict[Any, OutboundRequest]:
    """The latest outbound request of each record, in one query: what a list page shows as "queued / waiting /
    sent / not sent: <error> [Retry]" (render with `htmx/delivery_state.html`, context `outbound`). A record is
    matched as a request's main record or as one it carries (`OutboundSubject`)."""
    if not objects:
        return {}
    content_type = ContentType.objects.get_for_model(objects[0])
    ids = [str(obj.pk) for obj in objects]
    carried = FilteredRelation(
        "subjects", condition=models.Q(subjects__content_type=content_type, subjects__object_id__in=ids)
    )
    rows = (
        OutboundRequest.objects.annotate(carried=carried)
        .filter(models.Q(content_type=content_type, object_id__in=ids) | models.Q(carried__isnull=False))
        .annotate(carried_id=models.F("carried__object_id"))
        .select_related("connection")
    )
    latest: dict[str, OutboundRequest] = {}
    for row in rows.order_by("pk"):
        if row.content_type_id == content_type.pk and row.object_id in ids:
            latest[row.object_id] = row
        if row.carried_id is not None:
            latest[row.carried_id] = row
    return {obj.pk: latest[str(obj.pk)] for obj in objects if str(obj.pk) in latest}
