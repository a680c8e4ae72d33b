"""Attribute every change made while serving a request to the person making it."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from portal.core.audit import audit_context
from portal.core.logs import request_id_var

__all__ = ["AuditActorMiddleware", "RequestIdMiddleware"]

# A proxy's or load balancer's id is kept when it looks like one; anything else is replaced, never logged.
_ACCEPTABLE_REQUEST_ID = re.compile(r"[A-Za-z0-9._:@-]{1,128}")


class RequestIdMiddleware:
    """Names each request: the incoming `X-Request-ID` if sane, else a new one; logs and queued tasks carry it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.headers.get("X-Request-ID", "")
        request_id = incoming if _ACCEPTABLE_REQUEST_ID.fullmatch(incoming) else uuid.uuid4().hex
        # Cleared on `request_finished` (portal.core.apps), not here: Django logs a 4xx/5xx after the middleware.
        request_id_var.set(request_id)
        response = self.get_response(request)
        response["X-Request-ID"] = request_id
        return response


class AuditActorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user if request.user.is_authenticated else None
        source = "api" if request.path.startswith("/api/") else "user"
        with audit_context(source, user=user):
            return self.get_response(request)
