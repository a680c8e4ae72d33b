"""The webhook receiver: no login, no CSRF (vendors sign or hold the URL token), and it answers fast."""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from portal.integrations.inbox import receive_webhook

__all__ = ["receive"]


@login_not_required
@csrf_exempt
@require_POST
def receive(request: HttpRequest, vendor: str, token: str) -> JsonResponse:
    receipt = receive_webhook(request, vendor, token)
    event = receipt.event
    body = {"id": event.pk, "state": event.state} if event is not None else {}
    if error := (event.error if event is not None else receipt.error):
        body["error"] = error
    return JsonResponse(body, status=receipt.status)
