"""The inbox's group commit: concurrent deliveries of one process share a statement, each is stored once with its
own id, duplicates (within a batch and across batches) are recorded and applied once, a failing batch falls back
to one row at a time, and a lone delivery or a long wait takes the single-row path.

Threads need real commits, so these tests run outside a test transaction. They see the writer only from outside:
its statements through Django's `execute_wrapper`, and a batch made deterministic by holding one row's INSERT in
flight (as a slow statement would) until every other call has queued its row behind it."""

from __future__ import annotations

import logging
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from itertools import count

import pytest
from django.db import connections
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from portal.integrations import inbox, inbox_writer
from portal.integrations.inbox_drain import drain_queued
from portal.integrations.inbox_writer import store_queued
from portal.integrations.models import WebhookEvent
from tests.support.fake_vendor import NAME, event, post
from tests.support.processes import wait_until

pytestmark = pytest.mark.django_db(transaction=True)

AT, LATER = "2024-01-17T15:00:00Z", "2024-01-17T15:01:00Z"
INSERT = f'INSERT INTO "{WebhookEvent._meta.db_table}"'


@pytest.fixture
def batches(monkeypatch) -> list[int]:
    """The rows in each of the writer's statements, in order; no drain kicks (nothing here wants a worker)."""
    monkeypatch.setattr(inbox, "kick", lambda: None)
    return []


def counting(sizes: list[int]) -> Callable:
    def wrapper(execute, sql, params, many, context):
        if sql.startswith(INSERT) and "ON CONFLICT DO NOTHING" in sql:  # the writer's, not a duplicate's save()
            sizes.append(sql.count("(%s"))
        return execute(sql, params, many, context)

    return wrapper


class Threaded:
    """A call in its own thread (own database connection), its statements counted; `join()` returns its value or the
    exception it raised."""

    def __init__(self, call: Callable, sizes: list[int], hold: Callable | None = None) -> None:
        self.result = None
        self.thread = threading.Thread(target=self._run, args=(call, sizes, hold))
        self.thread.start()

    def _run(self, call: Callable, sizes: list[int], hold: Callable | None) -> None:
        db = connections["default"]
        try:
            with db.execute_wrapper(counting(sizes)), db.execute_wrapper(hold) if hold else nullcontext():
                self.result = call()
        except Exception as exc:
            self.result = exc
        finally:
            connections.close_all()

    def join(self):
        self.thread.join(timeout=30)
        return self.result


def in_threads(calls: list[Callable], sizes: list[int]) -> list:
    return [thread.join() for thread in [Threaded(call, sizes) for call in calls]]


@contextmanager
def statement_in_flight(connection, sizes: list[int]) -> Iterator[Threaded]:
    """An already-processed row whose INSERT the writer has sent and PostgreSQL not yet answered, until exit."""
    sent, answer = threading.Event(), threading.Event()

    def hold(execute, sql, params, many, context):
        sent.set()
        answer.wait(timeout=30)
        return execute(sql, params, many, context)

    row = WebhookEvent(connection=connection, vendor=NAME, state="processed", dedupe_key="id:in-flight", body="{}")
    plug = Threaded(lambda: store_queued(row), sizes, hold)
    assert sent.wait(timeout=30), "the held statement was sent"
    try:
        yield plug
    finally:
        answer.set()
        assert plug.join() is True


def together(connection, calls: list[Callable], sizes: list[int]) -> list:
    """Every call in its own thread, each row queued behind a statement in flight, then stored together.

    A thread says it is about to store just before its call. With a long switch interval, Python hands over from
    a running thread only where it blocks, and `store_queued` blocks first once its row is queued: so once every
    thread has said so, every row is queued, and the held statement is answered. (A request through the receiver
    may block before it reaches the writer; its row may then miss the batch.)"""
    arrived: list[int] = []
    with statement_in_flight(connection, sizes):
        interval = sys.getswitchinterval()
        sys.setswitchinterval(60)
        try:
            threads = [Threaded(lambda call=call: arrived.append(1) or call(), sizes) for call in calls]
            wait_until(lambda: len(arrived) == len(calls), timeout=30, interval=0.005, message="every call queued")
        finally:
            sys.setswitchinterval(interval)
    return [thread.join() for thread in threads]


