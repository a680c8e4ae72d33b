"""Ceki payloads -> portal domain fields, one function per resource (allauth `extract_common_fields`).

Each function takes the typed record a reader parsed and its `Links`: the local primary keys of the Ceki parent
records it names (a hand's contract, a charge's beneficiary), which the reader resolved a page at a time
(`resources.py`), so mapping sees no database.

Decisions where the doc is silent (README, "Decisions"): a hand's `status_id` 200 is an accepted invitation, 400
a rejected one, anything else unanswered; a bill's `status_id` 300 is paid; a charge happened at its `start`
(else its `date`, else when Ceki created it).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from portal.core.timezones import zone_named
from portal.integrations.provider import MappedRecord
from vendors.base.reading import unreadable_fields
from vendors.ceki.schemas import (
    MIN_DURATION_MINUTES,
    Bill,
    Contract,
    ContractHand,
    Event,
    PaymentStatus,
    TransactionKind,
)
from vendors.ceki.schemas.reading import localize

__all__ = [
    "BILL_PAID",
    "CEKI_SKILLS",
    "HAND_ACCEPTED",
    "Links",
    "bill_record",
    "contract_record",
    "event_record",
    "participant_record",
    "skills_for",
    "transaction_record",
]

# Ceki's skills are ids (the specialist search's `skills: Array of integers`); the doc lists none, so this catalogue
# is the account's, chosen here and served by the sandbox. Professions map by code, specialties by name.
CEKI_SKILLS = {
    1: "Registered Nurse",
    2: "Licensed Practical Nurse",
    3: "Certified Nursing Assistant",
    4: "ICU",
    5: "ER",
    6: "Home Health Aide",
}
PROFESSION_SKILLS = {"RN": 1, "LPN": 2, "CNA": 3, "STNA": 3, "HHA": 6}
SPECIALTY_SKILLS = (4, 5)  # the skills a unit or service may name as a word


def skills_for(profession: str, specialty: str = "") -> list[int]:
    """The profession's skill, plus each specialty named as a word of `specialty` ("ICU 3rd floor" -> ICU)."""
    words = {word.upper() for word in specialty.replace("/", " ").split()}
    named = [skill for skill in SPECIALTY_SKILLS if CEKI_SKILLS[skill].upper() in words]
    return [*([PROFESSION_SKILLS[profession]] if profession in PROFESSION_SKILLS else []), *named]


HAND_ACCEPTED, HAND_REJECTED = 200, 400
BILL_PAID = 300
TRANSACTION_STATUS = {
    PaymentStatus.PENDING: "pending",
    PaymentStatus.APPROVED: "approved",
    PaymentStatus.PAID: "paid",
}
DEFAULT_ZONE = "America/New_York"  # the portal's default (portal.jobs.models.DEFAULT_TIME_ZONE)


@dataclass(frozen=True)
class Links:
    """The local rows one Ceki record points at, resolved by its reader for this connection."""

    contract_id: int | None = None  # the local contract of the record's Ceki contract
    currency: str = ""  # that contract's currency (a bill names none of its own)
    beneficiary_id: int | None = None  # the local participant of an event's or charge's `benefitable_id`
    talent_id: int | None = None  # the talent profile of a hand's user


def _mapped(
    record: Any, fields: dict[str, Any], kind: str, renamed: Mapping[str, str], *, prefix: str | None = None
) -> MappedRecord:
    """The record under its Ceki id, with the fields it could not read named as `prefix.key` (its kind's name)."""
    if not record.id:
        raise ValueError(f"a Ceki {kind} without an id")
    return MappedRecord(
        external_id=str(record.id),
        fields=fields,
        vendor_updated_at=record.updated_at,
        vendor_data=dict(record.raw),
        problems=unreadable_fields(record.warnings, fields, prefix=f"{prefix or kind}.", renamed=renamed),
    )


def _contract_of(links: Links, kind: str) -> int:
    if not links.contract_id:
        raise ValueError(f"a Ceki {kind} whose contract_id is not synced here")
    return links.contract_id


# Ceki keys whose local field has another name: an unreadable one keeps that field's value (issue 14).
_CONTRACT_KEYS = {
    "start": "starts_at",
    "end": "ends_at",
    "timezone": "time_zone",
    "amount": "budget",
    "private": "is_private",
    "status_id": "vendor_status_id",
}
_HAND_KEYS = {"price": "rate", "status_id": "accepted"}
_EVENT_KEYS = {
    "start": "starts_at",
    "duration": "duration_minutes",
    "timezone": "time_zone",
    "status_id": "vendor_status_id",
    "payment_status_id": "vendor_payment_status_id",
}
_TRANSACTION_KEYS = {"start": "occurred_at", "duration": "hours"}
_BILL_KEYS = {"status_id": "status"}


