"""What a record's page shows of sourcing (issue 22): a "Find on <connection>" link per active connection whose
vendor offers specialists, while the record may be sourced, and its bookings with their state. Two queries."""

from __future__ import annotations

from typing import Any

from portal.integrations.models import VendorConnection
from portal.shifts import sourcing
from portal.shifts.models import SlotBooking
from portal.shifts.sourcing_records import LIVE, Sourced

__all__ = ["panel_context"]

SHOWN = 5


def panel_context(source: Sourced) -> dict[str, Any]:
    bookings = list(
        SlotBooking.objects.filter(**{source.kind: source.record})
        .select_related("profile", "connection")
        .order_by("-created_at", "-id")[:SHOWN]
    )
    live = sum(booking.state in LIVE for booking in bookings)
    sources: Any = []
    if not source.refusal and live < source.openings and sourcing.sourcing_vendors():
        sources = VendorConnection.objects.filter(vendor__in=sourcing.sourcing_vendors(), is_active=True)
    return {
        "source": source,
        "sources": sources,
        "bookings": bookings,
        "pending": any(booking.state == SlotBooking.State.PENDING for booking in bookings),
    }
