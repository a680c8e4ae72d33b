"""Subdocuments shared by several Alaunus objects: names, locations, phones, availability, money and references.

The doc names these subdocuments and says what they contain ("Location info, like address and geolocation")
but never their keys, so each reader accepts the few spellings a document API plausibly uses; the choice is
listed in the package README. What a subdocument holds beyond these fields stays in the record's raw payload.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from vendors.alaunus.schemas.enums import Weekday
from vendors.alaunus.schemas.reader import PayloadReader, SubDocument, enum_member

__all__ = [
    "AccountSettings",
    "AvailabilityWindow",
    "BillingSettings",
    "Charge",
    "DeletedDate",
    "EmergencyContact",
    "GeoPoint",
    "Language",
    "Location",
    "Name",
    "Period",
    "Phone",
    "Reference",
    "Service",
    "Tax",
    "embedded",
    "parse_availability",
    "parse_weekday",
    "read_name",
]

_DAY_NAMES = {
    "monday": Weekday.MO,
    "tuesday": Weekday.TU,
    "wednesday": Weekday.WE,
    "thursday": Weekday.TH,
    "friday": Weekday.FR,
    "saturday": Weekday.SA,
    "sunday": Weekday.SU,
}


def parse_weekday(value: Any) -> Weekday | None:
    """`MO`, `monday`, `Mon` or 0-6 counted from Monday (rrule.js and dateutil both count so) -> Weekday."""
    if isinstance(value, int) and not isinstance(value, bool):
        return list(Weekday)[value] if 0 <= value <= 6 else None
    text = str(value).strip().lower()
    if text.isdigit():
        return parse_weekday(int(text))
    for name, day in _DAY_NAMES.items():
        if len(text) >= 2 and name.startswith(text):
            return day
    return enum_member(Weekday, text)


@dataclass(frozen=True, slots=True)
class Name(SubDocument):
    """A person's or company's `name` subdocument."""

    first: str | None = None
    middle: str | None = None
    last: str | None = None
    nickname: str | None = None
    full: str | None = None

    @classmethod
    def from_reader(cls, reader: PayloadReader) -> Name:
        return cls(
            first=reader.text("first", "first_name", "given"),
            middle=reader.text("middle", "middle_name"),
            last=reader.text("last", "last_name", "family"),
            nickname=reader.text("nickname", "nick"),
            full=reader.text("full", "display", "name", "legal"),
        )

    @property
    def display(self) -> str:
        """What a page shows: the full name if sent, else first and last joined."""
        return self.full or " ".join(part for part in (self.first, self.last) if part)


def embedded(reader: PayloadReader, schema: type[Reference] | type[Service], key: str) -> Any:
    """An embedded copy of another record (`{"_id": ..., ...}`) or, as writes and some reads send it, a bare id."""
    if isinstance(reader.raw(key), dict):
        return reader.one(schema, key)
    found = reader.ident(key)
    return schema(id=found) if found else None


def read_name(reader: PayloadReader, key: str = "name") -> Name | None:
    """`name` as the doc's subdocument, or as a plain string some embedded copies carry."""
    if isinstance(reader.raw(key), dict):
        return reader.one(Name, key)
    full = reader.text(key)
    return Name(full=full) if full else None


@dataclass(frozen=True, slots=True)
class GeoPoint(SubDocument):
    """`geolocation`: `{lat, lng}`, `{latitude, longitude}` or GeoJSON `{type: Point, coordinates: [lng, lat]}`."""

    latitude: float | None
    longitude: float | None

    @classmethod
    def from_reader(cls, reader: PayloadReader) -> GeoPoint:
        coordinates = reader.raw("coordinates")
        if isinstance(coordinates, list) and len(coordinates) == 2:
            pair = reader.child("coordinates", {"lng": coordinates[0], "lat": coordinates[1]})
            return cls(latitude=pair.number("lat"), longitude=pair.number("lng"))
        return cls(latitude=reader.number("lat", "latitude"), longitude=reader.number("lng", "lon", "longitude"))


@dataclass(frozen=True, slots=True)
class Location(SubDocument):
    """One of `locations` (or an event's `location`/`location_end`): "address and geolocation"."""

    id: str | None = None
    label: str | None = None
    street: str | None = None
    unit: str | None = None
    city: str | None = None
    region: str | None = None
    postal_code: str | None = None
    country: str | None = None
    geolocation: GeoPoint | None = None
    primary: bool | None = None

    @classmethod
    def from_reader(cls, reader: PayloadReader) -> Location:
        # The address may be flat on the location or nested under `address`.
        address = reader.raw("address")
        source = reader.child("address", address) if isinstance(address, dict) else reader
        return cls(
            id=reader.ident("_id", "id"),
            label=reader.text("label", "type", "title"),
            street=source.text("street", "address1", "line1", "address"),
            unit=source.text("unit", "address2", "line2", "suite"),
            city=source.text("city", "locality"),
            region=source.text("province", "state", "region"),
            postal_code=source.text("postal_code", "postal", "zip", "zip_code"),
            country=source.text("country"),
            geolocation=reader.one(GeoPoint, "geolocation", "geo", "coordinates"),
            primary=reader.boolean("primary", "is_primary", "default"),
        )


