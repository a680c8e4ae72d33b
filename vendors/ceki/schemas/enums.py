"""The enums of the Ceki User API, valued as they travel on the wire.

The doc lists integer enums as strings (`status_id` "Enum: "100" "200" ...", request samples send `"100"`), so
each member's value is that string and goes into a body unchanged. Where the doc gives codes without meanings,
members are named after the code (`CODE_444`) rather than guessed; the only meanings assigned here are the ones
the portal's issue 7 relies on, each marked "chosen".
"""

from __future__ import annotations

from enum import StrEnum

__all__ = [
    "SETTABLE_EVENT_STATUSES",
    "ContractRole",
    "EventSortField",
    "EventStatus",
    "EventType",
    "PaymentStatus",
    "Permission",
    "TransactionKind",
]


class PaymentStatus(StrEnum):
    """`payment_status_id` of an event or transaction ("Enum: "100" "200" "300"").

    Chosen: the doc gives no names; issue 7's state machine pending -> approved -> paid has three states and the
    approve/pay endpoints move a transaction along them, so the codes are read in that order.
    """

    PENDING = "100"
    APPROVED = "200"
    PAID = "300"


class TransactionKind(StrEnum):
    """Charges and deposits: the doc's two transaction families, each with its own create/update endpoints."""

    CHARGE = "charge"
    DEPOSIT = "deposit"


class EventStatus(StrEnum):
    """`status_id` of an event ("Enum: "100" "200" "400" "444" "555" "777""); the doc names none of them.

    The event update endpoint accepts only 100, 400, 444 and 777; correction proposals accept all six.
    """

    CODE_100 = "100"
    CODE_200 = "200"
    CODE_400 = "400"
    CODE_444 = "444"
    CODE_555 = "555"
    CODE_777 = "777"


# The event update endpoint's own, narrower `status_id` enum.
SETTABLE_EVENT_STATUSES = frozenset(
    {EventStatus.CODE_100, EventStatus.CODE_400, EventStatus.CODE_444, EventStatus.CODE_777}
)


class EventType(StrEnum):
    """`type_id` of an event ("Enum: "1" "2" "3" "4""), unnamed in the doc."""

    CODE_1 = "1"
    CODE_2 = "2"
    CODE_3 = "3"
    CODE_4 = "4"


class ContractRole(StrEnum):
    """`role_id` of a user added to a contract ("Enum: "1" ... "6""), unnamed in the doc."""

    CODE_1 = "1"
    CODE_2 = "2"
    CODE_3 = "3"
    CODE_4 = "4"
    CODE_5 = "5"
    CODE_6 = "6"


class Permission(StrEnum):
    """`read` / `write` level of a user on a contract ("Enum: "0" ... "5"")."""

    CODE_0 = "0"
    CODE_1 = "1"
    CODE_2 = "2"
    CODE_3 = "3"
    CODE_4 = "4"
    CODE_5 = "5"


class EventSortField(StrEnum):
    """The contract events list's `nn[]` values ("Enum: "amount" "label" ..."), also usable as `sortBy`."""

    AMOUNT = "amount"
    LABEL = "label"
    DURATION = "duration"
    DATE = "date"
    STATUS_ID = "status_id"
    PAYMENT_STATUS_ID = "payment_status_id"
    START = "start"
    END = "end"
