"""The Agent API's payloads: registration, e-mail verification, specialist search and profiles, schedules with
their generated slots, booking a slot, and the agent's wallet (balances, usage per period, transactions).

The doc collapses most of these samples (`"data": [ ]`, `"user": { }`), so the fields read here beyond the
doc's visible ones are chosen, and the sandbox answers with exactly them (README "Agent API"). Bodies are
checked against the doc's limits before they leave, every broken field at once (`PayloadInvalid`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, time
from decimal import Decimal
from enum import StrEnum
from typing import Any, ClassVar, Self

from vendors.ceki.schemas.reading import RecordReader
from vendors.ceki.schemas.resources import CekiRecord
from vendors.ceki.schemas.validation import FieldChecks, compact

__all__ = [
    "FREE_PROFILE_VIEWS",
    "VERIFY_CODE_LENGTH",
    "AgentCurrency",
    "AgentProfile",
    "AgentRegistration",
    "AgentStatus",
    "Booking",
    "ScheduleSlots",
    "Slot",
    "Specialist",
    "SpecialistProfile",
    "Usage",
    "UsageLine",
    "WalletBalance",
    "WalletTransaction",
    "agent_register_body",
    "booking_body",
    "specialist_search_body",
    "verify_email_body",
]

FREE_PROFILE_VIEWS = 100  # "First 100 views/month free"
VERIFY_CODE_LENGTH = 6  # "string = 6 characters"
MAX_SEARCH_DAYS = 31  # chosen: a search window longer than a month is refused (the sandbox's rule too)


class AgentStatus(StrEnum):
    """The doc's "Agent Statuses": only `active` may search, view profiles or book."""

    PENDING_DEPOSIT = "pending_deposit"
    ACTIVE = "active"
    SUSPENDED = "suspended"
    BANNED = "banned"


class AgentCurrency(StrEnum):
    """Wallet currencies ("Supported: BTC, ETH, USDT, USDC")."""

    BTC = "BTC"
    ETH = "ETH"
    USDT = "USDT"
    USDC = "USDC"


# -- bodies ------------------------------------------------------------------------------------------------------
def _texts(checks: FieldChecks, name: str, values: Iterable[str] | None, *, limit: int, length: int) -> list | None:
    if values is None:
        return None
    items = list(values)
    if len(items) > limit:
        checks.add(name, f"The {name} field must not have more than {limit} items.")
    for position, value in enumerate(items):
        checks.text(f"{name}.{position}", value, max_length=length)
    return items


def agent_register_body(
    name: str,
    email: str,
    *,
    currency: AgentCurrency | str | None = None,
    description: str | None = None,
    callback_url: str | None = None,
    skills: Iterable[str] | None = None,
    languages: Iterable[str] | None = None,
) -> dict[str, Any]:
    """`POST /api/agent/register`: name (<= 255) and email required; skills <= 100 items, languages <= 50."""
    checks = FieldChecks()
    body = {
        "name": checks.text("name", name, required=True, max_length=255),
        "email": checks.email("email", email, required=True),
        "currency": checks.choice("currency", currency, AgentCurrency),
        "description": checks.text("description", description, max_length=5000),
        "callback_url": checks.text("callback_url", callback_url, max_length=500),
        "skills": _texts(checks, "skills", skills, limit=100, length=100),
        "languages": _texts(checks, "languages", languages, limit=50, length=10),
    }
    checks.raise_if_invalid()
    return compact({**body, "currency": str(body["currency"]) if body["currency"] else None})


def verify_email_body(email: str, code: str) -> dict[str, Any]:
    """`POST /api/agent/verify-email`: the 6-character code mailed at registration."""
    checks = FieldChecks()
    body = {
        "email": checks.email("email", email, required=True),
        "code": checks.text("code", code, required=True, min_length=VERIFY_CODE_LENGTH, max_length=VERIFY_CODE_LENGTH),
    }
    checks.raise_if_invalid()
    return body


