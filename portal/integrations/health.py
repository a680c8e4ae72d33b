"""Vendor health for coordinators: which connections are in trouble right now, in the words their vendor used.

A connection is in trouble while its last sync failed, or while changes for it are parked (failed) or waiting
after a refused first try. The pages whose records depend on a vendor show a banner for it (`DEPENDS_ON`, by
URL namespace), and every page counts the changes that have not reached a vendor yet: one query each, run only
when a template shows them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import DateTimeField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce

from portal.integrations.models import OutboundRequest, SyncRun, VendorConnection

__all__ = ["DEPENDS_ON", "VendorTrouble", "troubles", "undelivered_count", "vendors_for"]

State = OutboundRequest.State

# Which vendors the records of a page come from, by URL namespace ("namespace:url_name" wins over "namespace").
DEPENDS_ON: dict[str, tuple[str, ...]] = {
    "shifts": ("intelycare",),
    "billing": ("ceki",),
    "billing:ledger": ("alaunus",),
    "shifts:visits": ("alaunus",),
    "jobs": ("kamana",),
    "contracts": ("kamana",),
    "talent": ("kamana",),
    "talent:people": (),  # people from every vendor: no one vendor's trouble is the list's
}

# Waiting after a refusal, or parked: what "deliveries to it are failing" means.
STUCK = Q(state=State.FAILED) | (Q(state=State.PENDING) & ~Q(last_error=""))
UNDELIVERED = (State.PENDING, State.SENDING, State.FAILED)
EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


@dataclass(frozen=True)
class VendorTrouble:
    connection: VendorConnection
    reason: str
    since: dt.datetime | None
    sync_failing: bool
    deliveries_stuck: bool


def vendors_for(namespace: str, url_name: str) -> tuple[str, ...]:
    return DEPENDS_ON.get(f"{namespace}:{url_name}", DEPENDS_ON.get(namespace, ()))


def troubles(vendors: tuple[str, ...]) -> list[VendorTrouble]:
    """The active connections of these vendors that are failing now, with the vendor's latest reason and since
    when (the first failed sync after the last good one, or the oldest change still not delivered). One query."""
    if not vendors:
        return []
    stuck = OutboundRequest.objects.filter(STUCK, connection=OuterRef("pk"))
    last_good = SyncRun.objects.filter(connection=OuterRef(OuterRef("pk")), state=SyncRun.State.SUCCEEDED)
    first_failed = SyncRun.objects.filter(
        connection=OuterRef("pk"),
        state=SyncRun.State.FAILED,
        started_at__gt=Coalesce(Subquery(last_good.order_by("-started_at").values("started_at")[:1]), Value(EPOCH)),
    )
    connections = (
        VendorConnection.objects.filter(vendor__in=vendors, is_active=True)
        .annotate(
            stuck_since=Subquery(stuck.order_by("created_at").values("created_at")[:1]),
            stuck_reason=Subquery(stuck.order_by("-pk").values("last_error")[:1]),
            sync_failed_since=Subquery(
                first_failed.order_by("started_at").values("started_at")[:1], output_field=DateTimeField()
            ),
        )
        .filter(Q(last_sync_status=VendorConnection.SyncStatus.FAILED) | Q(stuck_since__isnull=False))
        .order_by("vendor", "name")
    )
    return [_trouble(connection) for connection in connections]


def _trouble(connection: VendorConnection) -> VendorTrouble:
    sync_failing = connection.last_sync_status == VendorConnection.SyncStatus.FAILED
    sync_since = (connection.sync_failed_since or connection.last_sync_at) if sync_failing else None
    starts = [at for at in (sync_since, connection.stuck_since) if at is not None]
    reason = connection.stuck_reason if connection.stuck_since else connection.last_sync_error
    return VendorTrouble(
        connection=connection,
        reason=reason or "no reason given",
        since=min(starts) if starts else None,
        sync_failing=sync_failing,
        deliveries_stuck=connection.stuck_since is not None,
    )


def undelivered_count(cap: int = 99) -> int:
    """Changes written here that have not reached their vendor (queued, being sent, waiting or parked), counted up
    to `cap` + 1: the nav shows "99+" beyond, and the query stays an index read of at most a hundred ids."""
    return len(OutboundRequest.objects.filter(state__in=UNDELIVERED).order_by().values_list("pk", flat=True)[: cap + 1])
