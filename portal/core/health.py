"""Reachability of what the portal depends on, for `/healthz` and the Integrations page."""

from __future__ import annotations

import time
from typing import TypedDict

from django.core.cache import cache
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from portal.celery import app as celery_app

__all__ = ["CheckResult", "check_broker", "check_cache", "check_database", "check_migrated", "for_viewer"]


class CheckResult(TypedDict):
    ok: bool
    latency_ms: float
    error: str


def _timed(check) -> CheckResult:
    started = time.perf_counter()
    try:
        check()
    except Exception as exc:
        return {"ok": False, "latency_ms": round((time.perf_counter() - started) * 1000, 1), "error": str(exc)[:300]}
    return {"ok": True, "latency_ms": round((time.perf_counter() - started) * 1000, 1), "error": ""}


def check_database() -> CheckResult:
    def ping() -> None:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()

    return _timed(ping)


def check_broker() -> CheckResult:
    def ping() -> None:
        with celery_app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, interval_start=0, interval_step=0, timeout=2)

    return _timed(ping)


def check_cache() -> CheckResult:
    """The shared cache (Redis in production) answers a write and a read."""

    def ping() -> None:
        cache.set("portal:readiness", "ok", 10)
        if cache.get("portal:readiness") != "ok":
            raise RuntimeError("the cache did not return what was written")

    return _timed(ping)


_migrated = False


def check_migrated() -> CheckResult:
    """Every migration this code ships is applied: a new release is not ready before `migrate` ran. Once true it
    stays true for this process's code, so it is checked until then only."""

    def plan() -> None:
        global _migrated
        if _migrated:
            return
        executor = MigrationExecutor(connection)
        pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
        if pending:
            raise RuntimeError(f"{len(pending)} migration(s) not applied, e.g. {pending[0][0]}")
        _migrated = True

    return _timed(plan)


def for_viewer(checks: dict[str, CheckResult], *, may_see_errors: bool) -> dict[str, CheckResult]:
    """The checks as a caller may see them: a load balancer or a stranger learns what failed, not why.

    An error text names hosts, ports, users and database names; only an Admin signed in reads it.
    """
    if may_see_errors:
        return checks
    return {name: {**check, "error": "" if check["ok"] else "unavailable"} for name, check in checks.items()}
