"""What coordinators are told about changes on their way to a vendor, in the same words on every page.

The outbox records the truth (`portal.integrations.outbox`); this turns it into what a message says right after an
action ("Approved here; sending to Ceki") and where a retry button comes back to.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib import messages
from django.db import models
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils.http import url_has_allowed_host_and_scheme

from portal.core.htmx import stop_polling
from portal.integrations import outbox
from portal.integrations.models import OutboundRequest, VendorConnection

__all__ = ["back_to", "deliveries_of", "delivery_panel", "retry_shown", "sending_note"]

State = OutboundRequest.State


def sending_note(rows: Iterable[OutboundRequest | None]) -> str:
    """Words like "sending to TribeIT Ceki" for the vendors these requests go to, or "" when none goes anywhere:
    a message never claims a vendor has a change before the outbox says it was sent."""
    vendors = sorted({row.connection.vendor_label for row in rows if row is not None})
    return f"sending to {' and '.join(vendors)}" if vendors else ""


def back_to(request: HttpRequest, default: str) -> str:
    """The page a retry button was pressed on (its `next`), when it is one of ours; else `default`."""
    wanted = request.POST.get("next", "")
    safe = url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return wanted if wanted and safe else default


def deliveries_of(connection: VendorConnection | None, *records: models.Model) -> dict[str, Any]:
    """A record page's delivery panel: every request about `records` newest first, whether one is under way, and
    where changes go (`connection` when active, else nowhere: a portal-only record keeps its changes here)."""
    rows = outbox.requests_about(*records)
    return {
        "deliveries": rows,
        "in_flight": any(row.state in (State.PENDING, State.SENDING) for row in rows),
        "sends_to": connection if connection is not None and connection.is_active else None,
    }


def delivery_panel(request: HttpRequest, template: str, context: dict[str, Any]) -> HttpResponse:
    """The panel polled while a request is under way; 286 stops the polling once all have settled."""
    response = TemplateResponse(request, template, context)
    if not context["in_flight"]:
        response.render()
        return stop_polling(response)
    return response


def retry_shown(request: HttpRequest, row_pk: int, shown: Iterable[OutboundRequest], default: str) -> HttpResponse:
    """The retry button beside a failed request: only a row the page shows (coordinators retry what they see),
    back to pending and dispatched now; then back to the page it was pressed on."""
    row = get_object_or_404(OutboundRequest, pk=row_pk)
    if row.pk in {r.pk for r in shown}:
        outbox.retry_request(row)
        messages.info(request, f"Sending to {row.connection.name} again.")
    return HttpResponseRedirect(back_to(request, default))
