"""Several processes on one PostgreSQL and one Redis, as several hosts would run them (issue 21): two web
processes behind the test (it is the load balancer), a worker per kind of work (webhooks, outbox, sync+default) and
one beat. One worker of each kind is SIGKILLed mid-work and restarted; no webhook event is lost or applied twice, no
vendor push is lost or sent twice, and the interrupted sync's records end up stored once.

Bounded on purpose (a 2-core machine): 24 shifts' deliveries, 4 pushes, one 30-record sync.
"""

from __future__ import annotations

import datetime as dt
import itertools
import threading

import httpx
import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.utils import timezone

from portal.core.models import AuditEntry
from portal.integrations import outbox
from portal.integrations.models import OutboundRequest, SyncRun, WebhookEvent
from portal.integrations.tasks import sync_resource
from portal.jobs.models import JobRequisition
from portal.shifts.models import ShiftRequest
from tests.shifts.factories import ShiftRequestFactory
from tests.support.processes import CeleryBeatProcess, CeleryWorkerProcess, WebProcess, purge_broker, wait_until
from tests.vendors.intelycare import fixtures as intelycare_fixtures
from tests.vendors.intelycare.fixtures import event, signed
from tests.vendors.kamana import conftest as kamana_fixtures

sandbox, intelycare = intelycare_fixtures.sandbox, intelycare_fixtures.intelycare
registered, kamana_server, vendor, kamana = (
    kamana_fixtures.registered,
    kamana_fixtures.kamana_server,
    kamana_fixtures.vendor,
    kamana_fixtures.kamana,
)

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

# A send stuck in `sending` this long belonged to a dead worker; beat's outbox sweep (every second here) takes it.
ENV = {"OUTBOX_SENDING_LEASE_SECONDS": "5"}
SHIFTS_BY_WEBHOOK = 24


@pytest.fixture
def hosts(transactional_db, broker_to_ourselves):
    """Started after the database fixture and stopped before it flushes the tables."""
    purge_broker()
    beat_env = {**ENV, "DJANGO_SETTINGS_MODULE": "tests.support.loopback_settings"}
    started = {
        "web": [WebProcess(extra_env=ENV), WebProcess(extra_env=ENV)],
        "webhooks": CeleryWorkerProcess(queues=("webhooks",), extra_env=ENV),
        "outbox": CeleryWorkerProcess(queues=("outbox",), extra_env=ENV),
        "sync": CeleryWorkerProcess(queues=("sync", "default"), extra_env=ENV),
        "beat": CeleryBeatProcess(extra_env=beat_env),
    }
    processes = [*started["web"], *(process for kind, process in started.items() if kind != "web")]
    try:
        for process in processes:
            process.launch()  # side by side: they boot in parallel, as hosts do
        for process in processes:
            process.wait_ready(timeout=90)
        yield started
    finally:
        for process in processes:
            process.stop()
        purge_broker()


def deliver_through_both_web_processes(web: list[WebProcess], connection, shifts, *, offset: int = 0) -> None:
    """Each shift's Accepted event, to alternating web processes (`offset` 1 sends each to the other one)."""
    urls = itertools.islice(itertools.cycle([process.url + connection.webhook_path for process in web]), offset, None)
    with httpx.Client(timeout=30) as client:
        for n, shift in enumerate(shifts):
            body, django_headers = signed(event(shift, "Accepted", f"2024-01-17T15:{n:02d}:00"))
            headers = {"X-Signature-IC": django_headers["HTTP_X_SIGNATURE_IC"], "Content-Type": "application/json"}
            response = client.post(next(urls), content=body, headers=headers)
            assert response.status_code in {200, 202}, response.text


def hold_row_lock(shift: ShiftRequest, locked: threading.Event, release: threading.Event) -> None:
    """In its own thread (its own database connection): lock the shift's row until `release` is set."""
    try:
        with transaction.atomic():
            ShiftRequest.objects.select_for_update().get(pk=shift.pk)
            locked.set()
            release.wait(timeout=120)
    finally:
        connection.close()


def sessions_waiting_for_a_lock() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        return cursor.fetchone()[0]


