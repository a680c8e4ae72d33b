"""Reachability of what the portal depends on, for `/healthz` and the Integrations page."""

from __future__ import annotations

import time
from typing import TypedDict

from django.db import connection

from portal.celery import app as celery_app

__all__ = ["CheckResult", "check_broker", "check_database"]


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