def _cents(value: Decimal | int | None) -> Decimal | None:
    return None if value is None else Decimal(value).quantize(Decimal("0.01"))


def _zone(value: str | None) -> str:
    """The record's IANA zone, or the portal's default when Ceki sent none or one Python does not know."""
    return value if value and zone_named(value) else DEFAULT_ZONE


def contract_record(contract: Contract, links: Links) -> MappedRecord:
    zone = _zone(contract.timezone)
    fields = {
        "label": contract.label or f"Ceki contract {contract.id}",
        "description": contract.description or "",
        "starts_at": localize(contract.start, zone),
        "ends_at": localize(contract.end, zone),
        "time_zone": zone,
        "budget": _cents(contract.amount),
        "currency": (contract.currency or "USD").upper()[:3],
        "is_private": bool(contract.private),
        "vendor_status_id": contract.status_id,
    }
    return _mapped(contract, fields, "contract", _CONTRACT_KEYS)


def participant_record(hand: ContractHand, links: Links) -> MappedRecord:
    user = hand.raw.get("user") if isinstance(hand.raw.get("user"), Mapping) else {}
    accepted = {HAND_ACCEPTED: True, HAND_REJECTED: False}.get(hand.status_id or 0)
    fields = {
        "contract_id": _contract_of(links, "hand"),
        "talent_id": links.talent_id,
        "email": str(hand.raw.get("email") or user.get("email") or "").strip().lower(),
        "role": hand.role or "",
        "accepted": accepted,
        "rate": _cents(hand.price),
        "currency": (hand.currency or "USD").upper()[:3],
        "is_working": bool(hand.is_working),
    }
    return _mapped(hand, fields, "hand", _HAND_KEYS)


def event_record(event: Event, links: Links) -> MappedRecord:
    starts_at = event.starts_at or localize(event.date, event.timezone)
    if starts_at is None:
        raise ValueError(f"Ceki event {event.id} has no readable date")
    minutes = event.duration
    if minutes is None and event.ends_at is not None:
        minutes = int((event.ends_at - starts_at).total_seconds() // 60)
    if minutes is None or minutes < MIN_DURATION_MINUTES:
        # Ceki's own rule (duration >= 15); a shorter or unknown length is refused, not rounded into a guess.
        raise ValueError(f"Ceki event {event.id} lasts {minutes} minutes; at least {MIN_DURATION_MINUTES} expected")
    fields = {
        "contract_id": _contract_of(links, "event"),
        "beneficiary_id": links.beneficiary_id,
        "label": event.label or "",
        "description": event.description or "",
        "starts_at": starts_at,
        "duration_minutes": minutes,
        "time_zone": _zone(event.timezone),
        "amount": _cents(event.amount),
        "currency": (event.currency or "USD").upper()[:3],
        "vendor_status_id": int(event.status) if event.status else None,
        "vendor_payment_status_id": int(event.payment_status) if event.payment_status else None,
    }
    return _mapped(event, fields, "event", _EVENT_KEYS)


def transaction_record(event: Event, links: Links) -> MappedRecord:
    """A charge or deposit. The local model insists on a positive amount and a known state: others are refused
    (the run counts them as failed) rather than guessed."""
    if event.amount is None or event.amount <= 0:
        raise ValueError(f"Ceki transaction {event.id} has no positive amount")
    if event.payment_status is None:
        raise ValueError(f"Ceki transaction {event.id} has no payment status")
    occurred_at = event.starts_at or localize(event.date, event.timezone) or event.created_at
    if occurred_at is None:
        raise ValueError(f"Ceki transaction {event.id} has no date")
    deposit = event.transaction_kind is TransactionKind.DEPOSIT
    fields = {
        "contract_id": _contract_of(links, "transaction"),
        "beneficiary_id": links.beneficiary_id,
        "kind": "deposit" if deposit else "charge",
        "status": TRANSACTION_STATUS[event.payment_status],
        "amount": _cents(event.amount),
        "currency": (event.currency or "USD").upper()[:3],
        "hours": None if deposit or event.hours is None else event.hours.quantize(Decimal("0.01")),
        "label": event.label or "",
        "occurred_at": occurred_at,
    }
    return _mapped(event, fields, "transaction", _TRANSACTION_KEYS, prefix="event")


def bill_record(bill: Bill, links: Links) -> MappedRecord:
    """A bill; its line items stay in `vendor_data` (`data.transactions`): see the README for why."""
    paid = bill.status_id == BILL_PAID
    fields = {
        "contract_id": _contract_of(links, "bill"),
        "label": bill.label or f"Ceki bill {bill.id}",
        "status": "paid" if paid else "open",
        "currency": links.currency or "USD",
        "paid_at": bill.updated_at if paid else None,
    }
    return _mapped(bill, fields, "bill", _BILL_KEYS)
