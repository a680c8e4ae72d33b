"""Real processes for tests: Celery workers and beats, gunicorn web processes, on the test database and Redis."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]

__all__ = [
    "ROOT",
    "CeleryBeatProcess",
    "CeleryProcess",
    "CeleryWorkerProcess",
    "WebProcess",
    "free_port",
    "purge_broker",
    "test_database_url",
    "wait_until",
]


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


class CeleryProcess:
    """A `celery` command as a child process on the test database and broker.

    A subprocess, not a thread, so tests can SIGKILL it mid-task the way production loses a worker or a host.
    """

    ready_marker = b"ready."

    def __init__(self, *, extra_env: dict[str, str] | None = None, name: str = "celery") -> None:
        self.extra_env = extra_env or {}
        self.process: subprocess.Popen | None = None
        self.log_path = Path(tempfile.mkstemp(prefix=f"{name}-", suffix=".log")[1])

    def argv(self) -> list[str]:
        raise NotImplementedError

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

    def start(self, timeout: float = 30.0):
        return self.launch().wait_ready(timeout)

    def launch(self):
        """Start without waiting, so several processes boot side by side."""
        log = self.log_path.open("ab")
        self.log_offset = self.log_path.stat().st_size  # a restart's readiness is read from here on
        self.process = subprocess.Popen(
            [sys.executable, "-m", *self.command()],
            cwd=ROOT,
            env=self.env(),
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        return self

    def command(self) -> list[str]:
        return ["celery", "-A", "portal", *self.argv()]

    def is_ready(self) -> bool:
        with self.log_path.open("rb") as log:
            log.seek(self.log_offset)
            return self.ready_marker in log.read()

    def wait_ready(self, timeout: float = 30.0):
        wait_until(
            lambda: self.is_ready() or self.process.poll() is not None,
            timeout=timeout,
            message=f"{' '.join(self.command()[:4])} to be ready",
        )
        if self.process.poll() is not None:
            raise RuntimeError(f"{' '.join(self.command()[:4])} exited early:\n{self.log()}")
        return self

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def kill(self) -> None:
        """SIGKILL the whole process group (main process and its pool children), as an OOM killer would."""
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


class CeleryWorkerProcess(CeleryProcess):
    """`celery worker` (prefork, one slot by default) consuming every queue, or only `queues`."""

    def __init__(
        self, *, concurrency: int = 1, queues: tuple[str, ...] = (), extra_env: dict[str, str] | None = None
    ) -> None:
        super().__init__(extra_env=extra_env, name="celery-worker")
        self.concurrency, self.queues = concurrency, queues

    def argv(self) -> list[str]:
        argv = ["worker", "--pool", "prefork", "--concurrency", str(self.concurrency), "--loglevel", "INFO"]
        argv += ["--without-gossip", "--without-mingle", "--hostname", f"test-{os.getpid()}-{id(self)}@%h"]
        return [*argv, "--queues", ",".join(self.queues)] if self.queues else argv


class CeleryBeatProcess(CeleryProcess):
    """`celery beat` with its own schedule file, as a beat on another host would have."""

    ready_marker = b"beat: Starting"

    def __init__(self, *, extra_env: dict[str, str] | None = None) -> None:
        super().__init__(extra_env=extra_env, name="celery-beat")
        self.schedule_path = Path(tempfile.mkdtemp(prefix="celery-beat-")) / "schedule"

    def argv(self) -> list[str]:
        return ["beat", "--loglevel", "DEBUG", "--schedule", str(self.schedule_path)]


class WebProcess(CeleryProcess):
    """`gunicorn portal.wsgi` on a free port, as one web host behind a load balancer."""

    ready_marker = b"Booting worker"

    def __init__(
        self, *, workers: int = 1, extra_env: dict[str, str] | None = None, extra_args: tuple[str, ...] = ()
    ) -> None:
        super().__init__(extra_env=extra_env, name="gunicorn")
        self.port, self.workers, self.extra_args = free_port(), workers, extra_args
        self.url = f"http://127.0.0.1:{self.port}"

    def command(self) -> list[str]:
        argv = ["--bind", f"127.0.0.1:{self.port}", "--workers", str(self.workers), "--threads", "4", *self.extra_args]
        return ["gunicorn", *argv, "portal.wsgi"]

    def is_ready(self) -> bool:
        """Django loaded and answering, not merely gunicorn's port open."""
        try:
            with urllib.request.urlopen(f"{self.url}/readyz", timeout=5) as response:  # noqa: S310 (our own server)
                return response.status == 200
        except OSError:
            return False


def purge_broker() -> None:
    from portal.celery import app

    with app.connection_for_write() as conn:
        app.control.purge(connection=conn)
