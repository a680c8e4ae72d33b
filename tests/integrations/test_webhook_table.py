"""The webhook table keeps only the indexes its queries use, and no constraint check on the receiver's INSERT
(issue 16 item 8): each query of the inbox, drain, fold, receiver and pages is served by an index, and an event
whose connection is gone (deleted while another process still had it cached) is stored but never replayed."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection as db
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from portal.integrations import inbox
from portal.integrations.inbox_drain import claimable
from portal.integrations.models import WebhookEvent
from tests.support.fake_vendor import event, post
from tests.support.pg_tables import foreign_keys, indexed_columns, scanning_whole

pytestmark = pytest.mark.django_db

# Every index of the table, by its columns: a new one must name the query it serves in the model and here.
INDEXED = {
    ("id",),  # the primary key
    ("vendor", "state", "received_at"),  # the inbox page by vendor (and state), newest first; metrics by both
    ("state", "received_at"),  # the drain's and sweep's queued events; the inbox page by state; metrics' lag
    ("received_at",),  # the unfiltered inbox page, newest first
    ("connection_id", "dedupe_key"),  # the dedupe constraint; the receiver's duplicate lookup
    ("connection_id", "subject"),  # a fold's events of one subject
    ("duplicate_of_id",),  # only where set: deleting the event a duplicate names
}


def test_the_table_has_only_the_indexes_its_queries_use_and_no_connection_constraint():
    assert indexed_columns("integrations_webhookevent") == INDEXED
    assert foreign_keys("integrations_webhookevent", to="integrations_vendorconnection") == 0


def test_every_query_of_the_inbox_is_served_by_an_index(fake_connection):
    stored = WebhookEvent.objects.create(connection=fake_connection, vendor="fake", state="queued", subject="thing:1")
    queued = WebhookEvent.objects.filter(state=WebhookEvent.State.QUEUED)
    cutoff = timezone.now() - dt.timedelta(minutes=5)
    queries = {
        "drain": claimable().select_for_update(skip_locked=True, no_key=True, of=("self",))[:100],
        "sweep": queued.filter(Q(next_attempt_at__isnull=True, received_at__lt=cutoff) | Q(next_attempt_at__lt=cutoff)),
        "fold": WebhookEvent.objects.filter(connection_id=fake_connection.pk, subject="thing:1").exclude(dedupe_key=""),
        "duplicate": WebhookEvent.objects.filter(connection=fake_connection, dedupe_key="sha256:x")[:1],
        "page": WebhookEvent.objects.all()[:51],
        "page by vendor": WebhookEvent.objects.filter(vendor="fake")[:51],
        "page by state": WebhookEvent.objects.filter(state="failed")[:51],
        "lag": queued.order_by("received_at")[:1],
        "deleted duplicate": WebhookEvent.objects.filter(duplicate_of__in=[stored.pk]),
    }
    assert scanning_whole(queries) == {}


def test_an_event_whose_connection_is_gone_is_stored_but_never_replayed(client, admin_client, fake_connection):
    """Another process deleted the connection while this one still had it cached: no constraint refuses the row."""
    assert post(client, fake_connection, event("thing:1", "changed", "2024-01-17T15:00:00Z")).status_code == 202
    with db.cursor() as cursor:  # not through this process's ORM, whose delete would forget its cache at once
        cursor.execute("DELETE FROM integrations_vendorconnection WHERE id = %s", [fake_connection.pk])
    response = post(client, fake_connection, event("thing:1", "changed", "2024-01-17T15:01:00Z"))
    assert response.status_code == 202
    orphan = WebhookEvent.objects.get(pk=response.json()["id"])
    assert orphan.connection_id == fake_connection.pk
    WebhookEvent.objects.filter(pk=orphan.pk).update(state="failed")
    orphan.refresh_from_db()
    with pytest.raises(inbox.ReplayRefused, match="its connection no longer exists"):
        inbox.replay_event(orphan)
    page = admin_client.post(reverse("integrations:replay-webhook", args=[orphan.pk]), follow=True)
    assert "its connection no longer exists" in page.content.decode()
    action = admin_client.post(
        reverse("admin:integrations_webhookevent_changelist"),
        {"action": "replay", "_selected_action": [orphan.pk]},
        follow=True,
    )
    assert "its connection no longer exists" in action.content.decode()
    assert WebhookEvent.objects.get(pk=orphan.pk).state == "failed"
    assert admin_client.get(reverse("integrations:webhooks")).status_code == 200
