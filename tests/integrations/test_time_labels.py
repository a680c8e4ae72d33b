"""Issue 17: "(UTC)" stood over times shown in New York time (each column now names the zone it is shown in), and
run durations showed microseconds."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse

from portal.integrations.models import OutboundRequest, SyncRun, VendorConnection, WebhookEvent

pytestmark = pytest.mark.django_db

ZONE = r"\((EST|EDT) \u00b7 America/New_York\)"


def test_time_columns_name_the_zone_their_times_are_shown_in(client, portal_admin):
    client.force_login(portal_admin)
    connection = VendorConnection.objects.create(vendor="alaunus", name="Alaunus", base_url="http://127.0.0.1:9/")
    OutboundRequest.objects.create(connection=connection, operation="create_visit", state="sent")
    WebhookEvent.objects.create(connection=connection, vendor="alaunus", state="processed", event_type="x")
    run = SyncRun.objects.create(connection=connection, resource="skills", state="succeeded")
    SyncRun.objects.filter(pk=run.pk).update(finished_at=run.started_at + dt.timedelta(minutes=3, seconds=4.25))
    pages = {
        "Written": client.get(reverse("integrations:outbox")).text,
        "Received": client.get(reverse("integrations:webhooks")).text,
        "Started": client.get(reverse("integrations:overview")).text,
    }
    for column, text in pages.items():
        assert "(UTC)" not in text
        assert re.search(f"<th>{column} {ZONE}</th>", text), column
    assert "<td>3 min 4 s</td>" in pages["Started"] and ".250000" not in pages["Started"], "no microseconds"
