"""A real worker on Redis runs a task against the test database."""

from __future__ import annotations

import pytest

from portal.core.models import WorkerHeartbeat
from portal.core.tasks import record_worker_heartbeat
from tests.support.processes import wait_until


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_task_runs_on_the_real_worker(celery_worker):
    record_worker_heartbeat.delay("from-test")
    seen = wait_until(
        lambda: WorkerHeartbeat.objects.filter(hostname="from-test").first(), timeout=20, message="the heartbeat row"
    )
    assert seen.seen_at is not None
