"""The Ceki sandbox's world: the demo user's contracts with their participants ("hands"), events, transactions
and bills as Ceki's User API shows them, and how they change. `sandbox.py` holds the HTTP routes over it.

Records are stored as the JSON Ceki answers with (strings where the doc's samples show strings), keyed by id.
Times are a sandbox clock that advances one second per change, so `updated_at` orders every change; each tick
the next participant in turn logs an hour, a new pending charge for the approvals queue.
"""

from __future__ import annotations

import datetime as dt
import itertools
import random
from collections.abc import Sequence
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from vendors.base.sandbox_cast import CastMember, cast_of
from vendors.ceki.mapping import BILL_PAID, HAND_ACCEPTED
from vendors.ceki.schemas import MIN_DURATION_MINUTES, PaymentStatus

__all__ = ["APPROVED", "BILL_OPEN", "ME", "PAID", "PENDING", "STRANGER", "CekiWorld", "local_day", "money"]

ME, STRANGER = 1, 99
BILL_OPEN = 100  # chosen, as the paid code the mapping reads (the doc names no bill status)

PENDING, APPROVED, PAID = (int(status) for status in PaymentStatus)
LABELS = ["ICU night cover", "Wound care rota", "Home visits north", "Theatre backfill", "Vaccination clinic"]
PEOPLE = ["Ada Byron", "Mary Seacole", "Clara Barton", "Linda Richards", "Agnes Hunt", "Hazel Johnson"]


def money(value: Decimal) -> str:
    return f"{value:.2f}"


