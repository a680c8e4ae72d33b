"""Sourcing an unfilled shift from a vendor's specialists (issue 22): what to look for, what comes back, and
the registry of vendor channels that answer.

A vendor package registers its `Channel` from `Provider.ready()` (domain apps never import vendors); the
"Find on ..." page asks it to search and to show a person (both synchronous reads, each possibly billed by the
vendor), and books through the domain signal `signals.slot_booking_requested`, which the vendor turns into an
outbox row. A channel raises `SourcingRefused` with words for the coordinator (an empty wallet, an account not
active yet) instead of an error page.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Protocol

from portal.core.timezones import to_local

if TYPE_CHECKING:
    from portal.integrations.models import VendorConnection
    from portal.shifts.models import ShiftRequest

__all__ = [
    "Channel",
    "Criteria",
    "Offer",
    "Person",
    "SourcingRefused",
    "channel_for",
    "criteria_for",
    "register",
    "sourcing_vendors",
]


class SourcingRefused(Exception):
    """The vendor would not answer (no money in the wallet, account not active, e-mail not verified...)."""


@dataclass(frozen=True)
class Criteria:
    """What a coordinator looks for: a window, weekdays (0 = Sunday) and daily hours in `time_zone`."""

    starts_at: dt.datetime
    ends_at: dt.datetime
    time_zone: str
    profession: str
    specialty: str = ""
    days: tuple[int, ...] = ()
    hours: tuple[dt.time, dt.time] | None = None
    price_from: int | None = None
    price_to: int | None = None
    currency: str = "USD"


@dataclass(frozen=True)
class Offer:
    """One person a channel found, with the schedule and the first free slot that fits."""

    person: int
    name: str
    schedule: int
    price: Decimal | None
    currency: str
    slot_start: dt.datetime | None
    slot_minutes: int | None


@dataclass(frozen=True)
class Person:
    person: int
    name: str
    email: str
    phone: str


class Channel(Protocol):
    vendor: str

    def search_cost(self, connection: VendorConnection) -> str: ...

    def view_cost(self, connection: VendorConnection) -> str: ...

    def search(self, connection: VendorConnection, criteria: Criteria) -> list[Offer]: ...

    def view(self, connection: VendorConnection, person: int) -> Person: ...


_CHANNELS: dict[str, Channel] = {}


def register(channel: Channel) -> None:
    _CHANNELS[channel.vendor] = channel


def channel_for(connection: VendorConnection) -> Channel | None:
    return _CHANNELS.get(connection.vendor)


def sourcing_vendors() -> list[str]:
    return sorted(_CHANNELS)


def criteria_for(shift: ShiftRequest) -> Criteria:
    """The shift's own instants, its weekday and hours in its zone, its profession and unit as the specialty."""
    starts, ends = to_local(shift.starts_at, shift.zone), to_local(shift.ends_at, shift.zone)
    same_day = starts.date() == ends.date()
    return Criteria(
        starts_at=shift.starts_at,
        ends_at=shift.ends_at,
        time_zone=str(shift.zone),
        profession=shift.professional_type,
        specialty=shift.unit,
        days=((starts.weekday() + 1) % 7,),
        hours=(starts.time(), ends.time()) if same_day else None,
    )