def specialist_search_body(
    *,
    start: datetime,
    end: datetime,
    timezone: str,
    skills: Iterable[int] = (),
    days: Iterable[int] | None = None,
    hours: tuple[time, time] | None = None,
    duration: int | None = None,
    price_from: int | None = None,
    price_to: int | None = None,
    currency: str | None = None,
    query: str | None = None,
    page: int | None = None,
    per_page: int | None = None,
) -> dict[str, Any]:
    """The specialist search: a window (`start` < `end`, at most a month), `days` 0-6 (0 is Sunday, Carbon's
    `dayOfWeek`), `hours` as `{"from": "HH:MM", "to": "HH:MM"}` in `timezone` (the doc collapses the object:
    chosen), prices as integers >= 0 with `price_from` <= `price_to`."""
    checks = FieldChecks()
    day_list = None if days is None else sorted(set(days))
    for position, day in enumerate(day_list or []):
        checks.integer(f"days.{position}", day, minimum=0, maximum=6)
    body = {
        "start": checks.moment("start", start, required=True),
        "end": checks.moment("end", end, required=True),
        "timezone": checks.timezone("timezone", timezone, required=True),
        "skills": checks.ids("skills", list(skills)) or [],
        "days": day_list,
        "hours": None if hours is None else {"from": hours[0].strftime("%H:%M"), "to": hours[1].strftime("%H:%M")},
        "duration": checks.integer("duration", duration, minimum=1),
        "price_from": checks.integer("price_from", price_from, minimum=0),
        "price_to": checks.integer("price_to", price_to, minimum=0),
        "currency": checks.text("currency", currency, max_length=10),
        "query": checks.text("query", query, max_length=200),
        "page": checks.integer("page", page, minimum=1),
        "perPage": checks.integer("perPage", per_page, minimum=1, maximum=100),
    }
    if body["start"] and body["end"]:
        if end <= start:
            checks.add("end", "The end field must be a date after start.")
        elif (end - start).days > MAX_SEARCH_DAYS:
            checks.add("end", f"The search window must not be longer than {MAX_SEARCH_DAYS} days.")
    if hours is not None and hours[1] <= hours[0]:
        checks.add("hours", "The hours to field must be a time after from.")
    if body["price_from"] is not None and body["price_to"] is not None and body["price_to"] < body["price_from"]:
        checks.add("price_to", "The price to field must be greater than or equal to price from.")
    checks.raise_if_invalid()
    return compact(body)


def booking_body(start: datetime, *, with_payment: bool = False) -> dict[str, Any]:
    """Book the slot starting at `start` (chosen body: the doc shows none). `payment: true` asks Ceki for a
    payment link (`url` in the answer); without it the slot is booked unpaid."""
    checks = FieldChecks()
    body = {"start": checks.moment("start", start, required=True), "payment": checks.flag("payment", with_payment)}
    checks.raise_if_invalid()
    return body


