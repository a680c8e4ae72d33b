"""Real processes for tests: a Celery worker on the test database and Redis, and free ports."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]

__all__ = ["ROOT", "CeleryWorkerProcess", "free_port", "purge_broker", "test_database_url", "wait_until"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until(predicate, timeout: float = 20.0, interval: float = 0.1, message: str = "condition"):
    """Poll until `predicate()` is truthy; returns its value. Fails the test with `message` on timeout."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {message}")
        time.sleep(interval)


def test_database_url() -> str:
    """The database pytest-django created, so other processes see what committed tests write."""
    db = settings.DATABASES["default"]
    user = db.get("USER") or "postgres"
    host = db.get("HOST") or "127.0.0.1"
    port = db.get("PORT") or 5432
    return f"postgres://{user}@{host}:{port}/{db['NAME']}"


class CeleryWorkerProcess:
    """`celery worker` as a child process (prefork, one slot) on the test database and broker.

    A subprocess, not a thread, so tests can SIGKILL it mid-task the way production loses a worker.
    """

    def __init__(self, *, concurrency: int = 1, extra_env: dict[str, str] | None = None) -> None:
        self.concurrency = concurrency
        self.extra_env = extra_env or {}
        self.process: subprocess.Popen | None = None
        self.log_path = Path(tempfile.mkstemp(prefix="celery-worker-", suffix=".log")[1])

    def env(self) -> dict[str, str]:
        env = os.environ.copy()
        env.update(
            DJANGO_SETTINGS_MODULE="portal.settings.test",
            TEST_DATABASE_URL=test_database_url(),
            TEST_REDIS_URL=settings.CELERY_BROKER_URL,
            FIELD_ENCRYPTION_KEY=settings.FIELD_ENCRYPTION_KEY,
            SECRET_KEY=settings.SECRET_KEY,
        )
        env.update(self.extra_env)
        return env

    def start(self, timeout: float = 30.0) -> CeleryWorkerProcess:
        log = self.log_path.open("ab")
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "portal",
                "worker",
                "--pool",
                "prefork",
                "--concurrency",
                str(self.concurrency),
                "--loglevel",
                "INFO",
                "--without-gossip",
                "--without-mingle",
                "--hostname",
                f"test-{os.getpid()}-{id(self)}@%h",
            ],
            cwd=ROOT,
            env=self.env(),
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        wait_until(
            lambda: b"ready." in self.log_path.read_bytes() or self.process.poll() is not None,
            timeout=timeout,
            message="the Celery worker to be ready",
        )
        if self.process.poll() is not None:
            raise RuntimeError(f"Celery worker exited early:\n{self.log()}")
        return self

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def kill(self) -> None:
        """SIGKILL the whole worker (main process and its pool children), as an OOM killer would."""
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill()


def purge_broker() -> None:
    from portal.celery import app

    with app.connection_for_write() as conn:
        app.control.purge(connection=conn)
