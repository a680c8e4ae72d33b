"""Bodies that move money or time: charges, deposits, approving and paying transactions, bills, time tracking.

The rules issue 7 depends on are enforced here, before a request leaves: a charge lasts at least 15 minutes, a
deposit is at least 1, and the state machine pending -> approved -> paid holds. Given `Event` records (what a
sync stored), approve accepts only pending ones and pay only approved ones, and a refusal names each offending
transaction, so a bulk action can say which rows failed and why. Given bare ids, the caller vouches for them.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from decimal import Decimal
from typing import Any

from vendors.ceki.schemas.enums import PaymentStatus
from vendors.ceki.schemas.resources import Event
from vendors.ceki.schemas.validation import FieldChecks, compact

__all__ = [
    "MIN_DEPOSIT_AMOUNT",
    "MIN_DURATION_MINUTES",
    "approve_transactions_body",
    "bill_body",
    "bill_label_body",
    "charge_body",
    "charge_update_body",
    "contract_entry_body",
    "dated_body",
    "delete_transactions_body",
    "deposit_body",
    "deposit_update_body",
    "pay_transactions_body",
    "timelog_start_body",
]

MIN_DURATION_MINUTES = 15  # "time integer >= 15" on a charge, "duration integer or null >= 15" on every event body
MIN_DEPOSIT_AMOUNT = 1  # "amount number >= 1"


def charge_body(*, date: datetime, benefitable_id: int | None = None) -> dict[str, Any]:
    """A billable time charge on a contract (or event) for a beneficiary.

    `benefitable_id` is typed "string or null" in the doc although it is an id: it is checked as an id and sent
    as the string the doc asks for.
    """
    checks = FieldChecks()
    beneficiary = checks.integer("benefitable_id", benefitable_id, minimum=1)
    body = {"date": checks.moment("date", date, required=True), "benefitable_id": _as_text(beneficiary)}
    checks.raise_if_invalid()
    return compact(body)


def contract_entry_body(*, duration: int | None = None, benefitable_id: int | None = None) -> dict[str, Any]:
    """ "Add a comment, task, or charge to a contract": `duration` in minutes, at least 15 when given."""
    checks = FieldChecks()
    body = {
        "duration": checks.integer("duration", duration, minimum=MIN_DURATION_MINUTES),
        "benefitable_id": checks.integer("benefitable_id", benefitable_id, minimum=1),
    }
    checks.raise_if_invalid()
    return compact(body)


def charge_update_body(
    *, date: datetime, minutes: int, label: str, hand_id: int, files: Iterable[int] | None = None
) -> dict[str, Any]:
    """Change a charge's date, length and label. The doc calls the length `time` (minutes, >= 15) here, not
    `duration` as everywhere else; all four fields are required.
    """
    checks = FieldChecks()
    body = {
        "date": checks.moment("date", date, required=True),
        "time": checks.integer("time", minutes, required=True, minimum=MIN_DURATION_MINUTES),
        "label": checks.text("label", label, required=True),
        "hand_id": checks.integer("hand_id", hand_id, required=True, minimum=1),
        "files": checks.ids("files", files),
    }
    checks.raise_if_invalid()
    return compact(body)


def deposit_body(*, date: datetime, amount: int | Decimal, benefitable_id: int | None = None) -> dict[str, Any]:
    """A payment deposit on a contract for a beneficiary (`benefitable_id` sent as a string, as for charges)."""
    checks = FieldChecks()
    beneficiary = checks.integer("benefitable_id", benefitable_id, minimum=1)
    body = {
        "date": checks.moment("date", date, required=True),
        "amount": checks.number("amount", amount, required=True, minimum=MIN_DEPOSIT_AMOUNT),
        "benefitable_id": _as_text(beneficiary),
    }
    checks.raise_if_invalid()
    return compact(body)


def deposit_update_body(*, date: datetime, amount: int | Decimal, label: str | None = None) -> dict[str, Any]:
    checks = FieldChecks()
    body = {
        "date": checks.moment("date", date, required=True),
        "amount": checks.number("amount", amount, required=True, minimum=MIN_DEPOSIT_AMOUNT),
        "label": checks.text("label", label),
    }
    checks.raise_if_invalid()
    return compact(body)


def approve_transactions_body(transactions: Iterable[int | Event]) -> dict[str, Any]:
    """Approve transactions of one contract (the vendor's unit): only pending ones may be approved."""
    return _transition_body(transactions, PaymentStatus.PENDING, "approved")


def pay_transactions_body(transactions: Iterable[int | Event]) -> dict[str, Any]:
    """Mark transactions of one contract paid: only approved ones may be paid (pending -> approved -> paid)."""
    return _transition_body(transactions, PaymentStatus.APPROVED, "paid")


def delete_transactions_body(transactions: Iterable[int | Event]) -> dict[str, Any]:
    checks = FieldChecks()
    body = {"transactions": checks.ids("transactions", _ids(transactions), required=True)}
    checks.raise_if_invalid()
    return body


def bill_body(*, label: str, transactions: Iterable[int | Event]) -> dict[str, Any]:
    """A bill (invoice) over approved transactions.

    Chosen: the doc requires a `data` object of "line items with charges and participants" but collapses its
    shape to `{ }`; the line items are sent as `data.transactions`, the ids the bill covers. Given records, only
    approved ones are accepted, since paying the bill pays its transactions and only approved ones can be paid.
    """
    checks = FieldChecks()
    items = list(transactions)
    _check_states(checks, "data.transactions", items, PaymentStatus.APPROVED, "billed")
    body = {
        "label": checks.text("label", label, required=True),
        "data": {"transactions": checks.ids("data.transactions", _ids(items), required=True)},
    }
    checks.raise_if_invalid()
    return body


def bill_label_body(label: str) -> dict[str, Any]:
    checks = FieldChecks()
    body = {"label": checks.text("label", label, required=True)}
    checks.raise_if_invalid()
    return body


def dated_body(date: datetime) -> dict[str, Any]:
    """The hand-level deposit and manual charge endpoints take only a `date`."""
    checks = FieldChecks()
    body = {"date": checks.moment("date", date, required=True)}
    checks.raise_if_invalid()
    return body


def timelog_start_body(timezone: str) -> dict[str, Any]:
    checks = FieldChecks()
    body = {"timezone": checks.timezone("timezone", timezone, required=True)}
    checks.raise_if_invalid()
    return body


def _transition_body(transactions: Iterable[int | Event], allowed_from: PaymentStatus, becoming: str) -> dict[str, Any]:
    checks = FieldChecks()
    items = list(transactions)
    _check_states(checks, "transactions", items, allowed_from, becoming)
    body = {"transactions": checks.ids("transactions", _ids(items), required=True)}
    checks.raise_if_invalid()
    return body


def _check_states(
    checks: FieldChecks, name: str, items: list[int | Event], allowed_from: PaymentStatus, becoming: str
) -> None:
    """One message per transaction in the wrong state, keyed like Laravel keys array items (`transactions.3`)."""
    for position, item in enumerate(items):
        if not isinstance(item, Event) or item.payment_status is allowed_from:
            continue
        state = item.payment_status.name.lower() if item.payment_status else "of unknown state"
        checks.add(
            f"{name}.{position}",
            f"Transaction {item.id} is {state}; only {allowed_from.name.lower()} transactions can be {becoming}.",
        )


def _ids(items: Iterable[int | Event]) -> list[Any]:
    return [item.id if isinstance(item, Event) else item for item in items]


def _as_text(value: int | None) -> str | None:
    return None if value is None else str(value)
