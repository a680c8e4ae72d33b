"""Issue 17 item 4 with a real Celery worker: a slow vendor's sync is cancelled mid-way, from this process as the
Cancel button does, and the worker ends the run `cancelled` with the whole pages it stored."""

from __future__ import annotations

import pytest

from portal.integrations.models import SyncRun, VendorConnection
from portal.integrations.sync import request_cancel
from portal.integrations.tasks import sync_resource
from portal.jobs.models import JobRequisition
from tests.support.processes import free_port, wait_until
from vendors.base.sandbox import SandboxServer
from vendors.kamana.sandbox import SANDBOX_TOKEN, KamanaSandbox

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

PAGES = 12  # 120 requisitions in pages of 10, each answered a second late


@pytest.fixture
def slow_kamana(db):
    sandbox = KamanaSandbox(seed=10 * PAGES, page_size=10)
    server = SandboxServer([sandbox], port=free_port(), retry_after=1, slow_seconds=1.0).start()
    server.add_fault("slow", vendor="kamana", path="/job_requisitions")
    connection = VendorConnection.objects.create(
        vendor="kamana",
        name="Kamana slow",
        base_url=server.vendor_url("kamana"),
        credentials={
            "token": SANDBOX_TOKEN,
            "account_id": sandbox.world.account_id,
            "user_id": next(iter(sandbox.world.users)),
        },
    )
    yield connection
    server.stop()


def test_a_run_cancelled_mid_way_ends_cancelled_with_its_pages(slow_kamana, portal_admin, celery_worker):
    sync_resource.delay(slow_kamana.pk, "job_requisitions")
    run = wait_until(
        lambda: SyncRun.objects.filter(connection=slow_kamana, pages__gte=1).first(),
        timeout=30,
        message="the worker to store a first page",
    )
    assert request_cancel(run.pk, portal_admin)

    wait_until(lambda: SyncRun.objects.get(pk=run.pk).state != SyncRun.State.RUNNING, timeout=30, message="the end")
    run.refresh_from_db()
    assert run.state == SyncRun.State.CANCELLED and run.cancelled_by == portal_admin
    assert 1 <= run.pages < PAGES, "stopped mid-way"
    assert run.created == 10 * run.pages == JobRequisition.objects.filter(connection=slow_kamana).count()
    assert not SyncRun.objects.filter(connection=slow_kamana, state=SyncRun.State.RUNNING).exists(), "lock freed"
