"""Attribute every change made while serving a request to the person making it."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from portal.core.audit import audit_context

__all__ = ["AuditActorMiddleware"]


class AuditActorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user if request.user.is_authenticated else None
        source = "api" if request.path.startswith("/api/") else "user"
        with audit_context(source, user=user):
            return self.get_response(request)
