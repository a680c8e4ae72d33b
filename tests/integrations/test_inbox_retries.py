"""A webhook event's retries belong to its row: a failed attempt sets `next_attempt_at`, the drain takes the event
again once due, and beat's sweep drains an overdue event whether tried or not, so a retry whose scheduled message
was lost (the worker holding its countdown killed, the broker emptied) is applied seconds later, not in an hour."""

from __future__ import annotations

import datetime as dt
import json

import psycopg
import pytest
import redis
from django.conf import settings
from django.db import connection as db
from django.utils import timezone

from portal.integrations import tasks
from portal.integrations.inbox_drain import drain_queued
from portal.integrations.models import WebhookEvent
from tests.shifts.factories import ShiftRequestFactory
from tests.support import processes
from tests.support.processes import CeleryWorkerProcess, purge_broker, wait_until
from tests.vendors.intelycare.fixtures import event


def failed_once(connection, shift) -> WebhookEvent:
    """A queued Accepted whose first attempt failed (its professional missing), tried by the drain in-process."""
    stored = WebhookEvent.objects.create(
        connection=connection,
        vendor="intelycare",
        state="queued",
        dedupe_key="sha256:retried",
        occurred_at=dt.datetime(2024, 1, 17, 15, tzinfo=dt.UTC),
        body=json.dumps({"externalShiftId": shift.external_shift_id, "shiftStatus": "Accepted"}),
    )
    assert drain_queued(batch_size=10, max_batches=1)["failed"] == 1
    stored.refresh_from_db()
    assert (stored.state, stored.attempts) == ("queued", 1) and stored.next_attempt_at is not None
    return stored


@pytest.mark.django_db
def test_the_sweep_drains_a_tried_event_once_its_retry_is_overdue(intelycare, monkeypatch, settings):
    settings.WEBHOOK_SWEEP_AFTER_SECONDS = 10
    kicked = []
    monkeypatch.setattr(tasks.drain_webhook_inbox, "delay", lambda: kicked.append(True))
    stored = failed_once(intelycare, ShiftRequestFactory(connection=intelycare))
    # Received long ago, but its retry is not overdue: the drain queued for it will come.
    WebhookEvent.objects.filter(pk=stored.pk).update(received_at=timezone.now() - dt.timedelta(hours=1))
    assert tasks.sweep_webhook_inbox() is False and kicked == []

    overdue = timezone.now() - dt.timedelta(seconds=11)
    WebhookEvent.objects.filter(pk=stored.pk).update(next_attempt_at=overdue)
    assert tasks.sweep_webhook_inbox() is True and kicked == [True]


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_retry_whose_scheduled_drain_was_lost_is_applied_after_the_sweep(intelycare, broker_to_ourselves):
    purge_broker()
    shift = ShiftRequestFactory(connection=intelycare)
    stored = failed_once(intelycare, shift)
    broker = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    assert broker.llen("webhooks") == 1, "the failure queued a drain for its retry"
    purge_broker()  # lost, as with a worker SIGKILLed while it held the countdown
    assert broker.llen("webhooks") == 0

    # The cause goes away (a deadlock's would by the next try), and the retry's time passes.
    WebhookEvent.objects.filter(pk=stored.pk).update(
        body=json.dumps(event(shift, "Accepted", "2024-01-17T15:00:00")),
        next_attempt_at=timezone.now() - dt.timedelta(seconds=settings.WEBHOOK_SWEEP_AFTER_SECONDS + 1),
    )
    worker = CeleryWorkerProcess().start()
    try:
        # This process plays beat: the sweep finds the overdue retry and kicks a drain the worker runs.
        def applied_after_sweeping() -> bool:
            tasks.sweep_webhook_inbox()
            return WebhookEvent.objects.get(pk=stored.pk).state != "queued"

        wait_until(applied_after_sweeping, timeout=30, interval=1.0, message="the retried event applied")
    finally:
        worker.stop()
    stored.refresh_from_db()
    assert (stored.state, stored.attempts, stored.error) == ("processed", 2, "")
    shift.refresh_from_db()
    assert shift.status == "filled"


@pytest.mark.django_db(transaction=True)
def test_an_attempt_that_lost_its_shifts_lock_is_retried_even_past_the_last_attempt(intelycare, settings):
    shift = ShiftRequestFactory(connection=intelycare)
    stored = failed_once(intelycare, shift)
    settings.WEBHOOK_MAX_ATTEMPTS = 2  # any other failure of the next attempt would park it
    WebhookEvent.objects.filter(pk=stored.pk).update(
        body=json.dumps(event(shift, "Accepted", "2024-01-17T15:00:00")), next_attempt_at=None
    )
    url = processes.test_database_url().replace("postgres://", "postgresql://")
    with psycopg.connect(url) as other, other.transaction():  # another drain folding the same shift
        other.execute("SELECT 1 FROM shifts_shiftrequest WHERE id = %s FOR UPDATE", [shift.pk])
        with db.cursor() as cursor:
            cursor.execute("SET lock_timeout = '200ms'")
        try:
            assert drain_queued(batch_size=10, max_batches=1)["failed"] == 1
        finally:
            with db.cursor() as cursor:
                cursor.execute("RESET lock_timeout")
    stored.refresh_from_db()
    assert (stored.state, stored.attempts) == ("queued", 2), "losing a lock never parks an event"
    assert "lock" in stored.error and stored.next_attempt_at is not None
