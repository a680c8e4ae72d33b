"""The inbox's fast path and its drain, without a worker, on the neutral fake vendor: one query per delivery, the
connection cache's bound staleness, a dead database connection replaced, events applied in the vendor's order and
exactly once, a failing event set aside without holding back the others, and the sweep's test for stranded events.
What a vendor's handler makes of a drained burst is that vendor's test (tests/vendors/intelycare/test_webhooks.py)."""

from __future__ import annotations

import datetime as dt
import time

import psycopg
import pytest
from django.db import connection as db
from django.utils import timezone

from portal.integrations import tasks, webhook_connections
from portal.integrations.inbox_drain import drain_queued, stranded
from portal.integrations.models import WebhookEvent
from tests.support import processes
from tests.support.fake_vendor import HALF_APPLIED, REFUSED, burst
from tests.support.fake_vendor import event as fake_event
from tests.support.fake_vendor import post as fake_post

pytestmark = pytest.mark.django_db


def test_the_drain_applies_a_burst_in_the_vendors_order_exactly_once(client, fake_connection):
    in_vendor_order = burst(client, fake_connection, ["thing:1", "thing:2"])

    result = drain_queued(batch_size=4, max_batches=10)
    assert result == {"applied": 6, "failed": 0, "more": False}
    applied = WebhookEvent.objects.order_by("processed_at", "pk")
    assert list(applied.values_list("pk", flat=True)) == in_vendor_order
    assert set(applied.values_list("state", "outcome", "attempts")) == {("processed", "recorded", 1)}
    assert drain_queued(batch_size=4, max_batches=10) == {"applied": 0, "failed": 0, "more": False}


def test_a_drain_stops_after_its_batches_and_says_more_is_left(client, fake_connection):
    burst(client, fake_connection, ["thing:1"])
    assert drain_queued(batch_size=1, max_batches=2) == {"applied": 2, "failed": 0, "more": True}
    assert drain_queued(batch_size=1, max_batches=2) == {"applied": 1, "failed": 0, "more": False}


def test_a_failing_event_is_set_aside_for_its_retry_and_the_others_are_applied(
    client, fake_connection, django_capture_on_commit_callbacks, time_machine
):
    time_machine.move_to(timezone.now(), tick=False)
    first, refused, last = (
        fake_post(client, fake_connection, fake_event("thing:1", event_type, f"2024-01-17T15:0{minute}:00Z")).json()[
            "id"
        ]
        for minute, event_type in enumerate(["created", REFUSED, "changed"])
    )

    with django_capture_on_commit_callbacks() as callbacks:
        assert drain_queued(batch_size=10, max_batches=1) == {"applied": 2, "failed": 1, "more": False}
    assert len(callbacks) == 1, "a drain is queued for the failed event's retry"
    states = dict(WebhookEvent.objects.values_list("pk", "state"))
    assert (states[first], states[refused], states[last]) == ("processed", "queued", "processed")
    failed = WebhookEvent.objects.get(pk=refused)
    assert failed.attempts == 1 and "the fake vendor refuses this event" in failed.error
    assert failed.outcome != HALF_APPLIED, "the failure rolled back its own half-applied work"
    assert timezone.now() <= failed.next_attempt_at <= timezone.now() + dt.timedelta(seconds=2)
    assert drain_queued(batch_size=10, max_batches=1)["failed"] == 0, "not tried again before its time"

    time_machine.move_to(failed.next_attempt_at + dt.timedelta(milliseconds=1))
    assert drain_queued(batch_size=10, max_batches=1) == {"applied": 0, "failed": 1, "more": False}, "due: tried"
    assert WebhookEvent.objects.get(pk=refused).attempts == 2


def deliver(client, connection, minute: int):
    """One signed event of the neutral fake vendor, at 15:`minute` (the same minute again is a duplicate)."""
    return fake_post(client, connection, fake_event("thing:1", "changed", f"2024-01-17T15:{minute:02d}:00Z"))


def test_the_sweep_drains_only_when_an_event_waited_too_long(client, fake_connection, monkeypatch, settings):
    settings.WEBHOOK_SWEEP_AFTER_SECONDS = 10
    kicked = []
    monkeypatch.setattr(tasks.drain_webhook_inbox, "delay", lambda: kicked.append(True))
    stored = deliver(client, fake_connection, minute=0).json()["id"]
    assert not stranded(dt.timedelta(seconds=10))
    assert tasks.sweep_webhook_inbox() is False and kicked == []

    WebhookEvent.objects.filter(pk=stored).update(received_at=timezone.now() - dt.timedelta(seconds=11))
    assert tasks.sweep_webhook_inbox() is True and kicked == [True]


def test_a_delivery_costs_one_statement_once_the_connection_is_known(
    client, fake_connection, django_assert_num_queries, django_capture_on_commit_callbacks
):
    deliver(client, fake_connection, minute=0)
    with django_assert_num_queries(1), django_capture_on_commit_callbacks() as callbacks:
        response = deliver(client, fake_connection, minute=1)
    assert response.status_code == 202 and len(callbacks) == 1, "stored, and the drain kicked after the commit"
    with django_assert_num_queries(3):  # the INSERT that meets the key, the original, the duplicate's row
        assert deliver(client, fake_connection, minute=1).status_code == 200


def test_a_connection_deactivated_elsewhere_is_refused_once_the_cache_expires(
    client, fake_connection, settings, monkeypatch
):
    settings.WEBHOOK_CONNECTION_CACHE_SECONDS = 0.3
    assert deliver(client, fake_connection, minute=0).status_code == 202
    # Another process deactivates it: no signal reaches this one.
    type(fake_connection).objects.filter(pk=fake_connection.pk).update(is_active=False)
    assert deliver(client, fake_connection, minute=1).status_code == 202
    later = time.monotonic() + 0.35
    monkeypatch.setattr(webhook_connections, "clock", lambda: later)
    assert deliver(client, fake_connection, minute=2).status_code == 404


def test_a_connection_changed_in_this_process_is_seen_at_once(client, fake_connection, settings):
    settings.WEBHOOK_CONNECTION_CACHE_SECONDS = 60
    assert deliver(client, fake_connection, minute=0).status_code == 202
    fake_connection.is_active = False
    fake_connection.save()
    assert deliver(client, fake_connection, minute=1).status_code == 404


@pytest.mark.django_db(transaction=True)
def test_a_dead_database_connection_is_replaced_and_the_delivery_stored(client, fake_connection):
    assert deliver(client, fake_connection, minute=0).status_code == 202
    backend = db.connection.info.backend_pid
    url = processes.test_database_url().replace("postgres://", "postgresql://")
    with psycopg.connect(url, autocommit=True) as other:  # as a database restart would
        other.execute("SELECT pg_terminate_backend(%s)", [backend])

    response = deliver(client, fake_connection, minute=1)
    assert response.status_code == 202
    assert db.connection.info.backend_pid != backend
    assert WebhookEvent.objects.filter(state="queued").count() == 2


def test_beat_runs_the_sweep_more_often_than_an_event_may_wait(settings):
    from portal.celery import app

    entry = settings.CELERY_BEAT_SCHEDULE["webhook-inbox-sweep"]
    assert entry["task"] in app.tasks
    assert entry["schedule"] < settings.WEBHOOK_SWEEP_AFTER_SECONDS
