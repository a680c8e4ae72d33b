"""Vendor health on Today (issue 18 item 1): per connection, the last successful sync of each resource, the
deliveries waiting or failed, and the inbox's failed events. Four queries, whatever the history's length."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Max, Q
from django.urls import reverse
from django.utils.http import urlencode

from portal.integrations.models import OutboundRequest, SyncRun, VendorConnection, WebhookEvent

__all__ = ["ConnectionHealth", "vendor_health"]

Outbound = OutboundRequest.State
GOOD_RUNS = (SyncRun.State.SUCCEEDED, SyncRun.State.SUCCEEDED_WITH_WARNINGS)


@dataclass
class ConnectionHealth:
    pk: int
    name: str
    vendor: str
    last_sync_status: str
    last_success: dict[str, dt.datetime] = field(default_factory=dict)
    deliveries_waiting: int = 0
    deliveries_failed: int = 0
    inbox_failed: int = 0

    @property
    def href(self) -> str:
        return reverse("integrations:connection", args=[self.pk])

    @property
    def waiting_href(self) -> str:
        return _list("integrations:outbox", state=Outbound.PENDING, connection__vendor=self.vendor)

    @property
    def failed_href(self) -> str:
        return _list("integrations:outbox", state=Outbound.FAILED, connection__vendor=self.vendor)

    @property
    def inbox_href(self) -> str:
        return _list("integrations:webhooks", state=WebhookEvent.State.FAILED, vendor=self.vendor)

    @property
    def in_trouble(self) -> bool:
        return bool(self.deliveries_failed or self.inbox_failed or self.last_sync_status == "failed")


def _list(name: str, **query: str) -> str:
    return f"{reverse(name)}?{urlencode(query)}"


def vendor_health() -> list[ConnectionHealth]:
    """Active connections with their figures, by vendor and name. The four queries run even when there is no
    connection, so the page's query count is the same empty or full."""
    connections = {
        row.pk: ConnectionHealth(row.pk, row.name, row.vendor, row.last_sync_status)
        for row in VendorConnection.objects.filter(is_active=True).order_by("vendor", "name")
    }
    runs = (
        SyncRun.objects.filter(connection__is_active=True, state__in=GOOD_RUNS)
        .values("connection_id", "resource")
        .annotate(last=Max("finished_at"))
        .order_by("connection_id", "resource")
    )
    for row in runs:
        connections[row["connection_id"]].last_success[row["resource"]] = row["last"]
    deliveries = (
        OutboundRequest.objects.filter(connection__is_active=True, state__in=(Outbound.PENDING, Outbound.FAILED))
        .values("connection_id")
        .annotate(
            waiting=Count("id", filter=Q(state=Outbound.PENDING)), failed=Count("id", filter=Q(state=Outbound.FAILED))
        )
        .order_by()
    )
    for row in deliveries:
        connections[row["connection_id"]].deliveries_waiting = row["waiting"]
        connections[row["connection_id"]].deliveries_failed = row["failed"]
    inbox = (
        WebhookEvent.objects.filter(connection__is_active=True, state=WebhookEvent.State.FAILED)
        .values("connection_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    for row in inbox:
        connections[row["connection_id"]].inbox_failed = row["n"]
    return list(connections.values())