@dataclass(frozen=True, slots=True)
class Phone(SubDocument):
    """One of `phones`/`emergency_phones`: "numbers and types"."""

    number: str | None = None
    type: str | None = None
    extension: str | None = None
    primary: bool | None = None

    @classmethod
    def from_reader(cls, reader: PayloadReader) -> Phone:
        return cls(
            number=reader.text("number", "phone", "value"),
            type=reader.text("type", "label"),
            extension=reader.text("ext", "extension"),
            primary=reader.boolean("primary", "is_primary"),
        )


@dataclass(frozen=True, slots=True)
class EmergencyContact(SubDocument):
    """One of a patient's `contacts`: "Emergency contacts with phone number and etc"."""

    name: Name | None = None
    relationship: str | None = None
    email: str | None = None
    phones: tuple[Phone, ...] = ()

    @classmethod
    def from_reader(cls, reader: PayloadReader) -> EmergencyContact:
        return cls(
            name=read_name(reader),
            relationship=reader.text("relationship", "relation", "type"),
            email=reader.text("email"),
            phones=reader.many(Phone, "phones", "phone"),
        )


@dataclass(frozen=True, slots=True)
class AvailabilityWindow:
    """One span of `availability`: the weekday and the hours (wall-clock, the person's own time zone)."""

    weekday: Weekday
    start: time | None
    end: time | None


def parse_availability(reader: PayloadReader, key: str = "availability") -> tuple[AvailabilityWindow, ...]:
    """`availability` ("the days and hours ... available during the week") -> windows, Monday first.

    Accepted: `{"monday": [{"start": "08:00", "end": "16:00"}]}`, `{"MO": {"from": ..., "to": ...}}`,
    `{"monday": true}` (all day) and a list of `{"day": ..., "start": ..., "end": ...}`.
    """
    value = reader.raw(key)
    if value is None:
        return ()
    entries: list[tuple[str, Any, Any]] = []
    if isinstance(value, dict):
        for day_key, spans in value.items():
            listed = spans if isinstance(spans, list) else [spans]
            entries.extend((f"{key}.{day_key}", day_key, span) for span in listed)
    elif isinstance(value, list):
        for position, span in enumerate(value):
            day = span.get("day", span.get("weekday")) if isinstance(span, dict) else None
            entries.append((f"{key}[{position}]", day, span))
    else:
        reader.warn(key, value, "not an availability subdocument")
        return ()
    windows = []
    for path, day_value, span in entries:
        day = parse_weekday(day_value) if day_value is not None else None
        if day is None:
            reader.warn(path, day_value, "not a weekday")
            continue
        if span is True:
            windows.append(AvailabilityWindow(day, None, None))
        elif isinstance(span, dict):
            if span.get("available", True) not in (False, "false", 0):
                span_reader = reader.child(path, span)
                windows.append(
                    AvailabilityWindow(day, _clock(span_reader, "start", "from"), _clock(span_reader, "end", "to"))
                )
        elif span not in (False, None):
            reader.warn(path, span, "not a span of hours")
    return tuple(sorted(windows, key=lambda window: (list(Weekday).index(window.weekday), window.start or time())))


