"""The portal's URLs plus two views to measure the webhook receiver against (bench/webhook_ingest.py):
`/bench/bare/` reads the body and answers JSON, nothing else; `/bench/stored/<connection>/` also stores the
delivery (its body and headers, for that connection) with one INSERT and its commit before answering: the least
any receiver that keeps a delivery before acknowledging it does, with no signature check, parsing or dedupe. Its
row is the receiver's size (FILLER stands in for the columns the receiver derives; the bench prints both sizes)."""

import json

from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.urls import path
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt

from portal.core.bulk_sql import bound_cursor
from portal.urls import handler403  # noqa: F401
from portal.urls import urlpatterns as portal_urlpatterns

# What the receiver adds to the row from the body (event type, dedupe key, subject, the vendor's time), in bytes.
FILLER = "x" * 112
STORE = (
    "INSERT INTO integrations_webhookevent (connection_id, vendor, received_at, headers, body, remote_addr, state, "
    "event_type, dedupe_key, subject, attempts, outcome, error, warnings) "
    "VALUES (%s, 'intelycare', %s, %s, %s, %s, 'queued', '', '', '', 0, %s, '', '[]') RETURNING id"
)


@login_not_required
@csrf_exempt
def bare(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"received": len(request.body)}, status=202)


@login_not_required
@csrf_exempt
def stored(request: HttpRequest, connection_id: int) -> JsonResponse:
    connection.ensure_connection()
    connection.health_check_done = True  # as the receiver: no `SELECT 1` before its one statement
    values = [
        connection_id,
        timezone.now(),
        json.dumps(dict(request.headers)),
        request.body.decode(),
        request.META["REMOTE_ADDR"],
        FILLER,
    ]
    with bound_cursor(connection) as cursor:  # the receiver's statement binds its values apart from the SQL too
        cursor.execute(STORE, values)
        (pk,) = cursor.fetchone()
    return JsonResponse({"id": pk}, status=202)


urlpatterns = [path("bench/bare/", bare), path("bench/stored/<int:connection_id>/", stored), *portal_urlpatterns]