class CekiWorld:
    """The state, mixed into `CekiSandbox` (which names the vendor and seeds it through `SandboxVendor`)."""

    name: str

    def __init__(self, *, seed: int) -> None:
        self.clock = dt.datetime(2026, 1, 5, 8, 0, tzinfo=dt.UTC)
        self._ids = itertools.count(1)
        self.contracts: dict[int, dict[str, Any]] = {}
        self.hands: dict[int, dict[str, Any]] = {}
        self.events: dict[int, dict[str, Any]] = {}
        self.transactions: dict[int, dict[str, Any]] = {}
        self.bills: dict[int, dict[str, Any]] = {}
        self.timers: dict[int, dt.datetime] = {}  # hand id -> when tracking started
        self.corrections: dict[int, list[dict[str, Any]]] = {}  # event or transaction id -> proposed corrections
        super().__init__(seed=seed)

    def _tick_clock(self) -> str:
        self.clock += dt.timedelta(seconds=1)
        return self.clock.isoformat().replace("+00:00", "Z")

    def _stamp(self, record: dict[str, Any]) -> dict[str, Any]:
        now = self._tick_clock()
        record.setdefault("created_at", now)
        record["updated_at"] = now
        return record

    def seed(self, count: int) -> None:
        """`count` contracts of the demo user, each with two participants, an event and three charges each
        (pending, pending, approved), and a paid bill; plus one contract of another user (403). Reseeding
        starts the world again."""
        worlds = (self.contracts, self.hands, self.events, self.transactions, self.bills, self.timers, self.corrections)
        for records in worlds:
            records.clear()
        rng = random.Random(7)
        for n in range(count):
            contract = self._add_contract(f"{LABELS[n % len(LABELS)]} {n + 1}", currency="EUR" if n % 7 == 6 else "USD")
            for person in range(2):
                hand = self._add_hand(contract, PEOPLE[(n + person) % len(PEOPLE)], price=Decimal(40 + 5 * person))
                day = dt.date(2026, 1, 5) + dt.timedelta(days=n % 20 + person)
                self._add_event(contract, hand, day, minutes=rng.choice([60, 90, 120, 480]))
                for status in (PENDING, PENDING, APPROVED):
                    self._add_charge(contract, hand, day, minutes=rng.choice([30, 60, 240, 480]), status=status)
            paid = self._add_charge(contract, hand, day, minutes=120, status=APPROVED)
            bill = self._add_bill(contract, "Seeded invoice", [paid["id"]])
            self._pay_bill(bill)
        stranger = self._add_contract("Another agency's contract", currency="USD")
        stranger["user_id"] = STRANGER

    def _add_contract(self, label: str, *, currency: str) -> dict[str, Any]:
        contract_id = next(self._ids)
        self.contracts[contract_id] = self._stamp(
            {
                "id": contract_id,
                "user_id": ME,
                "label": label,
                "description": f"{label}: staffed through the portal.",
                "status_id": "100",
                "start": "2026-01-05T08:00:00Z",
                "end": "2026-06-30T17:00:00Z",
                "timezone": "America/New_York",
                "amount": 25000,
                "currency": currency,
                "credit": "0",
                "private": "0",
                "parent_id": None,
                "deleted_at": None,
            }
        )
        return self.contracts[contract_id]

    def add_cast(self, cast: Sequence[CastMember]) -> None:
        """The demo's people, three to a contract: each a hand with an event and a pending and an approved
        charge, so their contract, time and money reach the portal beside what other vendors say of them."""
        rng = random.Random(17)
        members = cast_of(self.name, tuple(cast))
        for start in range(0, len(members), 3):
            contract = self._add_contract(f"Float pool {start // 3 + 1}", currency="USD")
            for offset, member in enumerate(members[start : start + 3]):
                hand = self._add_hand(contract, "", price=Decimal(45 + 5 * offset), email=member.email)
                day = dt.date(2026, 1, 12) + dt.timedelta(days=member.index)
                self._add_event(contract, hand, day, minutes=rng.choice([240, 480, 720]))
                for status in (PENDING, APPROVED):
                    self._add_charge(contract, hand, day, minutes=rng.choice([240, 480]), status=status)

    def _add_hand(self, contract: dict, person: str, *, price: Decimal, email: str = "") -> dict[str, Any]:
        hand_id = next(self._ids)
        if not email:
            first, last = person.split()
            email = f"{first}.{last}{hand_id}@example.org".lower()
        self.hands[hand_id] = self._stamp(
            {
                "id": hand_id,
                "contract_id": contract["id"],
                "user_id": str(1000 + hand_id),
                "role": "worker",
                "price": money(price),
                "currency": contract["currency"],
                "status_id": str(HAND_ACCEPTED),
                "credit": "0",
                "is_working": "0",
                "user": {"id": 1000 + hand_id, "email": email},
                "deleted_at": None,
            }
        )
        return self.hands[hand_id]

    def _event_shape(self, contract: dict, hand: dict, day: dt.date, minutes: int, **extra: Any) -> dict[str, Any]:
        start = dt.datetime.combine(day, dt.time(9, 0))
        return {
            "id": next(self._ids),
            "contract_id": contract["id"],
            "user_id": hand["user_id"],
            "type_id": "1",
            "status_id": "100",
            "benefitable_type": "contract_hand",
            "benefitable_id": hand["id"],
            "label": f"Shift {day:%d %b}",
            "timezone": contract["timezone"],
            "date": f"{day.isoformat()}T00:00:00",
            "start": start.isoformat(),
            "end": (start + dt.timedelta(minutes=minutes)).isoformat(),
            "duration": minutes,
            "currency": contract["currency"],
            "credit": "0",
            "deleted_at": None,
            **extra,
        }

    def _add_event(self, contract: dict, hand: dict, day: dt.date, *, minutes: int) -> dict[str, Any]:
        event = self._stamp(self._event_shape(contract, hand, day, minutes, amount=None))
        self.events[event["id"]] = event
        return event

    def _add_charge(self, contract: dict, hand: dict, day: dt.date, *, minutes: int, status: int) -> dict[str, Any]:
        amount = Decimal(hand["price"]) * minutes / 60
        charge = self._event_shape(
            contract, hand, day, minutes, amount=money(amount), payment_status_id=str(status), type_id="2"
        )
        self.transactions[charge["id"]] = self._stamp(charge)
        return charge

    def _add_bill(self, contract: dict, label: str, ids: list[int]) -> dict[str, Any]:
        bill_id = next(self._ids)
        self.bills[bill_id] = self._stamp(
            {
                "id": bill_id,
                "contract_id": contract["id"],
                "label": label,
                "status_id": BILL_OPEN,
                "billable_type": "contract",
                "billable_id": contract["id"],
                "data": {"transactions": list(ids)},
                "deleted_at": None,
            }
        )
        return self.bills[bill_id]

    def _pay_bill(self, bill: dict[str, Any]) -> None:
        """Its charges become paid, and each beneficiary gets a paid deposit of their total (doc: "creating
        deposits per beneficiary")."""
        contract = self.contracts[bill["contract_id"]]
        totals: dict[int, Decimal] = {}
        for transaction_id in bill["data"]["transactions"]:
            charge = self.transactions[transaction_id]
            self._stamp(charge)["payment_status_id"] = str(PAID)
            totals[charge["benefitable_id"]] = totals.get(charge["benefitable_id"], Decimal(0)) + Decimal(
                charge["amount"]
            )
        for hand_id, total in totals.items():
            deposit = self._event_shape(
                contract,
                self.hands[hand_id],
                local_day(contract, self.clock),
                MIN_DURATION_MINUTES,
                amount=money(total),
                payment_status_id=str(PAID),
                credit="1",
                type_id="3",
                label=f"Payment of {bill['label']}",
            )
            self.transactions[deposit["id"]] = self._stamp(deposit)
        self._stamp(bill)["status_id"] = BILL_PAID

    def tick(self) -> None:
        """The world moves on: the next participant in turn logs an hour, a new pending charge to approve."""
        hands = [h for h in self.hands.values() if self.contracts[h["contract_id"]]["user_id"] == ME]
        if hands:
            hand = hands[int(self.clock.timestamp()) % len(hands)]
            contract = self.contracts[hand["contract_id"]]
            self._add_charge(contract, hand, local_day(contract, self.clock), minutes=60, status=PENDING)


def local_day(contract: dict, value: str | dt.datetime) -> dt.date:
    """An event's `date` is its day in the contract's `timezone` (its `start` and `end` are local too): an instant
    is seen there, a naive time already is local (README, "Decisions where the doc is silent")."""
    moment = value if isinstance(value, dt.datetime) else dt.datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    return moment.astimezone(ZoneInfo(contract["timezone"])).date() if moment.tzinfo else moment.date()
