"""The portal's URLs plus two views to measure the webhook receiver against (bench/webhook_ingest.py):
`/bench/bare/` reads the body and answers JSON, nothing else; `/bench/stored/` also stores the body with one
INSERT and its commit before answering: the least any receiver that keeps a delivery before acknowledging it
does, with no signature check, parsing, dedupe or headers."""

from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.urls import path
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt

from portal.urls import handler403  # noqa: F401
from portal.urls import urlpatterns as portal_urlpatterns

STORE = (
    "INSERT INTO integrations_webhookevent (vendor, received_at, headers, body, state, event_type, dedupe_key, "
    "subject, attempts, outcome, error) VALUES ('bench', %s, '{}', %s, 'received', '', '', '', 0, '', '') RETURNING id"
)


@login_not_required
@csrf_exempt
def bare(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"received": len(request.body)}, status=202)


@login_not_required
@csrf_exempt
def stored(request: HttpRequest) -> JsonResponse:
    connection.ensure_connection()
    connection.health_check_done = True  # as the receiver: no `SELECT 1` before its one statement
    with connection.cursor() as cursor:
        cursor.execute(STORE, [timezone.now(), request.body.decode()])
        (pk,) = cursor.fetchone()
    return JsonResponse({"id": pk}, status=202)


urlpatterns = [path("bench/bare/", bare), path("bench/stored/", stored), *portal_urlpatterns]
