"""The inbox's group commit: concurrent deliveries of one process share a statement, each is stored once with its
own id, duplicates (within a batch and across batches) are recorded and applied once, a failing batch falls back
to one row at a time, and a lone delivery or a long wait takes the single-row path.

Threads need real commits, so these tests run outside a test transaction. A batch is made deterministic by
holding the group busy (as a statement in flight would) until every thread has queued its row."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pytest
from django.db import connections
from django.test import Client

from portal.integrations import inbox, inbox_writer
from portal.integrations.inbox_drain import drain_queued
from portal.integrations.inbox_writer import store_queued
from portal.integrations.models import WebhookEvent
from tests.support.fake_vendor import NAME, event, post
from tests.support.processes import wait_until

pytestmark = pytest.mark.django_db(transaction=True)

AT, LATER = "2024-01-17T15:00:00Z", "2024-01-17T15:01:00Z"


@pytest.fixture
def batches(monkeypatch) -> list[int]:
    """The size of every statement the writer runs; no drain kicks (nothing here wants a worker)."""
    sizes: list[int] = []
    real = inbox_writer._insert_rows

    def counted(db, events):
        sizes.append(len(events))
        return real(db, events)

    monkeypatch.setattr(inbox_writer, "_insert_rows", counted)
    monkeypatch.setattr(inbox, "kick", lambda: None)
    return sizes


def in_threads(calls: list[Callable]) -> list:
    """Run each call in its own thread (own database connection); returns each result or the exception it raised."""
    results: list = [None] * len(calls)

    def run(n: int) -> None:
        try:
            results[n] = calls[n]()
        except Exception as exc:
            results[n] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(n,)) for n in range(len(calls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


@contextmanager
def one_batch(expected: int) -> Iterator[None]:
    """Hold the group busy, as a statement in flight would, until `expected` rows are queued; then let them go."""
    group = inbox_writer._group
    with group._changed:
        group._busy = True
    try:
        yield
    finally:
        wait_until(lambda: len(group._queue) >= expected, timeout=10, interval=0.005, message=f"{expected} rows queued")
        with group._changed:
            group._busy = False
            group._changed.notify_all()


def together(calls: list[Callable]) -> list:
    """`in_threads`, with every call's row queued before the first statement runs."""
    results: list = []
    runner = threading.Thread(target=lambda: results.extend(in_threads(calls)))
    with one_batch(len(calls)):
        runner.start()
    runner.join(timeout=30)
    return results


def deliver_together(connection, payloads: list[dict]) -> list:
    """POST every payload from its own thread (Django's test client), as one batch."""
    return together([lambda payload=payload: post(Client(), connection, payload) for payload in payloads])


def test_concurrent_deliveries_share_one_statement_and_each_gets_its_own_row(fake_connection, batches):
    subjects = [f"thing:{n}" for n in range(6)]
    responses = deliver_together(fake_connection, [event(subject, "changed", AT) for subject in subjects])

    assert batches == [6], "one INSERT and one commit for the six"
    assert [response.status_code for response in responses] == [202] * 6
    ids = [response.json()["id"] for response in responses]
    assert len(set(ids)) == 6
    stored = WebhookEvent.objects.in_bulk(ids)
    for subject, pk in zip(subjects, ids, strict=True):
        assert stored[pk].state == "queued" and f'"{subject}"' in stored[pk].body, "each answer names its row"


def test_a_duplicate_within_a_batch_and_across_batches_is_recorded_and_applied_once(fake_connection, batches):
    earlier = event("thing:first", "changed", AT)
    original = post(Client(), fake_connection, earlier).json()["id"]
    later = event("thing:second", "changed", LATER)

    responses = deliver_together(fake_connection, [earlier, later, later])

    assert batches == [1, 3]
    codes = sorted((response.status_code, response.json()["state"]) for response in responses)
    assert codes == [(200, "duplicate"), (200, "duplicate"), (202, "queued")]
    stored_later = WebhookEvent.objects.get(state="queued", body__contains="thing:second")
    duplicates = WebhookEvent.objects.filter(state="duplicate")
    assert sorted(duplicates.values_list("duplicate_of", flat=True)) == sorted([original, stored_later.pk])
    assert drain_queued(batch_size=10, max_batches=5) == {"applied": 2, "failed": 0, "more": False}
    assert set(duplicates.values_list("state", flat=True)) == {"duplicate"}, "duplicates are never applied"


def test_a_failing_batch_stores_every_good_row_on_its_own(fake_connection, batches):
    rows = [
        WebhookEvent(connection=fake_connection, vendor=NAME, state="queued", dedupe_key=f"id:{n}", body="{}")
        for n in range(4)
    ]
    rows[2].body = "\x00"  # PostgreSQL refuses NUL in text: this row fails, in the batch and alone

    results = together([lambda row=row: store_queued(row) for row in rows])

    assert batches == [4, 1, 1, 1, 1], "the batch failed, then each row alone"
    assert [results[n] for n in (0, 1, 3)] == [True, True, True]
    assert isinstance(results[2], Exception)
    stored = dict(WebhookEvent.objects.values_list("dedupe_key", "pk"))
    assert stored == {f"id:{n}": rows[n].pk for n in (0, 1, 3)}


def test_a_lone_delivery_is_a_batch_of_one_statement(fake_connection, batches, django_assert_num_queries):
    post(Client(), fake_connection, event("thing:1", "created", AT))  # the connection is cached
    with django_assert_num_queries(1):
        response = post(Client(), fake_connection, event("thing:1", "changed", LATER))
    assert response.status_code == 202 and batches == [1, 1]
    assert WebhookEvent.objects.get(pk=response.json()["id"]).state == "queued"
    assert not inbox_writer._group._busy and inbox_writer._group._queue == []


def test_a_row_that_waits_too_long_for_a_batch_is_stored_alone(fake_connection, batches, monkeypatch):
    monkeypatch.setattr(inbox_writer, "QUEUE_WAIT_SECONDS", 0.05)
    row = WebhookEvent(connection=fake_connection, vendor=NAME, state="queued", dedupe_key="id:late", body="{}")
    group = inbox_writer._group
    with group._changed:
        group._busy = True  # a statement that never ends
    try:
        assert in_threads([lambda: store_queued(row)]) == [True]
    finally:
        with group._changed:
            group._busy = False
    assert batches == [1] and group._queue == []
    assert WebhookEvent.objects.get(dedupe_key="id:late").pk == row.pk