def deliver_together(connection, payloads: list[dict], sizes: list[int]) -> list:
    """POST every payload from its own thread (Django's test client), behind one statement in flight."""
    return together(
        connection, [lambda payload=payload: post(Client(), connection, payload) for payload in payloads], sizes
    )


def test_concurrent_deliveries_share_one_statement_and_each_gets_its_own_row(fake_connection, batches):
    post(Client(), fake_connection, event("thing:known", "created", AT))  # the connection is cached
    subjects = [f"thing:{n}" for n in range(6)]
    responses = deliver_together(fake_connection, [event(subject, "changed", AT) for subject in subjects], batches)

    # Behind the statement in flight, the six share statements (one, unless a request thread was still on its way
    # when the statement was answered: the receiver may block before it reaches the writer).
    assert batches[0] == 1 and sum(batches[1:]) == 6 and len(batches[1:]) < 6, batches
    assert [response.status_code for response in responses] == [202] * 6
    ids = [response.json()["id"] for response in responses]
    assert len(set(ids)) == 6
    stored = WebhookEvent.objects.in_bulk(ids)
    for subject, pk in zip(subjects, ids, strict=True):
        assert stored[pk].state == "queued" and f'"{subject}"' in stored[pk].body, "each answer names its row"


def test_a_duplicate_delivered_at_once_or_later_is_recorded_and_applied_once(
    fake_connection, batches, broker_to_ourselves
):
    """The session's shared worker steps aside: its rows are committed here, and a drain message left by an earlier
    test would claim one (and fail it: that worker has no fake vendor) before this test drains them."""
    earlier = event("thing:first", "changed", AT)
    with connections["default"].execute_wrapper(counting(batches)):
        original = post(Client(), fake_connection, earlier).json()["id"]
    later = event("thing:second", "changed", LATER)

    responses = deliver_together(fake_connection, [earlier, later, later], batches)

    codes = sorted((response.status_code, response.json()["state"]) for response in responses)
    assert codes == [(200, "duplicate"), (200, "duplicate"), (202, "queued")]
    stored_later = WebhookEvent.objects.get(state="queued", body__contains="thing:second")
    duplicates = WebhookEvent.objects.filter(state="duplicate")
    assert sorted(duplicates.values_list("duplicate_of", flat=True)) == sorted([original, stored_later.pk])
    assert drain_queued(batch_size=10, max_batches=5) == {"applied": 2, "failed": 0, "more": False}
    assert set(duplicates.values_list("state", flat=True)) == {"duplicate"}, "duplicates are never applied"


def test_a_key_repeated_within_one_batch_is_sent_once_and_stored_once(fake_connection, batches):
    rows = [
        WebhookEvent(connection=fake_connection, vendor=NAME, state="queued", dedupe_key="id:same", body=f'"{n}"')
        for n in range(3)
    ]

    results = together(fake_connection, [lambda row=row: store_queued(row) for row in rows], batches)

    assert batches == [1, 1], "behind the statement in flight, one statement holding the key once"
    assert sorted(results) == [False, False, True]
    [stored] = WebhookEvent.objects.filter(dedupe_key="id:same")
    assert stored.pk == rows[results.index(True)].pk


def test_a_failing_batch_stores_every_good_row_on_its_own(fake_connection, batches):
    rows = [
        WebhookEvent(connection=fake_connection, vendor=NAME, state="queued", dedupe_key=f"id:{n}", body="{}")
        for n in range(4)
    ]
    rows[2].body = "\x00"  # PostgreSQL refuses NUL in text: this row fails, in the batch and alone

    results = together(fake_connection, [lambda row=row: store_queued(row) for row in rows], batches)

    assert batches == [1, 4, 1, 1, 1, 1], "behind the statement in flight, the batch failed, then each row alone"
    assert [results[n] for n in (0, 1, 3)] == [True, True, True]
    assert isinstance(results[2], Exception)
    stored = dict(WebhookEvent.objects.filter(state="queued").values_list("dedupe_key", "pk"))
    assert stored == {f"id:{n}": rows[n].pk for n in (0, 1, 3)}


