"""Typed Ceki records as the User API returns them: contracts, hands, events (transactions too), bills, kals, time logs.

Every record keeps the payload it came from (`raw`, for the local row's `vendor_data`) and the warnings raised
while reading it (`warnings`): a bad value becomes None and a warning, so one broken record never costs a page.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any, ClassVar, Self

from vendors.ceki.schemas.enums import EventStatus, EventType, PaymentStatus, TransactionKind
from vendors.ceki.schemas.reading import RecordReader, localize

__all__ = ["Bill", "CekiRecord", "Contract", "ContractHand", "Event", "EventDetail", "Kal", "TimeLog"]

_MINUTES_PER_HOUR = Decimal(60)


@dataclass(frozen=True, slots=True, kw_only=True)
class CekiRecord:
    """What every Ceki row carries: its id and Laravel's three timestamps (UTC)."""

    KIND: ClassVar[str] = "record"

    id: int | None
    created_at: datetime | None = None
    updated_at: datetime | None = None
    deleted_at: datetime | None = None
    raw: Mapping[str, Any] = field(default_factory=dict, repr=False, compare=False)
    warnings: tuple[str, ...] = field(default=(), compare=False)

    @classmethod
    def from_payload(cls, payload: Mapping[str, Any]) -> Self:
        reader = RecordReader(payload, cls.KIND)
        values = cls._read(reader)
        return cls(
            id=reader.integer("id"),
            created_at=reader.moment("created_at", naive_is_utc=True),
            updated_at=reader.moment("updated_at", naive_is_utc=True),
            deleted_at=reader.moment("deleted_at", naive_is_utc=True),
            **values,
            raw=payload,
            warnings=tuple(reader.warnings),
        )

    @classmethod
    def _read(cls, reader: RecordReader) -> dict[str, Any]:
        return {}

    @property
    def is_deleted(self) -> bool:
        """Soft-deleted in Ceki (contracts can be restored, so the local row is archived, not removed)."""
        return self.deleted_at is not None


@dataclass(frozen=True, slots=True, kw_only=True)
class ContractHand(CekiRecord):
    """A participant ("hand") on a contract: who works, in which role, at what price."""

    KIND: ClassVar[str] = "hand"

    contract_id: int | None = None
    user_id: int | None = None
    role: str | None = None
    price: Decimal | None = None
    limit: int | None = None
    currency: str | None = None
    schedule_id: int | None = None
    status_id: int | None = None
    credit: bool | None = None
    is_working: bool | None = None
    old_contract_id: int | None = None

    @classmethod
    def _read(cls, reader: RecordReader) -> dict[str, Any]:
        return {
            "contract_id": reader.integer("contract_id"),
            "user_id": reader.integer("user_id"),
            "role": reader.text("role"),
            "price": reader.decimal("price"),
            "limit": reader.integer("limit"),
            "currency": reader.text("currency"),
            "schedule_id": reader.integer("schedule_id"),
            "status_id": reader.integer("status_id"),
            "credit": reader.flag("credit"),
            "is_working": reader.flag("is_working"),
            "old_contract_id": reader.integer("old_contract_id"),
        }


@dataclass(frozen=True, slots=True, kw_only=True)
class Contract(CekiRecord):
    """A work contract. `hands` and `totals` are filled only by the show endpoint ("with participants ... totals")."""

    KIND: ClassVar[str] = "contract"

    label: str | None = None
    description: str | None = None
    status_id: int | None = None
    start: datetime | None = None
    end: datetime | None = None
    timezone: str | None = None
    amount: int | None = None
    currency: str | None = None
    credit: bool | None = None
    private: bool | None = None
    privacy: int | None = None
    kal_id: int | None = None
    parent_id: int | None = None
    old_id: int | None = None
    settings: Any = None
    files: tuple[int, ...] = ()
    data: Any = None
    hands: tuple[ContractHand, ...] = ()
    totals: Mapping[str, Any] | None = None

    @classmethod
    def _read(cls, reader: RecordReader) -> dict[str, Any]:
        # The doc does not show the show endpoint's shape ("[null]"); Laravel names the relation after the model.
        hands = reader.objects("hands") or reader.objects("participants")
        totals = reader.json("totals")
        return {
            "label": reader.text("label"),
            "description": reader.text("description"),
            "status_id": reader.integer("status_id"),
            "start": reader.moment("start", naive_is_utc=False),
            "end": reader.moment("end", naive_is_utc=False),
            "timezone": reader.text("timezone"),
            "amount": reader.integer("amount"),
            "currency": reader.text("currency"),
            "credit": reader.flag("credit"),
            "private": reader.flag("private"),
            "privacy": reader.integer("privacy"),
            "kal_id": reader.integer("kal_id"),
            "parent_id": reader.integer("parent_id"),
            "old_id": reader.integer("old_id"),
            "settings": reader.json("settings"),
            "files": reader.ids("files"),
            "data": reader.json("data"),
            "hands": tuple(ContractHand.from_payload(hand) for hand in hands),
            "totals": totals if isinstance(totals, Mapping) else None,
        }

    @property
    def all_warnings(self) -> tuple[str, ...]:
        return self.warnings + tuple(warning for hand in self.hands for warning in hand.warnings)


