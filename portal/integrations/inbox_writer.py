"""Storing queued webhook events: one `INSERT ... ON CONFLICT DO NOTHING`, shared by the request threads of a process.

Issue 4: under load, the receiver's own cost was one INSERT and its commit per request (a psycopg round trip in
the web process, a commit in PostgreSQL). Request threads of one process that have a row to store at the same
moment share one statement instead, as databases group their commits: a thread appends its event to the queue;
if no statement is in flight it leads, takes everything queued and inserts it in one multi-row statement on its
own database connection; while a statement is in flight, arrivals queue and the next leader takes them all. A
lone request is a batch of one, so nothing waits at low load.

What does not change: every request answers only after its own row is committed; a delivery whose dedupe key is
already stored, or that repeats a key earlier in the same batch, is reported as a duplicate (only the batch's first
row with a key is sent, so which delivery was stored never depends on PostgreSQL's RETURNING order). If a batch
statement fails, each of its rows is stored on its own, so one bad row never takes the others down. Callers inside
a transaction, and SQLite (the demo's single writer), use the single-row path: their row must commit with them.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import InterfaceError, OperationalError, connections, models, router
from django.db.backends.base.base import BaseDatabaseWrapper

from portal.core.bulk_sql import bound_cursor, plain_type, preparer
from portal.integrations.models import WebhookEvent

__all__ = ["store_queued"]

logger = logging.getLogger(__name__)

# A queued delivery waits at most this long for the statement ahead of it before storing its row on its own.
QUEUE_WAIT_SECONDS = 2.0


def store_queued(event: WebhookEvent) -> bool:
    """Insert the event unless its (connection, dedupe key) is already stored; True (and its pk set) if inserted.

    Returns once the row is committed, or once it is part of the caller's transaction when there is one.
    """
    db = connections[router.db_for_write(WebhookEvent)]
    if db.vendor != "postgresql" or db.in_atomic_block:
        return _insert_rows(db, [event])[0]
    return _group.store(db, event)


@dataclass(eq=False)
class _Waiter:
    event: WebhookEvent
    taken: bool = False  # a leader's statement holds the row
    inserted: bool | None = None  # set by the leader; None while waiting
    alone: bool = False  # store the row on its own: the batch failed, or the wait was too long


class _GroupCommit:
    """One per process: the queue of rows to store, and whether a leader's statement is in flight."""

    def __init__(self) -> None:
        self._changed = threading.Condition()
        self._queue: list[_Waiter] = []
        self._busy = False

    def store(self, db: BaseDatabaseWrapper, event: WebhookEvent) -> bool:
        me = _Waiter(event)
        deadline = time.monotonic() + QUEUE_WAIT_SECONDS
        with self._changed:
            self._queue.append(me)
            while self._busy and me.inserted is None and not me.alone:
                left = deadline - time.monotonic()
                if left <= 0 and not me.taken:
                    self._queue.remove(me)
                    me.alone = True
                    logger.warning(
                        "webhook row waited %.1f s for the statement ahead; stored alone", QUEUE_WAIT_SECONDS
                    )
                    break
                # Once taken, the leader always answers (its `finally`); until then, wake for the deadline.
                self._changed.wait(None if me.taken else left)
            batch = []
            if me.inserted is None and not me.alone:
                self._busy = True
                batch, self._queue = self._queue, []
                for waiter in batch:
                    waiter.taken = True
        if batch:
            self._lead(db, batch)
        if me.alone:
            return _insert_rows(db, [event])[0]
        return bool(me.inserted)

    def _lead(self, db: BaseDatabaseWrapper, batch: list[_Waiter]) -> None:
        """One statement for the whole batch; every waiter is answered, or told to store alone, whatever happens."""
        inserted = None
        try:
            inserted = _insert_rows(db, [waiter.event for waiter in batch])
        except Exception:
            logger.warning("webhook batch of %d rows failed; each row is stored alone", len(batch), exc_info=True)
        finally:
            with self._changed:
                for n, waiter in enumerate(batch):
                    if inserted is None:
                        waiter.alone = True
                    else:
                        waiter.inserted = inserted[n]
                self._busy = False
                self._changed.notify_all()


_group = _GroupCommit()


