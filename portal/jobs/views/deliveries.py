"""The deliveries panel of the client and facility pages: every push of the record (a client's with its contacts'),
newest first, each with its shared delivery state and retry. It polls itself while one is under way, and its view
answers 286 once all have settled, so polling stops (STYLE, Pages)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db import models
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse

from portal.core.htmx import stop_polling
from portal.integrations import outbox
from portal.integrations.delivery import back_to
from portal.integrations.models import OutboundRequest
from portal.integrations.registry import get_provider
from portal.jobs import services

__all__ = ["deliveries_context", "deliveries_response", "retry_response"]

IN_FLIGHT = {OutboundRequest.State.PENDING, OutboundRequest.State.SENDING}


def _label(push: OutboundRequest) -> str:
    operation = get_provider(push.connection.vendor).operations.get(push.operation)
    return operation.label if operation is not None else push.operation


def deliveries_context(poll_url: str, retry_name: str, owner_pk: int, *records: models.Model) -> dict[str, Any]:
    pushes = outbox.requests_about(*records)
    for push in pushes:
        push.label = _label(push)
    return {
        "pushes": pushes,
        "in_flight": any(push.state in IN_FLIGHT for push in pushes),
        "deliveries_url": poll_url,
        "retry_name": retry_name,
        "owner_pk": owner_pk,
    }


def deliveries_response(request: HttpRequest, context: dict[str, Any]) -> HttpResponse:
    response = TemplateResponse(request, "jobs/htmx/deliveries.html", context)
    if context["in_flight"]:
        return response
    response.render()
    return stop_polling(response)


def retry_response(request: HttpRequest, fallback: str, row_pk: int, *records: models.Model) -> HttpResponse:
    """The retry button beside a failed push of this page's records (only theirs)."""
    row = services.retry_request(records[0], row_pk, *records[1:])
    if row is not None:
        messages.info(request, f"Sending to {row.connection.name} again.")
    return HttpResponseRedirect(back_to(request, fallback))