@dataclass(frozen=True, slots=True, kw_only=True)
class Event(CekiRecord):
    """A calendar event, and also a transaction: Ceki returns charges and deposits in the event shape.

    `date`, `start` and `end` are wall-clock values in `timezone` unless Ceki sent an offset (see `reading`);
    `starts_at` / `ends_at` resolve them to aware datetimes.
    """

    KIND: ClassVar[str] = "event"

    user_id: int | None = None
    type: EventType | None = None
    status: EventStatus | None = None
    payment_status: PaymentStatus | None = None
    external_id: str | None = None
    kal_schedule_id: int | None = None
    kal_id: int | None = None
    parent_id: int | None = None
    billable_type: str | None = None
    billable_id: int | None = None
    benefitable_type: str | None = None
    benefitable_id: int | None = None
    label: str | None = None
    description: str | None = None
    timezone: str | None = None
    date: datetime | None = None
    start: datetime | None = None
    end: datetime | None = None
    view: str | None = None
    duration: int | None = None
    amount: Decimal | None = None
    currency: str | None = None
    credit: bool | None = None
    private: bool | None = None
    files: tuple[int, ...] = ()
    data: Any = None
    owner_type: str | None = None

    @classmethod
    def _read(cls, reader: RecordReader) -> dict[str, Any]:
        day = reader.moment("date", naive_is_utc=False)
        return {
            "user_id": reader.integer("user_id"),
            "type": reader.enum(EventType, "type_id"),
            "status": reader.enum(EventStatus, "status_id"),
            "payment_status": reader.enum(PaymentStatus, "payment_status_id"),
            "external_id": reader.text("external_id"),
            "kal_schedule_id": reader.integer("kal_schedule_id"),
            "kal_id": reader.integer("kal_id"),
            "parent_id": reader.integer("parent_id"),
            "billable_type": reader.text("billable_type"),
            "billable_id": reader.integer("billable_id"),
            "benefitable_type": reader.text("benefitable_type"),
            "benefitable_id": reader.integer("benefitable_id"),
            "label": reader.text("label"),
            "description": reader.text("description"),
            "timezone": reader.text("timezone"),
            "date": day,
            "start": reader.wall_time("start", on=day),
            "end": reader.wall_time("end", on=day),
            "view": reader.text("view"),
            "duration": reader.integer("duration"),
            "amount": reader.decimal("amount"),
            "currency": reader.text("currency"),
            "credit": reader.flag("credit"),
            "private": reader.flag("private"),
            "files": reader.ids("files"),
            "data": reader.json("data"),
            "owner_type": reader.text("owner_type"),
        }

    @property
    def transaction_kind(self) -> TransactionKind | None:
        """Chosen: a `credit` row adds to the beneficiary's balance, so it is a deposit; otherwise a charge.

        The doc has no kind field; None when `credit` is unknown.
        """
        if self.credit is None:
            return None
        return TransactionKind.DEPOSIT if self.credit else TransactionKind.CHARGE

    @property
    def hours(self) -> Decimal | None:
        """Billable hours of a charge (`duration` is in minutes: the doc's minimum is 15)."""
        return None if self.duration is None else Decimal(self.duration) / _MINUTES_PER_HOUR

    @property
    def starts_at(self) -> datetime | None:
        return localize(self.start or self.date, self.timezone)

    @property
    def ends_at(self) -> datetime | None:
        return localize(self.end, self.timezone)


