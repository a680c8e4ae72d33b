"""Long waits never ride the broker (issue 15 item 6): a countdown past Redis's visibility timeout would be handed
out again early, so a vendor's 2-hour Retry-After waits on the outbox row and beat's sweep sends it once when due;
and the portal refuses to start when a configured wait or time limit reaches the visibility timeout."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from celery import current_app
from celery.signals import after_task_publish
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.test import override_settings

from portal.integrations import outbox
from portal.integrations.checks import check_broker_waits
from portal.integrations.tasks import dispatch_due_outbound, dispatch_outbound
from tests.shifts.factories import ShiftRequestFactory
from tests.support.processes import CeleryWorkerProcess, free_port
from vendors.base.sandbox import SandboxServer
from vendors.intelycare.sandbox import IntelyCareSandbox

START = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
TWO_HOURS = dt.timedelta(hours=2)


@pytest.fixture
def sandbox():
    """IntelyCare's sandbox whose 429s say `Retry-After: 7200`."""
    server = SandboxServer([IntelyCareSandbox(seed=5)], port=free_port(), retry_after=7200).start()
    yield server
    server.stop()


@pytest.fixture
def published():
    """Every dispatch message the portal really publishes to the broker, with its ETA."""
    sent: list[tuple[tuple, str | None]] = []

    def record(sender=None, headers=None, body=None, **kwargs):
        if sender == "integrations.dispatch_outbound":
            sent.append((tuple(body[0]), headers.get("eta")))

    after_task_publish.connect(record, weak=False)
    yield sent
    after_task_publish.disconnect(record)


def shift_posts(sandbox) -> list[int]:
    return [status for _, method, path, status in sandbox.requests if (method, path) == ("POST", "/v1/shifts")]


@pytest.mark.django_db
def test_a_two_hour_retry_after_waits_on_the_row_and_beat_sends_it_once_when_due(sandbox, intelycare, published):
    shift = ShiftRequestFactory()
    row = outbox.enqueue(intelycare, "create_shift", natural_key=shift.external_shift_id, related=shift)
    sandbox.add_fault("429", count=1, path="/v1/shifts")
    with time_machine.travel(START, tick=False) as clock:
        dispatch_outbound(row.pk)
        row.refresh_from_db()
        assert (row.state, row.next_attempt_at) == ("pending", START + TWO_HOURS)
        assert row.last_error == "IntelyCare is rate limiting us; try again later: Too Many Requests"
        assert published == [], "no countdown of two hours was put on the broker"

        clock.move_to(START + TWO_HOURS - dt.timedelta(seconds=1))
        assert dispatch_due_outbound() == 0
        early = outbox.dispatch(row.pk)  # a stray message (a redelivery) changes nothing either
        assert (early.state, early.detail) == ("skipped", "not due until 2026-03-02 11:00:00 UTC")
        assert shift_posts(sandbox) == [429]

        clock.move_to(START + TWO_HOURS)
        current_app.conf.task_always_eager = True
        try:
            assert dispatch_due_outbound() == 1  # beat's sweep finds it due and dispatches it
            assert dispatch_due_outbound() == 0
        finally:
            current_app.conf.task_always_eager = False
    row.refresh_from_db()
    assert row.state == "sent" and row.last_error == "" and row.last_error_body == ""
    assert shift_posts(sandbox) == [429, 200], "sent once, when due"
    assert len(sandbox.vendors["intelycare"].world.shifts) == 1


@pytest.mark.django_db
def test_a_short_wait_still_rides_the_broker_as_a_countdown(sandbox, intelycare, published, settings):
    settings.OUTBOX_BACKOFF_MAX_SECONDS = 4
    shift = ShiftRequestFactory()
    row = outbox.enqueue(intelycare, "create_shift", natural_key=shift.external_shift_id, related=shift)
    sandbox.add_fault("503", count=10, path="/v1/shifts")
    intelycare.call_deadline_seconds = 2  # the client's own retries give up quickly
    intelycare.save()
    dispatch_outbound(row.pk)
    row.refresh_from_db()
    assert row.state == "pending" and row.next_attempt_at is not None
    [(args, eta)] = published
    assert args == (row.pk,) and eta is not None
    assert dt.datetime.fromisoformat(eta) >= row.next_attempt_at, "the message is not due before the row"


def errors(**overrides) -> list[str]:
    with override_settings(**overrides):
        return [message.obj for message in check_broker_waits() if message.id == "integrations.E001"]


REDIS = {
    "CELERY_BROKER_URL": "redis://127.0.0.1:6379/0",
    "CELERY_BROKER_TRANSPORT_OPTIONS": {"visibility_timeout": 3600},
}


def test_the_shipped_settings_pass_the_check():
    assert errors() == []
    assert errors(**REDIS) == []


@pytest.mark.parametrize(
    "name",
    [
        "BROKER_MAX_COUNTDOWN_SECONDS",
        "OUTBOX_BACKOFF_MAX_SECONDS",
        "WEBHOOK_RETRY_BACKOFF_MAX_SECONDS",
        "CELERY_TASK_SOFT_TIME_LIMIT",
        "CELERY_TASK_TIME_LIMIT",
        "SYNC_RUN_MAX_SECONDS",
    ],
)
def test_any_wait_or_time_limit_reaching_the_visibility_timeout_is_an_error(name):
    assert errors(**REDIS, **{name: 3599}) == []
    assert errors(**REDIS, **{name: 3600}) == [name]
    assert errors(**REDIS, **{name: 7200}) == [name]


def test_redis_without_a_configured_timeout_is_held_to_kombus_default_of_an_hour():
    assert errors(CELERY_BROKER_URL="redis://x", CELERY_BROKER_TRANSPORT_OPTIONS={}, CELERY_TASK_TIME_LIMIT=3600) == [
        "CELERY_TASK_TIME_LIMIT"
    ]
    filesystem = {"CELERY_BROKER_URL": "filesystem://", "CELERY_BROKER_TRANSPORT_OPTIONS": {}}
    assert errors(**filesystem, CELERY_TASK_TIME_LIMIT=99_999) == [], "no visibility timeout, nothing redelivered"


@pytest.mark.django_db
def test_manage_py_refuses_to_start_with_a_countdown_past_the_visibility_timeout():
    with override_settings(**REDIS, BROKER_MAX_COUNTDOWN_SECONDS=7200), pytest.raises(SystemCheckError) as refused:
        call_command("check")
    assert "BROKER_MAX_COUNTDOWN_SECONDS is 7200 s" in str(refused.value)
    call_command("check")


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_worker_refuses_to_start_with_a_time_limit_past_the_visibility_timeout():
    worker = CeleryWorkerProcess(extra_env={"SYNC_RUN_MAX_SECONDS": "7200"})
    with pytest.raises(RuntimeError, match="exited early"):
        worker.start()
    assert "SYNC_RUN_MAX_SECONDS is 7200 s" in worker.log()
    assert "ready." not in worker.log()
