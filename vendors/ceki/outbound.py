"""Changes the portal pushes to Ceki, sent by the outbox: approving and paying transactions, creating and paying
bills, starting and stopping a participant's time tracking, booking a specialist's slot for a shift, holding a
disputed charge with a note.

Every body is checked before it leaves (`schemas`); a body we refuse parks the row with the field errors, as
Ceki's own 422 would. Ceki has no idempotency key, so each operation is recognised after a lost answer by the
state it leaves at Ceki (`find_existing`): transactions already in the target state, a bill over exactly these
transactions, a bill paid, a timer running or not. The receivers that write these rows are in `signals.py`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from portal.core.vendor_records import remember_vendor_id
from portal.integrations.errors import NotFound
from portal.integrations.provider import OutboundOperation, SendResult
from vendors.base.client import VendorClient
from vendors.ceki.client import CekiClient
from vendors.ceki.mapping import BILL_PAID
from vendors.ceki.schemas import (
    PayloadInvalid,
    PaymentStatus,
    approve_transactions_body,
    bill_body,
    booking_body,
    correction_body,
    correction_vote_body,
    pay_transactions_body,
)

if TYPE_CHECKING:
    from portal.billing.models import Bill
    from portal.integrations.models import OutboundRequest

__all__ = ["OPERATIONS"]

DONE_STATES = {
    PaymentStatus.APPROVED: {PaymentStatus.APPROVED, PaymentStatus.PAID},
    PaymentStatus.PAID: {PaymentStatus.PAID},
}


def _checked(build: Callable[..., dict[str, Any]], *args: Any, **kwargs: Any) -> dict[str, Any]:
    """Our own check of a body, refused in the taxonomy's terms so the outbox parks it with the field errors."""
    try:
        return build(*args, **kwargs)
    except PayloadInvalid as exc:
        raise exc.refused("Ceki") from None


def _contract(row: OutboundRequest) -> int:
    return int(row.payload["contract"])


def _transactions(row: OutboundRequest) -> list[int]:
    return [int(i) for i in row.payload["transactions"]]


# -- transactions ------------------------------------------------------------------------------------------------
def _move_transactions(
    to: PaymentStatus,
) -> tuple[Callable[[VendorClient, OutboundRequest], SendResult], Callable[..., SendResult | None]]:
    approving = to is PaymentStatus.APPROVED
    build = approve_transactions_body if approving else pay_transactions_body
    call = CekiClient.approve_transactions if approving else CekiClient.pay_transactions

    def send(client: VendorClient, row: OutboundRequest) -> SendResult:
        body = _checked(build, _transactions(row))
        return SendResult(str(_contract(row)), call(CekiClient(client), _contract(row), body))

    def find_existing(client: VendorClient, row: OutboundRequest) -> SendResult | None:
        """Already there if every transaction of the row is in the target state (or past it) at Ceki."""
        wanted = set(_transactions(row))
        states = {t.id: t.payment_status for t in CekiClient(client).contract_transactions(_contract(row))}
        if all(states.get(i) in DONE_STATES[to] for i in wanted):
            return SendResult(str(_contract(row)), {"already": sorted(wanted)})
        return None

    return send, find_existing


# -- bills -------------------------------------------------------------------------------------------------------
def _bill_of(row: OutboundRequest) -> Bill | None:
    related = row.related_object
    return related if related is not None and hasattr(related, "line_items") else None


def _remember_bill_id(row: OutboundRequest, bill_id: str) -> None:
    """The local bill keeps the id Ceki gave it (the first one, should a retry find it again)."""
    bill = _bill_of(row)
    if bill is not None:
        remember_vendor_id(bill, row.connection, bill_id)


def create_bill(client: VendorClient, row: OutboundRequest) -> SendResult:
    body = _checked(bill_body, label=row.payload["label"], transactions=_transactions(row))
    data = CekiClient(client).create_bill(_contract(row), body)
    _remember_bill_id(row, str(data["id"]))
    return SendResult(str(data["id"]), data)


def find_bill(client: VendorClient, row: OutboundRequest) -> SendResult | None:
    """A Ceki transaction is billed once, so a bill over exactly these transactions is this request's bill."""
    wanted = set(_transactions(row))
    for bill in CekiClient(client).bills(_contract(row)):
        data = bill.raw.get("data")
        billed = data.get("transactions") if isinstance(data, dict) else None
        if isinstance(billed, list) and {int(i) for i in billed} == wanted:
            _remember_bill_id(row, str(bill.id))
            return SendResult(str(bill.id), dict(bill.raw))
    return None


def _bill_id(row: OutboundRequest) -> int:
    """Ceki's bill id: in the payload, else on the local bill (its create request, sent first under the same
    natural key, put it there)."""
    if row.payload.get("bill"):
        return int(row.payload["bill"])
    bill = _bill_of(row)
    if bill is not None:
        bill.refresh_from_db(fields=["external_id"])
        if bill.external_id:
            return int(bill.external_id)
    raise NotFound("Not sent to Ceki: the bill was never created there.")


def pay_bill(client: VendorClient, row: OutboundRequest) -> SendResult:
    bill_id = _bill_id(row)
    return SendResult(str(bill_id), CekiClient(client).pay_bill(_contract(row), bill_id))


def find_paid_bill(client: VendorClient, row: OutboundRequest) -> SendResult | None:
    bill_id = _bill_id(row)
    for bill in CekiClient(client).bills(_contract(row)):
        if bill.id == bill_id and bill.status_id == BILL_PAID:
            return SendResult(str(bill_id), dict(bill.raw))
    return None