@dataclass(frozen=True, slots=True, kw_only=True)
class Bill(CekiRecord):
    """An invoice on a contract. `lines` are its `data` items, whose shape the doc collapses to `[ ]`."""

    KIND: ClassVar[str] = "bill"

    label: str | None = None
    status_id: int | None = None
    billable_type: str | None = None
    billable_id: int | None = None
    lines: tuple[Mapping[str, Any], ...] = ()

    @classmethod
    def _read(cls, reader: RecordReader) -> dict[str, Any]:
        return {
            "label": reader.text("label"),
            "status_id": reader.integer("status_id"),
            "billable_type": reader.text("billable_type"),
            "billable_id": reader.integer("billable_id"),
            "lines": reader.objects("data"),
        }


@dataclass(frozen=True, slots=True, kw_only=True)
class Kal(CekiRecord):
    """A calendar ("kal"); contracts and schedules hang off one."""

    KIND: ClassVar[str] = "kal"

    label: str | None = None
    description: str | None = None
    timezone: str | None = None
    user_id: int | None = None
    icon: str | None = None
    slug: str | None = None
    private: bool | None = None
    settings: Any = None
    files: tuple[int, ...] = ()
    type_id: int | None = None
    status_id: int | None = None
    external_id: str | None = None
    owner_type: str | None = None

    @classmethod
    def _read(cls, reader: RecordReader) -> dict[str, Any]:
        return {
            "label": reader.text("label"),
            "description": reader.text("description"),
            "timezone": reader.text("timezone"),
            "user_id": reader.integer("user_id"),
            "icon": reader.text("icon"),
            "slug": reader.text("slug"),
            "private": reader.flag("private"),
            "settings": reader.json("settings"),
            "files": reader.ids("files"),
            "type_id": reader.integer("type_id"),
            "status_id": reader.integer("status_id"),
            "external_id": reader.text("external_id"),
            "owner_type": reader.text("owner_type"),
        }


@dataclass(frozen=True, slots=True, kw_only=True)
class TimeLog(CekiRecord):
    """A time tracking session; stopping it turns the tracked minutes into a charge."""

    KIND: ClassVar[str] = "timelog"

    start: datetime | None = None
    end: datetime | None = None
    status_id: int | None = None
    timezone: str | None = None
    label: str | None = None
    trackable_type: str | None = None
    trackable_id: int | None = None
    benefitable_type: str | None = None
    benefitable_id: int | None = None
    user_id: int | None = None

    @classmethod
    def _read(cls, reader: RecordReader) -> dict[str, Any]:
        return {
            "start": reader.moment("start", naive_is_utc=False),
            "end": reader.moment("end", naive_is_utc=False),
            "status_id": reader.integer("status_id"),
            "timezone": reader.text("timezone"),
            "label": reader.text("label"),
            "trackable_type": reader.text("trackable_type"),
            "trackable_id": reader.integer("trackable_id"),
            "benefitable_type": reader.text("benefitable_type"),
            "benefitable_id": reader.integer("benefitable_id"),
            "user_id": reader.integer("user_id"),
        }

    @property
    def is_running(self) -> bool:
        return self.start is not None and self.end is None and self.deleted_at is None


@dataclass(frozen=True, slots=True, kw_only=True)
class EventDetail:
    """The event show endpoint: the event, the caller's pivot row, proposed corrections and the event's kals."""

    event: Event
    pivot: Mapping[str, Any] | None = None
    corrections: tuple[Mapping[str, Any], ...] = ()
    kals: tuple[Kal, ...] = ()
    warnings: tuple[str, ...] = field(default=(), compare=False)

    @classmethod
    def from_payload(cls, payload: Mapping[str, Any]) -> Self:
        reader = RecordReader(payload, "event_detail")
        event = Event.from_payload(reader.raw("event") or {})
        pivot = reader.json("pivot")
        kals = tuple(Kal.from_payload(kal) for kal in reader.objects("kals"))
        corrections = reader.objects("corrections")
        nested = [*event.warnings, *(warning for kal in kals for warning in kal.warnings)]
        return cls(
            event=event,
            pivot=pivot if isinstance(pivot, Mapping) else None,
            corrections=corrections,
            kals=kals,
            warnings=(*reader.warnings, *nested),
        )
