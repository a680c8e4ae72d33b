"""The price range a sourcing search asks for (issue 22), from the rate card that would price the work: no one
dearer per hour than the card bills the client, so a sourced booking never runs at a loss. Registered with
`portal.shifts.sourcing` by the billing app (which sits above shifts and may read both)."""

from __future__ import annotations

from django.db.models import Q

from portal.billing.models import RateCard
from portal.billing.rates import RateBook, shift_kind
from portal.core.timezones import to_local
from portal.shifts.sourcing import PricePlace

__all__ = ["price_range"]


def price_range(place: PricePlace) -> tuple[int | None, int | None, str] | None:
    """(None, the card's bill rate in whole units, its currency), or None where no card prices the work. One
    query: the cards of the place's facility and client for its profession."""
    if not place.profession or not (place.facility_id or place.client_id):
        return None
    day = to_local(place.starts_at, place.time_zone).date()
    scope = Q(facility_id=place.facility_id) if place.facility_id else Q(pk__in=[])
    if place.client_id:
        scope |= Q(client_id=place.client_id, facility__isnull=True)
    cards = RateCard.objects.filter(scope, profession=place.profession, effective_from__lte=day)
    kind = shift_kind(place.starts_at, place.time_zone, place.state)
    card = RateBook(cards).find(place.facility_id, place.client_id, place.profession, kind, day)
    return (None, int(card.bill_rate), card.currency) if card else None
