"""Pages every user meets: the health check and the friendly 403 (the home page, Today, is portal.dashboard's)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from portal.core.health import check_broker, check_cache, check_database, check_migrated, for_viewer
from portal.core.models import WorkerHeartbeat
from portal.core.roles import Role, has_role

__all__ = ["healthz", "permission_denied", "readyz"]


@login_not_required
@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    checks = {"database": check_database(), "broker": check_broker()}
    healthy = all(check["ok"] for check in checks.values())
    body: dict = {"status": "ok" if healthy else "unavailable", "checks": _shown(request, checks)}
    if checks["database"]["ok"]:
        last = WorkerHeartbeat.objects.order_by("-seen_at").values_list("seen_at", flat=True).first()
        body["worker_last_seen"] = last.isoformat() if last else None
    return JsonResponse(body, status=200 if healthy else 503)


@login_not_required
@never_cache
@require_GET
def readyz(request: HttpRequest) -> JsonResponse:
    """Readiness for a load balancer or orchestrator: this process can serve (database reachable and migrated,
    broker and cache answering). `/healthz` reports the same dependencies and the workers for monitoring."""
    checks = {"database": check_database(), "broker": check_broker(), "cache": check_cache()}
    if checks["database"]["ok"]:
        checks["migrations"] = check_migrated()
    ready = all(check["ok"] for check in checks.values())
    body = {"status": "ready" if ready else "unavailable", "checks": _shown(request, checks)}
    return JsonResponse(body, status=200 if ready else 503)


def _shown(request: HttpRequest, checks: dict) -> dict:
    return for_viewer(checks, may_see_errors=has_role(request.user, Role.ADMIN))


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "403.html", {"reason": str(exception or "")}, status=403)
