"""Queues by kind of work (issue 21): a slow vendor sync on the `sync` worker does not hold back webhooks, which a
worker on the `webhooks` queue keeps applying; and every task is routed to the queue of its kind."""

from __future__ import annotations

import pytest
from celery import current_app

from portal.integrations.models import SyncRun, WebhookEvent
from portal.integrations.tasks import sync_resource
from portal.shifts.models import ShiftRequest
from tests.shifts.factories import ShiftRequestFactory
from tests.support.processes import CeleryWorkerProcess, purge_broker, wait_until
from tests.vendors.intelycare.fixtures import burst
from tests.vendors.kamana import conftest as kamana_fixtures

registered, kamana_server, vendor, kamana = (
    kamana_fixtures.registered,
    kamana_fixtures.kamana_server,
    kamana_fixtures.vendor,
    kamana_fixtures.kamana,
)

ROUTED = {
    "integrations.drain_webhook_inbox": "webhooks",
    "integrations.sweep_webhook_inbox": "webhooks",
    "integrations.process_webhook": "webhooks",
    "integrations.dispatch_outbound": "outbox",
    "integrations.dispatch_due_outbound": "outbox",
    "integrations.sync_resource": "sync",
    "integrations.sync_incremental": "sync",
    "portal.core.tasks.record_worker_heartbeat": "default",
    # Minutes at most, never urgent: the gate's re-checks and suggestions, Today's digest.
    "gate.recheck_work": "default",
    "gate.recheck_after_sync": "default",
    "gate.suggest_duplicates": "default",
    "dashboard.send_due_digests": "default",
}


def test_every_task_is_routed_to_the_queue_of_its_kind():
    router = current_app.amqp.router
    for name in sorted(current_app.tasks):
        if name.startswith("celery."):
            continue
        assert name in ROUTED, f"{name} is new: decide its queue here and in portal/settings/queues.py"
        assert router.route({}, name)["queue"].name == ROUTED[name], name


@pytest.fixture
def sync_and_webhook_workers(broker_to_ourselves):
    purge_broker()
    workers = [CeleryWorkerProcess(queues=("sync",)).start(), CeleryWorkerProcess(queues=("webhooks",)).start()]
    yield workers
    for worker in workers:
        worker.stop()


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_webhooks_are_applied_while_a_slow_sync_holds_the_sync_worker(
    client, kamana, kamana_server, intelycare, sync_and_webhook_workers
):
    kamana_server.add_fault("slow", vendor="kamana")  # every Kamana page answers two seconds late
    sync_resource.delay(kamana.pk, "job_requisitions", True)
    wait_until(lambda: SyncRun.objects.filter(connection=kamana, state="running").exists(), message="the sync")

    shifts = ShiftRequestFactory.create_batch(3, connection=intelycare)  # webhooks reach only their own shifts
    burst(client, intelycare, shifts)
    wait_until(
        lambda: not WebhookEvent.objects.filter(state="queued").exists(), timeout=30, message="the webhooks applied"
    )
    assert SyncRun.objects.get(connection=kamana).state == "running", "the webhooks did not wait for the sync"
    assert ShiftRequest.objects.filter(pk__in=[s.pk for s in shifts], status="filled").count() == 3

    kamana_server.clear_faults()
    wait_until(
        lambda: SyncRun.objects.filter(connection=kamana, state="succeeded").exists(), timeout=60, message="the sync"
    )