def _clock(reader: PayloadReader, *keys: str) -> time | None:
    """A time of day: `08:00`, `8:00:00`, `0800`, or minutes after midnight as a number."""
    raw = reader.raw(*keys)
    if raw is None or raw == "":
        return None
    try:
        if isinstance(raw, int) and not isinstance(raw, bool):
            return time(raw // 60, raw % 60)
        text = str(raw).strip()
        if text.isdigit() and len(text) == 4:
            text = f"{text[:2]}:{text[2:]}"
        hours, _, rest = text.partition(":")
        return time.fromisoformat(f"{hours.zfill(2)}:{rest}")
    except (ValueError, TypeError):
        reader.warn(keys[0], raw, "not a time of day")
        return None


@dataclass(frozen=True, slots=True)
class DeletedDate(SubDocument):
    """One of `_deleted_dates`: "the date in which [it] was deleted and its reasons"."""

    date: datetime | None
    reason: str | None = None
    user: str | None = None

    @classmethod
    def from_reader(cls, reader: PayloadReader) -> DeletedDate:
        return cls(
            date=reader.datetime("date", "_date", "deleted_date"),
            reason=reader.text("reason", "reasons", "notes"),
            user=reader.ident("user", "_user", "deleted_user"),
        )


@dataclass(frozen=True, slots=True)
class Reference(SubDocument):
    """An embedded copy of another record (an event's `patient`, a punchcard's `user`...): its id and name."""

    id: str | None
    name: Name | None = None
    email: str | None = None

    @classmethod
    def from_reader(cls, reader: PayloadReader) -> Reference:
        return cls(id=reader.ident("_id", "id"), name=read_name(reader), email=reader.text("email"))


@dataclass(frozen=True, slots=True)
class Service(SubDocument):
    """One of `services`, or an event's/punchcard's `service`: "code, description, pay rate and others"."""

    id: str | None = None
    code: str | None = None
    title: str | None = None
    description: str | None = None
    pay_rate: Decimal | None = None
    bill_rate: Decimal | None = None
    quantity: Decimal | None = None
    amount: Decimal | None = None

    @classmethod
    def from_reader(cls, reader: PayloadReader) -> Service:
        return cls(
            id=reader.ident("_id", "id", "service"),
            code=reader.text("code"),
            title=reader.text("title", "name", "label"),
            description=reader.text("description"),
            pay_rate=reader.money("pay_rate", "pay"),
            bill_rate=reader.money("bill_rate", "rate", "bill"),
            quantity=reader.money("quantity", "hours", "units"),
            amount=reader.money("amount", "total"),
        )


@dataclass(frozen=True, slots=True)
class Tax(SubDocument):
    """One of `taxes`: "the amount and its label" (a percentage on accounts, money on invoices)."""

    label: str | None
    amount: Decimal | None
    id: str | None = None

    @classmethod
    def from_reader(cls, reader: PayloadReader) -> Tax:
        return cls(label=reader.text("label", "name"), amount=reader.money("amount", "rate"), id=reader.ident("_id"))


@dataclass(frozen=True, slots=True)
class Charge(SubDocument):
    """A punchcard's `bill`/`pay` or an event's `expectation`: rate x quantity = amount."""

    rate: Decimal | None = None
    quantity: Decimal | None = None
    amount: Decimal | None = None
    currency: str | None = None

    @classmethod
    def from_reader(cls, reader: PayloadReader) -> Charge:
        return cls(
            rate=reader.money("rate", "pay_rate", "bill_rate"),
            quantity=reader.money("quantity", "hours", "units", "duration"),
            amount=reader.money("amount", "total"),
            currency=reader.text("currency"),
        )


@dataclass(frozen=True, slots=True)
class Period(SubDocument):
    """A date range: an invoice's `billing_period`, a patient's `service_date`."""

    start: date | None
    end: date | None

    @classmethod
    def from_reader(cls, reader: PayloadReader) -> Period:
        return cls(start=reader.date("start", "from"), end=reader.date("end", "to"))


@dataclass(frozen=True, slots=True)
class BillingSettings(SubDocument):
    """An account's `billing_settings` or an event's/patient's `billing`: "billing period, currency, payment
    method ... what happens with late checkouts"."""

    period: str | None = None
    currency: str | None = None
    payment_method: str | None = None
    late_checkout: str | None = None

    @classmethod
    def from_reader(cls, reader: PayloadReader) -> BillingSettings:
        return cls(
            period=reader.text("billing_period", "period"),
            currency=reader.text("currency"),
            payment_method=reader.text("payment_method", "method"),
            late_checkout=reader.text("late_checkout", "late_checkouts"),
        )


@dataclass(frozen=True, slots=True)
class AccountSettings(SubDocument):
    """An account's `settings`: "the timezone, currency used, country, language and others"."""

    timezone: str | None = None
    currency: str | None = None
    country: str | None = None
    language: str | None = None

    @classmethod
    def from_reader(cls, reader: PayloadReader) -> AccountSettings:
        return cls(
            timezone=reader.text("timezone", "time_zone", "tz"),
            currency=reader.text("currency"),
            country=reader.text("country"),
            language=reader.text("language", "locale"),
        )


@dataclass(frozen=True, slots=True)
class Language(SubDocument):
    """One of `languages`: the language and whether it is the primary one."""

    language: str | None
    primary: bool | None = None

    @classmethod
    def from_reader(cls, reader: PayloadReader) -> Language:
        return cls(language=reader.text("language", "name", "code"), primary=reader.boolean("primary", "is_primary"))
