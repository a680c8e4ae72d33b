"""Thin Celery tasks over the inbox, outbox and sync services: ids in, the result recorded on the row.

Each can run twice without harm (late acks redeliver after a lost worker): the services lock and check state.
Tasks import the services, never the reverse: a service that enqueues names the task (`queueing`). Retries are
not Celery's: they are declared on the rows (`next_attempt_at`, `retrying.backoff`), and beat's sweeps find a
row whose scheduled message was lost.
"""

from __future__ import annotations

import datetime as dt
from typing import TypedDict

from celery import chain, shared_task
from django.conf import settings

from portal.integrations import inbox, inbox_drain, outbox, queueing
from portal.integrations.models import VendorConnection
from portal.integrations.registry import get_provider
from portal.integrations.sync import SyncAlreadyRunning, run_sync

__all__ = [
    "dispatch_due_outbound",
    "dispatch_outbound",
    "drain_webhook_inbox",
    "process_webhook",
    "sweep_webhook_inbox",
    "sync_incremental",
    "sync_resource",
]


class SyncResult(TypedDict):
    run_id: int | None
    state: str


@shared_task(name=queueing.PROCESS_WEBHOOK)
def process_webhook(event_id: int) -> str:
    """An Admin's replay, applied at once; its retries, like every event's, belong to the row (`inbox_drain`)."""
    return inbox.process_event(event_id)


@shared_task(name=queueing.DRAIN_WEBHOOK_INBOX)
def drain_webhook_inbox() -> inbox_drain.DrainResult:
    """Kicked by receivers and beat's sweep; a long backlog is drained in turns so other tasks get the worker."""
    result = inbox_drain.drain_queued(settings.WEBHOOK_DRAIN_BATCH, settings.WEBHOOK_DRAIN_MAX_BATCHES)
    if result["more"]:
        drain_webhook_inbox.delay()
    return result


@shared_task(name="integrations.sweep_webhook_inbox")
def sweep_webhook_inbox() -> bool:
    """Beat: a drain for events overdue, tried or not: a lost kick (web process killed between commit and kick,
    broker down) or a lost retry drain (the worker holding its countdown killed) costs seconds, not an hour."""
    if not inbox_drain.stranded(dt.timedelta(seconds=settings.WEBHOOK_SWEEP_AFTER_SECONDS)):
        return False
    drain_webhook_inbox.delay()
    return True


@shared_task(name=queueing.DISPATCH_OUTBOUND)
def dispatch_outbound(row_id: int) -> str:
    """A short retry wait is queued now; a long one stays on the row for beat (`outbox.schedule`)."""
    result = outbox.dispatch(row_id)
    if result.retry_in is not None:
        outbox.schedule(row_id, result.retry_in)
    return f"{result.state}: {result.detail}"


@shared_task(name="integrations.dispatch_due_outbound")
def dispatch_due_outbound() -> int:
    """Beat's sweep: rows whose retry is due, and rows a dead worker left in `sending`."""
    ids = outbox.due_request_ids()
    for row_id in ids:
        dispatch_outbound.delay(row_id)
    return len(ids)


@shared_task(name="integrations.sync_resource")
def sync_resource(connection_id: int, resource: str, full: bool = False) -> SyncResult:
    connection = VendorConnection.objects.get(pk=connection_id)
    try:
        run = run_sync(connection, resource, full=full)
    except SyncAlreadyRunning:
        return SyncResult(run_id=None, state="already running")
    return SyncResult(run_id=run.pk, state=run.state)


@shared_task(name="integrations.sync_incremental")
def sync_incremental() -> int:
    """Beat: an incremental sync of every resource of every active connection; returns how many were queued.

    A connection's resources run one after the other in the provider's order (parents before children), as
    `manage.py sync` runs them: a chain of immutable signatures. A failed run is recorded on its SyncRun and the
    chain goes on, as the command does; connections run side by side.
    """
    queued = 0
    for connection in VendorConnection.objects.filter(is_active=True):
        names = list(get_provider(connection.vendor).resources)
        if names:
            chain(*(sync_resource.si(connection.pk, name) for name in names)).delay()
            queued += len(names)
    return queued