def _insert_rows(db: BaseDatabaseWrapper, events: Sequence[WebhookEvent]) -> list[bool]:
    """INSERT ... ON CONFLICT DO NOTHING RETURNING: for each event, whether it was inserted (its pk then set).

    One statement that never raises on a duplicate, so outside a transaction it is its own commit: no BEGIN and
    COMMIT round trips, and no savepoint to catch an IntegrityError inside a caller's transaction. Values are
    prepared as `save()` would (`_bound`).
    """
    first_of_key: dict[tuple[int | None, str], WebhookEvent] = {}
    for event in events:
        first_of_key.setdefault((event.connection_id, event.dedupe_key), event)
    head, tail = _statement(db)
    rows, params = [], []
    for event in first_of_key.values():
        row = []
        for binding in _BINDINGS:
            value = _bound(event, *binding, db)
            # A NULL or a blank is written into the statement: binding it cost psycopg as much as any value's.
            literal = "NULL" if value is None else _LITERALS.get(value) if type(value) in (str, int) else None
            if literal is None:
                params.append(value)
            row.append(literal or "%s")
        rows.append(f"({', '.join(row)})")
    fetched = _fetch_all_reconnecting(db, f"{head}{', '.join(rows)}{tail}", params)
    stored = {(connection_id, key): pk for pk, connection_id, key in fetched}
    for key, event in first_of_key.items():
        if key in stored:
            event.pk = stored[key]
            event._state.adding, event._state.db = False, db.alias
    return [event.pk is not None and first_of_key[(event.connection_id, event.dedupe_key)] is event for event in events]


# Every column but the id, and how its value is bound (`_bound`); the statement around the rows, per database.
_BINDINGS = [
    (field.attname, field, plain_type(field), preparer(field))
    for field in WebhookEvent._meta.concrete_fields
    if not field.primary_key
]
# Blank values written into the statement as they are, typed by their column as a bound text or number would be.
_LITERALS: dict[str | int, str] = {"": "''", "[]": "'[]'", "{}": "'{}'", 0: "0"}
_STATEMENTS: dict[str, tuple[str, str]] = {}


def _statement(db: BaseDatabaseWrapper) -> tuple[str, str]:
    """The INSERT before and after its rows. Only the model's own table and column names are formatted in."""
    if db.vendor not in _STATEMENTS:
        meta, quote = WebhookEvent._meta, db.ops.quote_name
        columns = ", ".join(quote(field.column) for _, field, *_ in _BINDINGS)
        returned = ", ".join(quote(meta.get_field(name).column) for name in ("id", "connection", "dedupe_key"))
        _STATEMENTS[db.vendor] = (
            f"INSERT INTO {quote(meta.db_table)} ({columns}) VALUES ",  # noqa: S608
            f" ON CONFLICT DO NOTHING RETURNING {returned}",
        )
    return _STATEMENTS[db.vendor]


def _bound(
    event: WebhookEvent,
    attname: str,
    field: models.Field,
    as_is: type | None,
    prepared: Callable,
    db: BaseDatabaseWrapper,
) -> Any:
    """What `save()` would bind for the field: asking every field cost half of a row's preparation (issue 16
    item 8), so a value Django would send unchanged (`plain_type`), or a None, is taken as it is, and JSON is
    written by orjson (`preparer`)."""
    value = getattr(event, attname)
    if (value is None and not getattr(field, "auto_now_add", False)) or (as_is is not None and type(value) is as_is):
        return value
    return prepared(field, field.pre_save(event, add=True), db)


def _fetch_all_reconnecting(db: BaseDatabaseWrapper, sql: str, params: list) -> list[tuple]:
    """Run one statement without Django's per-request health check, reconnecting once if the connection is dead.

    With CONN_HEALTH_CHECKS, the first query of every request is preceded by a `SELECT 1` round trip: a third of
    the receiver's time under load (bench/webhook_ingest.py). Trying the statement itself finds a dead connection
    as surely; then it is closed and the statement run once more on a new one. Only outside a transaction, where
    a failed statement leaves nothing half done; a retried INSERT whose first commit did land meets its own
    dedupe keys and its rows are recorded as duplicates, applied once.
    """

    def fetch_all() -> list[tuple]:
        with bound_cursor(db) if db.vendor == "postgresql" else db.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    if db.in_atomic_block:
        return fetch_all()
    db.health_check_done = True
    try:
        return fetch_all()
    except (OperationalError, InterfaceError):
        logger.warning("webhook insert found its database connection dead; reconnecting once", exc_info=True)
        db.close()
    return fetch_all()
