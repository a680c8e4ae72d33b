"""With a real Celery worker, Redis and the sandbox over HTTP: a killed worker loses and doubles nothing, an
outage delays but never loses a request, a burst is drained in the vendor's order by one kicked drain, beat's sweep
finds an event whose kick was lost, and beat's incremental sync runs a connection's resources one after the other
in the provider's order. IntelyCare's sandbox webhooks filling a shift: tests/vendors/intelycare/test_with_worker.py."""

from __future__ import annotations

import datetime as dt
import itertools
import json
import re

import pytest
from django.db import transaction
from django.utils import timezone

from portal.core.models import WorkerHeartbeat
from portal.core.tasks import record_worker_heartbeat
from portal.integrations import outbox
from portal.integrations.models import OutboundRequest, SyncRun, WebhookEvent
from portal.integrations.tasks import dispatch_due_outbound, sweep_webhook_inbox, sync_incremental
from tests.shifts.factories import ShiftRequestFactory
from tests.support.processes import CeleryWorkerProcess, wait_until
from tests.vendors.intelycare.fixtures import burst, event
from tests.vendors.kamana import conftest as kamana_fixtures
from vendors.kamana.resources import RESOURCES

pytestmark = pytest.mark.django_db(transaction=True)

registered, kamana_server, vendor, kamana = (
    kamana_fixtures.registered,
    kamana_fixtures.kamana_server,
    kamana_fixtures.vendor,
    kamana_fixtures.kamana,
)


def state_of(row):
    row.refresh_from_db()
    return row.state


def test_a_worker_killed_mid_send_loses_nothing_and_doubles_nothing(sandbox, intelycare, celery_worker):
    shift = ShiftRequestFactory(connection=intelycare)
    intelycare_sandbox = sandbox.vendors["intelycare"]
    # IntelyCare takes the shift, then answers three seconds late: the worker dies while waiting.
    sandbox.add_fault("slow", count=1, path="/v1/shifts")
    with transaction.atomic():
        row = outbox.enqueue(intelycare, "create_shift", natural_key=shift.external_shift_id, related=shift)
    wait_until(lambda: intelycare_sandbox.world.shifts, message="IntelyCare to receive the shift")
    celery_worker.kill()
    assert state_of(row) == "sending", "the row says a send was under way"
    [internal_id] = intelycare_sandbox.world.shifts

    celery_worker.start()
    # Two minutes later the lease of the dead worker's send has run out; beat's sweep picks the row up.
    OutboundRequest.objects.filter(pk=row.pk).update(sending_started_at=timezone.now() - dt.timedelta(minutes=10))
    dispatch_due_outbound.delay()
    wait_until(lambda: state_of(row) == "sent", timeout=30, message="the row to be reconciled")

    assert list(intelycare_sandbox.world.shifts) == [internal_id], "one shift at IntelyCare"
    assert row.vendor_id == str(internal_id) and row.attempts == 2
    shift.refresh_from_db()
    assert shift.external_id == str(internal_id)


def test_a_request_made_while_the_vendor_is_down_is_delivered_once_when_it_is_back(sandbox, intelycare, celery_worker):
    shift = ShiftRequestFactory(connection=intelycare)
    sandbox.stop()
    with transaction.atomic():
        row = outbox.enqueue(intelycare, "create_shift", natural_key=shift.external_shift_id, related=shift)
    wait_until(lambda: state_of(row) == "pending" and row.last_error, timeout=40, message="a failed first attempt")
    assert "could not be reached" in row.last_error
    sandbox.start()
    wait_until(lambda: state_of(row) == "sent", timeout=40, message="delivery after the vendor came back")
    assert len(sandbox.vendors["intelycare"].world.shifts) == 1
    assert len([r for r in sandbox.requests if r[1] == "POST"]) == 1


def drains_received(worker) -> int:
    return len(re.findall(r"Task integrations\.drain_webhook_inbox\[\S+\] received", worker.log()))


def test_a_burst_is_applied_once_in_the_vendors_order_by_one_drain(client, intelycare, celery_worker, settings):
    settings.WEBHOOK_KICK_SECONDS = 3.0  # the whole burst lands inside one kick window
    shifts = ShiftRequestFactory.create_batch(3, connection=intelycare)
    drains_before = drains_received(celery_worker)
    in_vendor_order = burst(client, intelycare, shifts)

    wait_until(
        lambda: not WebhookEvent.objects.filter(state="queued").exists(), timeout=30, message="the burst applied"
    )
    applied = WebhookEvent.objects.order_by("processed_at", "pk")
    assert list(applied.values_list("pk", flat=True)) == in_vendor_order
    outcomes = list(applied.values_list("outcome", flat=True))
    assert outcomes.count("accepted: applied") == 3, "each shift's first event folds its three; the rest change nothing"
    assert all(outcome.endswith(("applied", "no change")) for outcome in outcomes)
    assert set(applied.values_list("attempts", flat=True)) == {1}
    assert drains_received(celery_worker) - drains_before == 1, "nine deliveries, one message"


def test_an_event_whose_kick_was_lost_is_drained_by_the_sweep(intelycare, celery_worker):
    shift = ShiftRequestFactory(connection=intelycare)
    # Committed as the receiver commits it, but the web process died before its kick.
    stranded = WebhookEvent.objects.create(
        connection=intelycare,
        vendor="intelycare",
        state="queued",
        dedupe_key="sha256:lost-kick",
        occurred_at=dt.datetime(2024, 1, 17, 15, tzinfo=dt.UTC),
        body=json.dumps(event(shift, "Accepted", "2024-01-17T15:00:00")),
    )
    WebhookEvent.objects.filter(pk=stranded.pk).update(received_at=timezone.now() - dt.timedelta(minutes=1))
    # A marker through the webhooks queue: the one-slot worker runs it after any drain queued before it.
    record_worker_heartbeat.apply_async(args=["after-the-lost-kick"], queue="webhooks")
    wait_until(
        lambda: WorkerHeartbeat.objects.filter(hostname="after-the-lost-kick", queue="webhooks").exists(),
        message="the worker to reach the marker",
    )
    assert state_of(stranded) == "queued", "nothing else would ever apply it"

    sweep_webhook_inbox.delay()  # as beat does every few seconds
    wait_until(lambda: state_of(stranded) == "processed", timeout=30, message="the sweep's drain")
    shift.refresh_from_db()
    assert shift.status == "filled"


@pytest.fixture
def two_slot_worker(django_db_blocker):
    """A worker that could run two syncs at once, so only the chain keeps them in order."""
    worker = CeleryWorkerProcess(concurrency=2).start()
    yield worker
    worker.stop()


def test_beat_syncs_a_connections_resources_one_after_another_in_provider_order(kamana, two_slot_worker):
    sync_incremental.delay()
    wait_until(
        lambda: SyncRun.objects.filter(connection=kamana).exclude(state="running").count() == len(RESOURCES),
        timeout=60,
        message="every Kamana resource synced",
    )
    runs = list(SyncRun.objects.filter(connection=kamana).order_by("started_at"))
    assert [run.resource for run in runs] == list(RESOURCES)
    assert {run.state for run in runs} == {"succeeded"}
    for earlier, later in itertools.pairwise(runs):
        assert later.started_at >= earlier.finished_at, f"{later.resource} started before {earlier.resource} ended"
