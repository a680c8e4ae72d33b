"""The embedded default of README command 1: no DATABASE_URL, no CELERY_BROKER_URL, nothing but files."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys

from tests.support.processes import ROOT, wait_until


def test_fresh_sqlite_migrates_and_a_task_round_trips_through_the_filesystem_broker(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "CELERY_BROKER_URL"}}
    env.update(DJANGO_SETTINGS_MODULE="portal.settings.development", PORTAL_VAR_DIR=str(tmp_path))

    def manage(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=180,
            check=True,
        )

    manage("migrate", "--no-input", "-v0")
    database = tmp_path / "portal.sqlite3"
    assert database.exists()

    send = (
        "from portal.core.tasks import record_worker_heartbeat as t; t.apply_async(('embedded-smoke',), queue='sync')"
    )
    manage("shell", "-c", send)
    queued = list((tmp_path / "broker").glob("*.msg"))
    assert queued, "the task message should wait in the filesystem queue until a worker runs"

    # As bin/demo runs it: one worker for every queue, with the (lease-free on this broker) beat inside.
    demo_worker = ["worker", "--pool", "solo", "--beat", "--queues", "webhooks,outbox,sync,default"]
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "portal", *demo_worker, "--schedule", str(tmp_path / "beat-schedule")],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:

        def heartbeat_recorded() -> bool:
            with sqlite3.connect(database) as db:
                row = db.execute("SELECT queue FROM core_workerheartbeat WHERE hostname='embedded-smoke'").fetchone()
            return row == ("sync",)

        wait_until(heartbeat_recorded, timeout=60, interval=0.3, message="the worker to run the queued task")
    finally:
        os.killpg(worker.pid, signal.SIGTERM)
        worker.wait(timeout=20)
    assert not list((tmp_path / "broker").glob("*.msg")), "the message is consumed once run"
