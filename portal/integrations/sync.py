"""Sync runs: mirror one vendor resource into its local model as a diff, a page at a time (NetBox's
`DataSource.sync`): load `{external_id: (pk, fingerprint, vendor time)}` for the page, `bulk_create` the new,
`bulk_update` the changed, skip the unchanged, and on a full run archive what the vendor no longer lists.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import IntegrityError, connections, models, router, transaction
from django.utils import timezone

from portal.core.audit import audit_context, record_bulk_changes, record_creates
from portal.core.bulk_sql import CopyRows
from portal.core.vendor_problems import collect_problems, report_problems, stamped
from portal.integrations.calls import deadline as call_deadline
from portal.integrations.calls import expected_records_to
from portal.integrations.models import SyncRun, VendorConnection
from portal.integrations.provider import Included, MappedRecord, Page
from portal.integrations.registry import get_provider

__all__ = [
    "PageCounts",
    "SyncAlreadyRunning",
    "apply_page",
    "fingerprint",
    "request_cancel",
    "run_sync",
    "store_included",
]


class SyncAlreadyRunning(RuntimeError):
    pass


@dataclass
class PageCounts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


def fingerprint(fields: dict) -> str:
    return hashlib.sha256(json.dumps(fields, sort_keys=True, default=str).encode()).hexdigest()


def _record_fingerprint(record: MappedRecord) -> str:
    """The fields' fingerprint; a record with unreadable values also hashes them, so a different bad value (or
    the same value made readable) is written rather than skipped as unchanged."""
    if not record.problems:
        return fingerprint(record.fields)
    return fingerprint({**record.fields, "vendor_problems": record.problems})


def apply_page(model: type[models.Model], connection: VendorConnection, records: list[MappedRecord]) -> PageCounts:
    """Diff one page against the database in a constant number of queries. Returns what changed.

    Only `connection`'s rows are read or written: a row of another connection, or one the portal holds with no
    connection, is never matched, even by the same vendor id or natural key (issue 14).
    A field the vendor sent unreadable (`MappedRecord.problems`) is left as the row holds it on update and
    written empty on create; either way the row keeps the problems (`vendor_problems`, stamped with this sync
    run or webhook), and every record read with problems, unchanged ones too, is reported
    (`portal.core.vendor_problems`). An older payload, not applied, is not.
    """
    counts = PageCounts()
    by_id = {record.external_id: record for record in records}  # the vendor's last word wins within a page
    existing = {
        external_id: (pk, stored_fp, stored_at, archived)
        for external_id, pk, stored_fp, stored_at, archived in model.objects.filter(
            connection=connection, external_id__in=list(by_id)
        ).values_list("external_id", "pk", "vendor_fingerprint", "vendor_updated_at", "archived_at")
    }
    new, changed = [], []
    for external_id, record in by_id.items():
        fp = _record_fingerprint(record)
        if external_id not in existing:
            new.append((record, fp))
            continue
        pk, stored_fp, stored_at, archived = existing[external_id]
        older = stored_at and record.vendor_updated_at and record.vendor_updated_at < stored_at
        if older:
            counts.unchanged += 1
        elif stored_fp == fp and archived is None:
            counts.unchanged += 1
            report_problems(model, pk, external_id, record.problems)  # read again as unreadable as before
        else:
            changed.append((pk, record, fp))
    if new:
        pks = _insert_new_records(model, connection, new)
        counts.created = len(new)
        # Each create entry names the record's fields and the run; their values follow from the record (issue 16).
        record_creates(model, ((pk, record.fields) for pk, (record, _) in zip(pks, new, strict=True)))
        for pk, (record, _) in zip(pks, new, strict=True):
            report_problems(model, pk, record.external_id, record.problems)
    if changed:
        _update_changed(model, changed)
        counts.updated = len(changed)
    for pk, record, _ in changed:
        report_problems(model, pk, record.external_id, record.problems)
    return counts


def _insert_new_records(
    model: type[models.Model], connection: VendorConnection, new: list[tuple[MappedRecord, str]]
) -> list[int]:
    """Insert a page's new records (each with its fingerprint) and return their pks, in order.

    On PostgreSQL the page goes in by `COPY` (`CopyRows`): `bulk_create` spent most of a first sync building
    model instances and having psycopg quote ~45 arrays of values element by element (issue 4's profile). Other
    databases (the demo's SQLite), and models `CopyRows` does not take, keep `bulk_create`; both give the same
    rows (tests/integrations/test_sync.py).
    """
    db = connections[router.db_for_write(model)]
    copy_rows = CopyRows.of(model) if db.vendor == "postgresql" else None
    if copy_rows is None:
        rows = [model(connection=connection, **_row_values(record, fp)) for record, fp in new]
        model.objects.bulk_create(rows)
        return [row.pk for row in rows]
    rows = [copy_rows.values(db, **_row_values(record, fp)) for record, fp in new]
    return copy_rows.insert(db, rows, copy_rows.values(db, connection=connection.pk))


def _row_values(record: MappedRecord, fp: str) -> dict:
    return {
        "external_id": record.external_id,
        "vendor_updated_at": record.vendor_updated_at,
        "vendor_data": record.vendor_data,
        "vendor_fingerprint": fp,
        "vendor_problems": stamped(record.problems),
        **record.fields,
    }


def _update_changed(model: type[models.Model], changed: list[tuple[int, MappedRecord, str]]) -> None:
    """Write the changed rows, each without its unreadable fields: rows are grouped by the fields they write, so
    a record's kept value is never overwritten by a page-mate's column list."""
    written = {pk: {k: v for k, v in record.fields.items() if k not in record.problems} for pk, record, _ in changed}
    field_names = sorted({name for fields in written.values() for name in fields})
    old = {
        row["pk"]: row for row in model.objects.filter(pk__in=[pk for pk, _, _ in changed]).values("pk", *field_names)
    }
    now = timezone.now()
    groups: dict[tuple[str, ...], list[models.Model]] = {}
    audit = []
    for pk, record, fp in changed:
        fields = written[pk]
        obj = model(pk=pk, **fields)
        obj.vendor_updated_at = record.vendor_updated_at
        obj.vendor_data = record.vendor_data
        obj.vendor_fingerprint = fp
        obj.vendor_problems = stamped(record.problems)
        obj.archived_at = None
        obj.updated_at = now
        groups.setdefault(tuple(sorted(fields)), []).append(obj)
        diff = {k: [old[pk].get(k), v] for k, v in fields.items() if old[pk].get(k) != v}
        audit.append((pk, "update", diff))
    base_fields = ["vendor_updated_at", "vendor_data", "vendor_fingerprint", "vendor_problems", "archived_at"]
    for names, objs in groups.items():
        model.objects.bulk_update(objs, [*names, *base_fields, "updated_at"])
    record_bulk_changes(model, audit)


def store_included(connection: VendorConnection, included: Iterable[Included]) -> int:
    """Store the records a page includes, in the reader's order, through `apply_page` (the same diff, history and
    problems as any synced record), so records mapped after them link to their rows: run by the sync before
    each page's own records, and by a webhook handler for what an event nests. Returns how many could not be
    mapped (skipped, as a page's own records are)."""
    failed = 0
    for entry in included:
        mapped, unmapped = _mapped(entry.map, entry.records)
        failed += unmapped
        if mapped:
            apply_page(apps.get_model(entry.model), connection, mapped)
    return failed


def _mapped(map_record: Callable[[Any], MappedRecord], records: Sequence[Any]) -> tuple[list[MappedRecord], int]:
    """The records a mapping could read, and how many it could not."""
    mapped = []
    for record in records:
        with contextlib.suppress(ValueError, KeyError, TypeError):
            mapped.append(map_record(record))
    return mapped, len(records) - len(mapped)


def run_sync(
    connection: VendorConnection,
    resource_name: str,
    *,
    full: bool = False,
    on_page: Callable[[SyncRun], None] | None = None,
) -> SyncRun:
    """Run one resource's sync in the foreground; the SyncRun row shows progress as pages land.

    Between pages it looks for an Admin's cancel (`request_cancel`): it then stops with what it stored, `cancelled`,
    archives nothing, and keeps the watermark it started from, so the next run reads the rest again.
    """
    provider = get_provider(connection.vendor)
    resource = provider.resources[resource_name]
    model = apps.get_model(resource.model)
    previous = (
        SyncRun.objects.filter(connection=connection, resource=resource_name, state__in=SyncRun.SUCCEEDED_STATES)
        .exclude(watermark=None)
        .first()
    )
    since = None if full or not resource.incremental or previous is None else previous.watermark
    _release_abandoned(connection, resource_name)
    try:
        with transaction.atomic():
            run = SyncRun.objects.create(connection=connection, resource=resource_name, full=full or since is None)
    except IntegrityError:
        raise SyncAlreadyRunning(f"A sync of {resource_name} for {connection.name} is already running.") from None
    VendorConnection.objects.filter(pk=connection.pk).update(last_sync_status=VendorConnection.SyncStatus.RUNNING)
    seen: set[str] = set()
    watermark = previous.watermark if previous and since else None
    statistics = PlannerStatistics(model)
    expected: list[int] = []  # what the reader says its lists hold (`vendors.base.pagination.expect_records`)
    cancelled = False
    started = time.monotonic()
    try:
        # Every vendor call of the run ends by the run's maximum duration (a stalled or trickling vendor).
        with (
            audit_context("sync", detail=f"sync run {run.pk}"),
            call_deadline(settings.SYNC_RUN_MAX_SECONDS),
            collect_problems() as problems,
            expected_records_to(expected.append),
            _closing(resource.pages(provider.client(connection), connection, since)) as pages,
        ):
            for page in map(Page.of, pages):
                # A page, what it includes and the run's count of it commit together: one commit a page.
                with transaction.atomic():
                    run.failed += store_included(connection, page.included)
                    mapped, failed = _mapped(resource.map, page.records)  # after the includes: links see them
                    run.failed += failed
                    counts = apply_page(model, connection, mapped)
                    run.archived += _archive_deleted(model, connection, page.deleted)
                    run.pages += 1
                    run.created += counts.created
                    run.updated += counts.updated
                    run.unchanged += counts.unchanged
                    run.expected_total = sum(expected) if expected else None
                    _note_warnings(run, problems)
                    run.save(update_fields=[*PROGRESS_FIELDS, "expected_total"])
                statistics.grew(counts.created)
                seen.update(record.external_id for record in mapped)
                times = [r.vendor_updated_at for r in mapped if r.vendor_updated_at]
                if times:
                    watermark = max([*times, watermark] if watermark else times)
                if on_page:
                    on_page(run)
                if cancelled := _cancel_requested(run):
                    break
            if run.full and not cancelled:
                run.archived += _archive_vanished(model, connection, seen)
    except Exception as exc:
        run.state, run.error = SyncRun.State.FAILED, str(exc)[:5000]
        run.error_body = getattr(exc, "raw_body", "")
        if time.monotonic() - started >= settings.SYNC_RUN_MAX_SECONDS:
            run.error = f"Stopped at the sync run's maximum duration ({settings.SYNC_RUN_MAX_SECONDS:g} s): {exc}"
    else:
        run.state = _finished_state(run, cancelled=cancelled)
    return _finish(run, connection, since if cancelled else watermark)


def _finish(run: SyncRun, connection: VendorConnection, watermark: dt.datetime | None) -> SyncRun:
    """Record the end of a run on it and its connection. A cancelled run keeps the watermark it started from
    (some vendors page newest first: what it did not read must be read next time) and the connection's status."""
    run.watermark = watermark
    run.finished_at = timezone.now()
    run.save(update_fields=[*PROGRESS_FIELDS, "archived", "state", "error", "error_body", "watermark", "finished_at"])
    if run.state == SyncRun.State.CANCELLED:  # nothing new is known about the connection: its status is kept
        VendorConnection.objects.filter(pk=connection.pk).update(last_sync_status=connection.last_sync_status)
        return run
    VendorConnection.objects.filter(pk=connection.pk).update(
        last_sync_status=VendorConnection.SyncStatus.OK
        if run.state in SyncRun.SUCCEEDED_STATES
        else VendorConnection.SyncStatus.FAILED,
        last_sync_at=run.finished_at,
        last_sync_error=run.error,
    )
    return run


PROGRESS_FIELDS = ("pages", "created", "updated", "unchanged", "archived", "failed", "warned", "warnings")


def _finished_state(run: SyncRun, *, cancelled: bool) -> str:
    if cancelled:
        return SyncRun.State.CANCELLED
    return SyncRun.State.SUCCEEDED_WITH_WARNINGS if run.warned else SyncRun.State.SUCCEEDED


def request_cancel(run_id: int, user) -> bool:
    """Ask a running run to stop after the page it is writing; False if it already ended (or was asked)."""
    return bool(
        SyncRun.objects.filter(pk=run_id, state=SyncRun.State.RUNNING, cancel_requested_at=None).update(
            cancel_requested_at=timezone.now(), cancelled_by=user
        )
    )


def _cancel_requested(run: SyncRun) -> bool:
    """Read between pages (one small query): the flag is set by another process."""
    run.refresh_from_db(fields=["cancel_requested_at", "cancelled_by"])
    return run.cancel_requested_at is not None


@contextlib.contextmanager
def _closing(pages: Iterable[Page | Sequence[Any]]) -> Iterator[Iterator[Page | Sequence[Any]]]:
    """A run that stops early closes its page iterator, so a prefetching reader stops fetching too."""
    iterator = iter(pages)
    try:
        yield iterator
    finally:
        close = getattr(iterator, "close", None)
        if close is not None:
            close()


def _note_warnings(run: SyncRun, problems: list[dict]) -> None:
    """The run's records with unreadable values so far: each record once (its last report), the first
    `SyncRun.WARNINGS_KEPT` kept for the page, all counted."""
    by_record = {(problem["model"], problem["pk"]): problem for problem in problems}
    run.warned = len(by_record)
    run.warnings = list(by_record.values())[: SyncRun.WARNINGS_KEPT]


class PlannerStatistics:
    """Keeps PostgreSQL's statistics of a table that a first sync fills up to date, as its docs advise for bulk
    loads ("Populating a Database": run ANALYZE afterwards).

    Each page looks its records up by `(connection, external_id)`. Against a table that grew since it was last
    analyzed (autovacuum analyzes late or, on our test servers, never) the planner believes the table is tiny,
    scans every row of the connection per page, and a 50,000-record sync slows down as it goes (issue 4). So
    each time the run has created as many rows as the table held at its last ANALYZE (at least 1,000), the two
    lookup columns are analyzed again: a handful of ~0.1 s ANALYZEs over a 50,000-record first sync.
    """

    def __init__(self, model: type[models.Model]) -> None:
        self.db = connections[router.db_for_write(model)]
        quote, meta = self.db.ops.quote_name, model._meta
        self.table = quote(meta.db_table)
        self.columns = ", ".join(quote(meta.get_field(name).column) for name in ("connection", "external_id"))
        self.known: float | None = None  # read when a page first creates rows: an unchanged run asks nothing
        self.pending = 0

    def grew(self, created: int) -> None:
        if not created or self.db.vendor != "postgresql":
            return
        if self.known is None:
            self.known = self._rows()
        self.pending += created
        if self.pending >= max(1000, self.known):
            with self.db.cursor() as cursor:
                cursor.execute(f"ANALYZE {self.table} ({self.columns})")
            self.known, self.pending = self._rows(), 0

    def _rows(self) -> float:
        with self.db.cursor() as cursor:
            cursor.execute("SELECT reltuples FROM pg_class WHERE oid = %s::regclass", [self.table])
            return max(cursor.fetchone()[0], 0)


def _release_abandoned(connection: VendorConnection, resource_name: str) -> None:
    """A run still `running` after the task hard time limit belonged to a killed worker: free its lock."""
    cutoff = timezone.now() - dt.timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT)
    SyncRun.objects.filter(
        connection=connection, resource=resource_name, state=SyncRun.State.RUNNING, started_at__lt=cutoff
    ).update(state=SyncRun.State.FAILED, finished_at=timezone.now(), error="Abandoned: the worker running it stopped.")


def _archive_deleted(model: type[models.Model], connection: VendorConnection, external_ids: Sequence[str]) -> int:
    """What a page lists as deleted is archived at once, never deleted (history stays)."""
    if not external_ids:
        return 0
    live = model.objects.filter(connection=connection, external_id__in=list(external_ids), archived_at=None)
    return live.update(archived_at=timezone.now())


def _archive_vanished(model: type[models.Model], connection: VendorConnection, seen: set[str]) -> int:
    """Full runs only: what the vendor no longer lists is archived, never deleted (history stays)."""
    current = model.objects.filter(connection=connection, archived_at=None).exclude(external_id="")
    vanished = [
        pk for pk, external_id in current.values_list("pk", "external_id").iterator() if external_id not in seen
    ]
    for start in range(0, len(vanished), 1000):
        model.objects.filter(pk__in=vanished[start : start + 1000]).update(archived_at=timezone.now())
    return len(vanished)