# -- time tracking -----------------------------------------------------------------------------------------------
def start_tracking(client: VendorClient, row: OutboundRequest) -> SendResult:
    hand = int(row.payload["hand"])
    return SendResult(str(hand), CekiClient(client).start_timer(hand))


def stop_tracking(client: VendorClient, row: OutboundRequest) -> SendResult:
    """Ceki turns the tracked minutes into a pending charge; its id is kept as the request's vendor id."""
    hand = int(row.payload["hand"])
    charge = CekiClient(client).stop_timer(hand)
    return SendResult(str(charge.get("id") or hand), charge)


def _timer_is(running: bool) -> Callable[[VendorClient, OutboundRequest], SendResult | None]:
    def find_existing(client: VendorClient, row: OutboundRequest) -> SendResult | None:
        hand = int(row.payload["hand"])
        status = CekiClient(client).timer_status(hand)
        return SendResult(str(hand), status) if bool(status.get("is_working")) is running else None

    return find_existing


def _slot(row: OutboundRequest) -> tuple[int, dt.datetime]:
    return int(row.payload["schedule"]), dt.datetime.fromisoformat(row.payload["start"])


def book_slot(client: VendorClient, row: OutboundRequest) -> SendResult:
    """Book the slot; Ceki's event id is the request's vendor id. A slot taken meanwhile is Ceki's 422."""
    schedule, start = _slot(row)
    body = _checked(booking_body, start, with_payment=bool(row.payload.get("payment")))
    booking = CekiClient(client).book_slot(schedule, body)
    answer = {"event": booking.event_id, "user": booking.user_id, "url": booking.url}
    return SendResult(str(booking.event_id or ""), answer)


def find_booking(client: VendorClient, row: OutboundRequest) -> SendResult | None:
    """After a lost answer: the slot shows our own booking's `event` (only the booker sees it), so never twice."""
    schedule, start = _slot(row)
    slots = CekiClient(client).schedule_slots(schedule, start, start + dt.timedelta(minutes=1)).slots
    ours = next((slot for slot in slots if slot.start == start and slot.event_id), None)
    return SendResult(str(ours.event_id), {"event": ours.event_id, "found": True}) if ours else None


# -- disputes ----------------------------------------------------------------------------------------------------
def hold_charge(client: VendorClient, row: OutboundRequest) -> SendResult:
    """The doc has no hold: the charge (an event in Ceki's shape) gets a proposed correction back to pending, the
    note as its description (README "Disputes"). A paid charge is refused by Ceki's 422, parked with its reason."""
    charge = int(row.payload["transaction"])
    body = _checked(correction_body, payment_status=PaymentStatus.PENDING, description=row.payload["note"])
    return SendResult(str(charge), CekiClient(client).propose_correction(charge, body))


def _our_hold(client: VendorClient, row: OutboundRequest) -> dict | None:
    """The charge's correction whose note names the portal's dispute (`signals.queue_hold`), if Ceki holds one."""
    corrections = CekiClient(client).event(int(row.payload["transaction"])).corrections
    return next((dict(c) for c in corrections if c.get("description") == row.payload["note"]), None)


def find_hold(client: VendorClient, row: OutboundRequest) -> SendResult | None:
    """After a lost answer: the charge lists our proposal (its note names the portal's dispute), so never twice."""
    ours = _our_hold(client, row)
    return SendResult(str(row.payload["transaction"]), {"found": ours}) if ours else None


def _decided(correction: dict) -> bool:
    """Voted on already: Ceki lists a correction as proposed until its vote."""
    return correction.get("status", "proposed") != "proposed"


def release_hold(client: VendorClient, row: OutboundRequest) -> SendResult:
    """A withdrawn dispute: the doc has no way to take a correction back, so the portal votes its own hold down
    (README "Disputes"). A hold Ceki never took, or no longer has proposed, leaves nothing to release."""
    ours = _our_hold(client, row)
    if ours is None or _decided(ours):
        return SendResult("", {"released": False, "hold": ours})
    body = _checked(correction_vote_body, vote=False, ids=[int(ours["id"])])
    return SendResult(str(ours["id"]), CekiClient(client).vote_corrections(int(row.payload["transaction"]), body))


def find_release(client: VendorClient, row: OutboundRequest) -> SendResult | None:
    """After a lost answer: our hold is no longer proposed, so the vote landed."""
    ours = _our_hold(client, row)
    return SendResult(str(ours["id"]), {"found": ours}) if ours and _decided(ours) else None


OPERATIONS: dict[str, OutboundOperation] = {
    op.name: op
    for op in (
        OutboundOperation("approve_transactions", "Approve transactions", *_move_transactions(PaymentStatus.APPROVED)),
        OutboundOperation("pay_transactions", "Mark transactions paid", *_move_transactions(PaymentStatus.PAID)),
        OutboundOperation("create_bill", "Create bill", create_bill, find_bill),
        OutboundOperation("pay_bill", "Mark bill paid", pay_bill, find_paid_bill),
        OutboundOperation("start_time_tracking", "Start time tracking", start_tracking, _timer_is(True)),
        OutboundOperation("stop_time_tracking", "Stop time tracking", stop_tracking, _timer_is(False)),
        OutboundOperation("book_slot", "Book a specialist's slot", book_slot, find_booking),
        OutboundOperation("hold_charge", "Hold a disputed charge", hold_charge, find_hold),
        OutboundOperation("release_hold", "Release a withdrawn dispute's hold", release_hold, find_release),
    )
}
