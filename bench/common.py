"""What the benchmarks need: a migrated PostgreSQL database of their own, peak-RSS reading, and the CPU time of
the processes that serve a measurement (the web server's, PostgreSQL's backends, a sandbox's)."""

from __future__ import annotations

import os
import resource
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BENCH_DB = os.environ.get("BENCH_DB", "bench_portal")
BENCH_REDIS = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/5")

__all__ = [
    "BENCH_DB",
    "BENCH_REDIS",
    "ROOT",
    "bench_env",
    "coordinator_client",
    "cpu_seconds",
    "cpu_spent",
    "current_rss_mb",
    "database_pids",
    "peak_rss_mb",
    "setup_django",
    "spread",
]


def bench_env() -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "TEST_DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{BENCH_DB}",
        "TEST_REDIS_URL": BENCH_REDIS,
        "PYTHONPATH": str(ROOT),
    }


def setup_django(*, fresh: bool = False, migrate: bool = True) -> None:
    """Create (or recreate) the benchmark database, migrate it, and set Django up in this process.

    Measuring children pass `migrate=False`: loading every migration would dominate their peak RSS.
    """
    os.environ.update(bench_env())
    sys.path.insert(0, str(ROOT))
    if not migrate:
        import django

        django.setup()
        return
    import psycopg

    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [BENCH_DB]).fetchone()
        if exists and fresh:
            conn.execute(f'DROP DATABASE "{BENCH_DB}" WITH (FORCE)')
        if not exists or fresh:
            conn.execute(f'CREATE DATABASE "{BENCH_DB}"')
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)


def coordinator_client(username: str = "bench-coordinator"):
    """Django's test client signed in as a new Coordinator: renders go through the whole stack in this process."""
    from django.contrib.auth import get_user_model
    from django.test import Client

    from portal.core.roles import Role, grant_role

    user = get_user_model().objects.create_user(username, password="unused-bench-password")
    grant_role(user, Role.COORDINATOR)
    client = Client(HTTP_HOST="localhost")  # an allowed host of the test settings
    client.force_login(user)
    return client


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def current_rss_mb() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * resource.getpagesize() / 2**20


def cpu_seconds(pids: list[int]) -> dict[int, float]:
    """User + system CPU time of each of these processes so far (/proc), skipping any that ended."""
    seconds = {}
    for pid in pids:
        try:
            with open(f"/proc/{pid}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
        except FileNotFoundError:
            continue
        seconds[pid] = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return seconds


def cpu_spent(before: dict[int, float], after: dict[int, float]) -> float:
    """CPU spent between two readings by the processes alive at the second (one started since counts whole)."""
    return sum(spent - before.get(pid, 0.0) for pid, spent in after.items())


def database_pids(*, own: bool = False) -> list[int]:
    """The PostgreSQL backends serving the benchmark database (other databases' work is not ours); this process's
    own backend too if `own`."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND (%s OR pid <> pg_backend_pid())",
            [own],
        )
        return [pid for (pid,) in cursor.fetchall()]


def spread(ratios: list[float]) -> str:
    """The median of the rounds' ratios and their range: "88% (61%-102%)"."""
    return f"{statistics.median(ratios):.0%} ({min(ratios):.0%}-{max(ratios):.0%})"