def test_a_lone_delivery_is_a_batch_of_one_statement(
    fake_connection, batches, django_assert_num_queries, monkeypatch, caplog
):
    with connections["default"].execute_wrapper(counting(batches)):
        post(Client(), fake_connection, event("thing:1", "created", AT))  # the connection is cached
        with django_assert_num_queries(1):
            response = post(Client(), fake_connection, event("thing:1", "changed", LATER))
    assert response.status_code == 202 and batches == [1, 1]
    assert WebhookEvent.objects.get(pk=response.json()["id"]).state == "queued"
    # Nothing is left held: a row that may not wait at all still leads its own statement rather than going alone.
    monkeypatch.setattr(inbox_writer, "QUEUE_WAIT_SECONDS", 0)
    row = WebhookEvent(connection=fake_connection, vendor=NAME, state="queued", dedupe_key="id:next", body="{}")
    with caplog.at_level(logging.WARNING, logger=inbox_writer.__name__):
        assert in_threads([lambda: store_queued(row)], batches) == [True]
    assert batches == [1, 1, 1] and not caplog.records


def test_a_row_that_waits_too_long_for_a_batch_is_stored_alone(fake_connection, batches, monkeypatch, caplog):
    monkeypatch.setattr(inbox_writer, "QUEUE_WAIT_SECONDS", 0.05)
    row = WebhookEvent(connection=fake_connection, vendor=NAME, state="queued", dedupe_key="id:late", body="{}")
    with statement_in_flight(fake_connection, batches) as ahead, caplog.at_level(logging.WARNING):
        assert in_threads([lambda: store_queued(row)], batches) == [True]
        assert ahead.thread.is_alive(), "stored while the statement ahead of it was still in flight"
    assert batches == [1, 1]
    assert "stored alone" in caplog.text
    assert WebhookEvent.objects.get(dedupe_key="id:late").pk == row.pk


# Text PostgreSQL stores (no NUL, no lone surrogate), and the blanks the writer writes into its statement.
TEXT = st.text(st.characters(exclude_categories=("Cs",), exclude_characters="\x00"), max_size=12)
TEXT_OR_BLANK = TEXT | st.sampled_from(["", "[]", "{}", "0"])
ADDRESSES = st.none() | st.ip_addresses().map(str) | st.sampled_from(["2001:0db8:0000::0001", "::ffff:10.0.0.1"])
COMPARED = [f.attname for f in WebhookEvent._meta.concrete_fields if f.name not in ("id", "dedupe_key", "received_at")]
_keys = count()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    headers=st.dictionaries(TEXT, TEXT_OR_BLANK, max_size=3),
    body=TEXT_OR_BLANK,
    remote_addr=ADDRESSES,
    outcome=TEXT_OR_BLANK,
    subject=TEXT_OR_BLANK,
    attempts=st.integers(0, 3),
    state=st.sampled_from([WebhookEvent.State.QUEUED, "queued"]),  # the receiver's is a choice, not its text
    warnings=st.lists(TEXT_OR_BLANK | st.dictionaries(TEXT, st.integers() | st.none(), max_size=2), max_size=2),
)
def test_the_writers_row_reads_back_as_save_would_have_stored_it(fake_connection, batches, **values):
    """The writer binds some values as they are (a choice as its text), writes JSON with orjson and blanks into
    the statement itself."""
    written, saved = (
        WebhookEvent(connection=fake_connection, vendor=NAME, dedupe_key=f"id:{next(_keys)}", **values)
        for _ in range(2)
    )
    assert store_queued(written) is True
    saved.save()

    rows = WebhookEvent.objects.in_bulk([written.pk, saved.pk])
    assert rows[written.pk].received_at is not None
    assert {name: getattr(rows[written.pk], name) for name in COMPARED} == {
        name: getattr(rows[saved.pk], name) for name in COMPARED
    }