def test_killed_workers_of_every_kind_lose_nothing_and_double_nothing(
    hosts, sandbox, intelycare, kamana, kamana_server, vendor
):
    accepted = ShiftRequestFactory.create_batch(SHIFTS_BY_WEBHOOK, connection=intelycare)  # webhooks reach their own
    pushed = ShiftRequestFactory.create_batch(4)
    intelycare_sandbox = sandbox.vendors["intelycare"]
    # --- webhooks: the drain blocks on the first shift, whose row a coordinator's transaction holds ----------
    locked, release = threading.Event(), threading.Event()
    locker = threading.Thread(target=hold_row_lock, args=(accepted[0], locked, release), daemon=True)
    locker.start()
    assert locked.wait(timeout=10)
    deliver_through_both_web_processes(hosts["web"], intelycare, accepted)
    wait_until(sessions_waiting_for_a_lock, message="the webhooks worker to be mid-drain")

    # --- sync: a slow full pull of Kamana's requisitions (every page two seconds late) ---------------------
    kamana_server.add_fault("slow", vendor="kamana")
    sync_resource.delay(kamana.pk, "job_requisitions", True)
    wait_until(lambda: SyncRun.objects.filter(connection=kamana, state="running").exists(), message="the sync")

    # --- outbox: IntelyCare takes the first push, then answers late ------------------------------------------
    sandbox.add_fault("slow", count=1, path="/v1/shifts")
    rows = []
    for shift in pushed:
        with transaction.atomic():
            rows.append(outbox.enqueue(intelycare, "create_shift", natural_key=shift.external_shift_id, related=shift))
    wait_until(lambda: intelycare_sandbox.world.shifts, message="IntelyCare to receive the first push")

    assert sessions_waiting_for_a_lock(), "the drain is still mid-transaction"
    for kind in ("webhooks", "outbox", "sync"):
        hosts[kind].kill()
    release.set()
    locker.join(timeout=10)
    assert WebhookEvent.objects.filter(state="queued").exists(), "the killed drain left events to apply"
    assert OutboundRequest.objects.filter(state="sending").count() == 1, "a push was under way"
    assert SyncRun.objects.get(connection=kamana).state == "running", "the sync was under way"
    for kind in ("webhooks", "outbox", "sync"):
        hosts[kind].start(timeout=60)
    # The vendor delivers every event again, each through the other web process.
    deliver_through_both_web_processes(hosts["web"], intelycare, accepted, offset=1)

    # The killed sync's lock lasts the task hard time limit; let that time pass, then pull again.
    kamana_server.clear_faults()
    SyncRun.objects.filter(state="running").update(started_at=timezone.now() - dt.timedelta(hours=1))
    sync_resource.delay(kamana.pk, "job_requisitions", True)

    wait_until(
        lambda: WebhookEvent.objects.filter(state__in=["processed", "duplicate"]).count() == 2 * SHIFTS_BY_WEBHOOK,
        timeout=60,
        message="every delivery handled (beat's sweep drains what the killed worker left)",
    )
    wait_until(lambda: not OutboundRequest.objects.exclude(state="sent").exists(), timeout=60, message="every push")
    wait_until(
        lambda: SyncRun.objects.filter(connection=kamana, state="succeeded").exists(), timeout=60, message="the sync"
    )

    # Webhooks: every delivery stored, each event applied once, each shift filled by one change.
    events = WebhookEvent.objects.all()
    assert events.count() == 2 * SHIFTS_BY_WEBHOOK
    assert events.filter(state="processed").count() == events.filter(state="duplicate").count() == SHIFTS_BY_WEBHOOK
    assert ShiftRequest.objects.filter(pk__in=[s.pk for s in accepted], status="filled").count() == SHIFTS_BY_WEBHOOK
    shift_type = ContentType.objects.get_for_model(ShiftRequest)
    fills = AuditEntry.objects.filter(content_type=shift_type, source="webhook", changes__has_key="status")
    assert sorted(fills.values_list("object_id", flat=True)) == sorted(str(s.pk) for s in accepted)

    # Outbox: each push reached IntelyCare exactly once.
    assert {row.pk for row in rows} == set(OutboundRequest.objects.filter(state="sent").values_list("pk", flat=True))
    assert len(intelycare_sandbox.world.shifts) == len(pushed)
    created = [r for r in sandbox.requests if r[1] == "POST" and r[2].endswith("/v1/shifts") and r[3] < 300]
    assert len(created) == len(pushed), "the interrupted push was recognised (IntelyCare's natural key), not doubled"

    # Sync: the interrupted pull's records, stored once each.
    assert SyncRun.objects.get(connection=kamana, state="failed").error.startswith("Abandoned")
    stored = JobRequisition.objects.filter(connection=kamana)
    assert stored.count() == stored.values("external_id").distinct().count() == len(vendor.world.requisitions)
