"""What both benchmarks need: a migrated PostgreSQL database of their own, and peak-RSS reading."""

from __future__ import annotations

import os
import resource
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
    "current_rss_mb",
    "peak_rss_mb",
    "setup_django",
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
