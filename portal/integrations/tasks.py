"""Thin Celery tasks over the inbox, outbox and sync services: ids in, the result recorded on the row.

Each can run twice without harm (late acks redeliver after a lost worker): the services lock and check state.
"""

from __future__ import annotations

from typing import TypedDict

from celery import shared_task
from django.conf import settings

from portal.integrations import inbox, outbox
from portal.integrations.models import VendorConnection
from portal.integrations.sync import SyncAlreadyRunning, run_sync
from vendors.base.errors import VendorError
from vendors.registry import get_provider

__all__ = ["dispatch_due_outbound", "dispatch_outbound", "process_webhook", "sync_incremental", "sync_resource"]


class SyncResult(TypedDict):
    run_id: int | None
    state: str


@shared_task(bind=True, name="integrations.process_webhook", max_retries=None)
def process_webhook(self, event_id: int) -> str:
    """Retried with backoff on any error, then parked `failed` with the error for an Admin to replay."""
    try:
        return inbox.process_event(event_id)
    except Exception as exc:
        final = self.request.retries + 1 >= settings.WEBHOOK_MAX_ATTEMPTS or (
            isinstance(exc, VendorError) and not exc.transient
        )
        inbox.record_failure(event_id, f"{type(exc).__name__}: {exc}", final=final)
        if final:
            return f"failed: {exc}"
        raise self.retry(exc=exc, countdown=min(300, 2 ** (self.request.retries + 1))) from None


@shared_task(name="integrations.dispatch_outbound")
def dispatch_outbound(row_id: int) -> str:
    result = outbox.dispatch(row_id)
    if result.retry_in is not None:
        dispatch_outbound.apply_async((row_id,), countdown=result.retry_in)
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
    """Beat: queue an incremental sync of every resource of every active connection."""
    queued = 0
    for connection in VendorConnection.objects.filter(is_active=True):
        for name in get_provider(connection.vendor).resources:
            sync_resource.delay(connection.pk, name)
            queued += 1
    return queued
