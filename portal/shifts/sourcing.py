"""Sourcing an unfilled shift, an unfilled visit or an open requisition from a vendor's specialists (issue 22):
what to look for, what comes back, and the registry of vendor channels that answer.

A vendor package registers its `Channel` from `Provider.ready()` (domain apps never import vendors); the
"Find on ..." page asks it to search and to show a person (both synchronous reads, each possibly billed by the
vendor), and books through the domain signal `signals.slot_booking_requested`, which the vendor turns into an
outbox row. A channel raises `SourcingRefused` with words for the coordinator (an empty wallet, an account not
active yet) instead of an error page. A price range comes from the rate cards (`portal.billing`, above this app,
registers its lookup with `register_price_range`), so the search asks for no one dearer than the client pays.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import TYPE_CHECKING, Protocol

from portal.core.timezones import local_to_utc, to_local
from portal.jobs.models import DEFAULT_TIME_ZONE
from portal.shifts.models import ProfessionalType

if TYPE_CHECKING:
    from collections.abc import Callable

    from portal.integrations.models import VendorConnection
    from portal.jobs.models import JobRequisition
    from portal.shifts.models import ShiftRequest, Visit

__all__ = [
    "Channel",
    "Criteria",
    "Offer",
    "Person",
    "PricePlace",
    "SourcingRefused",
    "channel_for",
    "criteria_for",
    "register",
    "register_price_range",
    "requisition_criteria",
    "sourcing_vendors",
    "visit_criteria",
]

REQUISITION_WINDOW = dt.timedelta(days=7)  # a requisition's first week: who could start then
HOME_CARE = ProfessionalType.HHA  # a visit names no profession: a home health aide's


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
class PricePlace:
    """Where and as what work is priced by the rate cards: the rate card lookup's question."""

    facility_id: int | None
    client_id: int | None
    profession: str
    state: str
    starts_at: dt.datetime
    time_zone: str


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

    @property
    def slot_end(self) -> dt.datetime | None:
        return self.slot_start + dt.timedelta(minutes=self.slot_minutes) if self.slot_start else None


@dataclass(frozen=True)
class Person:
    """A specialist's profile: a name to create the portal's person with, an e-mail to match one."""

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
_PRICE_RANGES: list[Callable[[PricePlace], tuple[int | None, int | None, str] | None]] = []


def register(channel: Channel) -> None:
    _CHANNELS[channel.vendor] = channel


def register_price_range(lookup: Callable[[PricePlace], tuple[int | None, int | None, str] | None]) -> None:
    if lookup not in _PRICE_RANGES:
        _PRICE_RANGES.append(lookup)


def channel_for(connection: VendorConnection) -> Channel | None:
    return _CHANNELS.get(connection.vendor)


def sourcing_vendors() -> list[str]:
    return sorted(_CHANNELS)


def _criteria(
    starts_at: dt.datetime, ends_at: dt.datetime, zone: str, profession: str, specialty: str, place: PricePlace
) -> Criteria:
    """Its weekday and daily hours in `zone` (no hours for work across midnight), and the rate card's prices."""
    starts, ends = to_local(starts_at, zone), to_local(ends_at, zone)
    same_day = starts.date() == ends.date()
    prices = next((found for lookup in _PRICE_RANGES if (found := lookup(place))), None)
    low, high, currency = prices or (None, None, "USD")
    return Criteria(
        starts_at=starts_at,
        ends_at=ends_at,
        time_zone=zone,
        profession=profession,
        specialty=specialty,
        days=((starts.weekday() + 1) % 7,),
        hours=(starts.time(), ends.time()) if same_day else None,
        price_from=low,
        price_to=high,
        currency=currency,
    )


def criteria_for(shift: ShiftRequest) -> Criteria:
    """The shift's own instants in its facility's zone, its profession and unit as the specialty."""
    facility = shift.facility
    state = facility.province.abbreviation if facility.province_id else ""
    profession, zone = shift.professional_type, str(shift.zone)
    place = PricePlace(facility.pk, facility.client_id, profession, state, shift.starts_at, zone)
    return _criteria(shift.starts_at, shift.ends_at, zone, profession, shift.unit, place)


def visit_criteria(visit: Visit) -> Criteria:
    """The visit's instants in the patient's zone, a home health aide for its service."""
    patient = visit.patient
    state = patient.province.abbreviation if patient and patient.province_id else ""
    client = visit.client_id or (patient.client_id if patient else None)
    place = PricePlace(None, client, HOME_CARE, state, visit.starts_at, visit.time_zone)
    return _criteria(visit.starts_at, visit.ends_at, visit.time_zone, HOME_CARE, visit.service_name, place)


def requisition_criteria(requisition: JobRequisition, today: dt.date) -> Criteria:
    """The requisition's first week from its start (today when it is ASAP or past), on its daily hours in the
    facility's zone; its profession when the portal's shifts know it, its specialty by name."""
    facility = requisition.facility
    zone = facility.time_zone if facility and facility.time_zone else DEFAULT_TIME_ZONE
    first = max(requisition.starts_on or today, today)
    start_hour, end_hour = requisition.shift_start_hour, requisition.shift_end_hour
    daily = start_hour is not None and end_hour is not None and start_hour < end_hour
    starts_at = local_to_utc(dt.datetime.combine(first, dt.time(start_hour if daily else 0)), zone)
    abbreviation = (requisition.profession.abbreviation if requisition.profession else "").upper()
    profession = abbreviation if abbreviation in ProfessionalType.values else ""
    state = facility.province.abbreviation if facility and facility.province_id else ""
    place = PricePlace(facility.pk if facility else None, facility.client_id if facility else None, profession,
                       state, starts_at, zone)  # fmt: skip
    window = _criteria(starts_at, starts_at + REQUISITION_WINDOW, zone, profession, "", place)
    hours = (dt.time(start_hour), dt.time(end_hour)) if daily else None
    specialty = requisition.specialty.name if requisition.specialty else ""
    return replace(window, days=(), hours=hours, specialty=specialty)