# -- records -----------------------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True, kw_only=True)
class AgentRegistration:
    """The register answer: the API key (shown once), the status and the wallet's deposit address."""

    agent_id: int | None
    api_key: str | None
    status: AgentStatus | None
    email_verified: bool | None
    deposit_address: str | None
    message: str | None
    warnings: tuple[str, ...] = field(default=(), compare=False)

    @classmethod
    def from_payload(cls, payload: Mapping[str, Any]) -> Self:
        reader = RecordReader(payload, "agent")
        wallet = payload.get("wallet") if isinstance(payload.get("wallet"), Mapping) else {}
        return cls(
            agent_id=reader.integer("agent_id", "id"),
            api_key=reader.text("api_key"),
            status=reader.enum(AgentStatus, "status"),
            email_verified=reader.flag("email_verified"),
            deposit_address=RecordReader(wallet, "wallet").text("deposit_address", "address"),
            message=reader.text("message"),
            warnings=tuple(reader.warnings),
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class AgentProfile(CekiRecord):
    """`GET /api/agent/me`'s `agent`: who the key belongs to, its status and whether its e-mail is verified."""

    KIND: ClassVar[str] = "agent"

    name: str | None = None
    email: str | None = None
    status: AgentStatus | None = None
    email_verified: bool | None = None

    @classmethod
    def from_answer(cls, payload: Mapping[str, Any]) -> Self:
        agent = payload.get("agent")
        return cls.from_payload(agent if isinstance(agent, Mapping) else payload)

    @classmethod
    def _read(cls, reader: RecordReader) -> dict[str, Any]:
        return {
            "name": reader.text("name"),
            "email": reader.text("email"),
            "status": reader.enum(AgentStatus, "status"),
            "email_verified": reader.flag("email_verified"),
        }


@dataclass(frozen=True, slots=True, kw_only=True)
class Specialist(CekiRecord):
    """One search hit: a person with an active schedule that matches, its price per slot and next free slot."""

    KIND: ClassVar[str] = "specialist"

    name: str | None = None
    timezone: str | None = None
    skills: tuple[int, ...] = ()
    schedule_id: int | None = None
    price: Decimal | None = None
    currency: str | None = None
    duration: int | None = None
    next_slot: datetime | None = None

    @classmethod
    def _read(cls, reader: RecordReader) -> dict[str, Any]:
        return {
            "name": reader.text("name"),
            "timezone": reader.text("timezone"),
            "skills": reader.ids("skills"),
            "schedule_id": reader.integer("schedule_id"),
            "price": reader.decimal("price"),
            "currency": reader.text("currency"),
            "duration": reader.integer("duration"),
            "next_slot": reader.moment("next_slot"),
        }


@dataclass(frozen=True, slots=True, kw_only=True)
class SpecialistProfile(CekiRecord):
    """`GET /api/agent/user/{id}`'s `user`: contact, skills, languages, and how many schedules are active."""

    KIND: ClassVar[str] = "user"

    name: str | None = None
    email: str | None = None
    phone: str | None = None
    timezone: str | None = None
    skills: tuple[int, ...] = ()
    active_schedules: int | None = None

    @classmethod
    def from_answer(cls, payload: Mapping[str, Any]) -> Self:
        user = payload.get("user")
        return cls.from_payload(user if isinstance(user, Mapping) else {})

    @classmethod
    def _read(cls, reader: RecordReader) -> dict[str, Any]:
        return {
            "name": reader.text("name"),
            "email": reader.text("email"),
            "phone": reader.text("phone"),
            "timezone": reader.text("timezone"),
            "skills": reader.ids("skills"),
            "active_schedules": reader.integer("active_schedules_count", "schedules_count"),
        }


@dataclass(frozen=True, slots=True)
class Slot:
    """A generated slot; `event_id` is set only on a slot the caller booked itself (chosen: how a booking whose
    answer was lost is recognised)."""

    start: datetime | None
    end: datetime | None
    available: bool
    event_id: int | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class ScheduleSlots(CekiRecord):
    """A schedule with the slots Ceki generated for the asked range (each `start`/`end` in UTC)."""

    KIND: ClassVar[str] = "schedule"

    user_id: int | None = None
    price: Decimal | None = None
    currency: str | None = None
    duration: int | None = None
    timezone: str | None = None
    slots: tuple[Slot, ...] = ()

    @classmethod
    def _read(cls, reader: RecordReader) -> dict[str, Any]:
        slots = []
        for raw in reader.objects("slots"):
            slot = RecordReader(raw, "slot")
            slots.append(
                Slot(slot.moment("start"), slot.moment("end"), bool(slot.flag("available")), slot.integer("event"))
            )
            reader.warnings.extend(slot.warnings)
        return {
            "user_id": reader.integer("user_id"),
            "price": reader.decimal("price"),
            "currency": reader.text("currency"),
            "duration": reader.integer("duration"),
            "timezone": reader.text("timezone"),
            "slots": tuple(slots),
        }


@dataclass(frozen=True, slots=True, kw_only=True)
class Booking:
    """The booking answer `{"url", "user", "event", "token"}`: `url` is the payment link (null when unpaid)."""

    event_id: int | None
    user_id: int | None
    url: str | None
    token: str | None

    @classmethod
    def from_payload(cls, payload: Mapping[str, Any]) -> Self:
        reader = RecordReader(payload, "booking")
        return cls(
            event_id=reader.integer("event"),
            user_id=reader.integer("user"),
            url=reader.text("url"),
            token=reader.text("token"),
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class WalletBalance:
    """`GET /api/agent/wallet`: the balance per currency, `total` across wallets, and each wallet's deposit
    address (where a pending agent sends its first deposit)."""

    balances: Mapping[str, Decimal]
    total: Decimal | None
    deposit_addresses: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def from_payload(cls, payload: Mapping[str, Any]) -> Self:
        reader = RecordReader(payload, "wallet")
        balances, addresses = {}, {}
        for raw in reader.objects("wallets"):
            wallet = RecordReader(raw, "wallet")
            currency, balance = wallet.text("currency"), wallet.decimal("balance")
            if currency and balance is not None:
                balances[currency] = balance
            if currency and (address := wallet.text("deposit_address", "address")):
                addresses[currency] = address
        return cls(balances=balances, total=reader.decimal("total"), deposit_addresses=addresses)


@dataclass(frozen=True, slots=True)
class UsageLine:
    """One line of `GET /api/agent/wallet/usage`: calls of a usage type in the period, how many were free, cost."""

    usage_type: str
    calls: int
    free: int
    cost: Decimal

    @classmethod
    def lines(cls, payload: Mapping[str, Any]) -> tuple[UsageLine, ...]:
        reader = RecordReader(payload, "usage")
        found = []
        for raw in reader.objects("usage"):
            line = RecordReader(raw, "usage")
            found.append(
                cls(
                    line.text("usage_type") or "",
                    line.integer("calls") or 0,
                    line.integer("free") or 0,
                    line.decimal("cost") or Decimal(0),
                )
            )
        return tuple(found)


@dataclass(frozen=True, slots=True)
class Usage:
    """A billing period's usage: `period` as Ceki names it (`YYYY-MM`, its current month when none was asked)."""

    period: str
    lines: tuple[UsageLine, ...]

    @classmethod
    def from_payload(cls, payload: Mapping[str, Any]) -> Usage:
        return cls(RecordReader(payload, "usage").text("period") or "", UsageLine.lines(payload))

    def calls(self, usage_type: str) -> int:
        return sum(line.calls for line in self.lines if line.usage_type == usage_type)


@dataclass(frozen=True, slots=True, kw_only=True)
class WalletTransaction(CekiRecord):
    """A deposit, charge or refund; `amount` is positive, `type` says which way it moved."""

    KIND: ClassVar[str] = "wallet transaction"

    type: str | None = None
    usage_type: str | None = None
    amount: Decimal | None = None
    currency: str | None = None

    @classmethod
    def _read(cls, reader: RecordReader) -> dict[str, Any]:
        return {
            "type": reader.text("type"),
            "usage_type": reader.text("usage_type"),
            "amount": reader.decimal("amount"),
            "currency": reader.text("currency"),
        }
