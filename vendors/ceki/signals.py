"""Local money moves -> Ceki, as outbox rows written in the same transaction as the move.

The billing services send their signals (`portal.billing.signals`) inside the change's database transaction, so
the rows written here commit or roll back with it; domain apps never import vendors, so `Provider.ready()`
connects these receivers. Records that Ceki does not hold (no Ceki connection or id) are left alone.

Every money operation on a contract uses the natural key `ceki-contract:<id>` and every time-tracking one
`ceki-hand:<id>`, so the outbox sends them in the order they were written (an approval before the payment of the
same charges, a bill's creation before its payment, a start before its stop) and, after a crash mid-send, asks
Ceki for the state before sending again (`outbound.py`): nothing is approved, billed or paid twice. A specialist's
slot booked for a shift, visit or requisition (`portal.shifts.signals.slot_booking_requested`) is keyed
`ceki-slot:<schedule>:<start>` and queued once. A disputed charge (`portal.billing.signals.dispute_raised`) is held
under `ceki-dispute:<id>`: its own key, so a hold Ceki refuses never stops the contract's approvals and payments
behind it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import Any

from django.core.exceptions import ValidationError

from portal.billing import signals
from portal.billing.disputes import accept_disputes
from portal.billing.models import Bill, Transaction, VendorDispute
from portal.integrations.models import OutboundRequest, VendorConnection
from portal.integrations.outbox import enqueue, requests_about

__all__ = [
    "connect",
    "contract_key",
    "hand_key",
    "queue_bill",
    "queue_bill_payment",
    "queue_booking",
    "queue_hold",
    "queue_release",
    "queue_time_tracking",
    "queue_transaction_moves",
]

VENDOR = "ceki"
MOVES = {"approved": "approve_transactions", "paid": "pay_transactions"}


def contract_key(contract_id: int | str) -> str:
    return f"ceki-contract:{contract_id}"


def hand_key(hand_id: int | str) -> str:
    return f"ceki-hand:{hand_id}"


def queue_transaction_moves(transactions: Iterable[Transaction], to: str) -> list[OutboundRequest]:
    """Outbox rows for moving Ceki-mirrored transactions to `to` ("approved" or "paid"): one per contract, the
    vendor's unit, written in the caller's transaction. Rows not mirrored from a Ceki connection are skipped.
    Two queries whatever the number of transactions, so a bulk action of thousands stays cheap."""
    mirrored = (
        Transaction.objects.filter(pk__in=[row.pk for row in transactions], connection__vendor=VENDOR)
        .exclude(external_id="")
        .exclude(contract__external_id="")
        .select_related("contract")
        .only("pk", "connection_id", "external_id", "contract__external_id")
    )
    groups: dict[tuple[int, str], list[Transaction]] = {}
    for row in mirrored:
        groups.setdefault((row.connection_id, row.contract.external_id), []).append(row)
    connections = VendorConnection.objects.in_bulk({connection_id for connection_id, _ in groups})
    # Each row is about its contract and carries its transactions, so every one of them shows whether it got there.
    return [
        enqueue(
            connections[connection_id],
            MOVES[to],
            payload={"contract": int(contract), "transactions": sorted(int(row.external_id) for row in rows)},
            natural_key=contract_key(contract),
            related=rows[0].contract,
            about=rows,
        )
        for (connection_id, contract), rows in sorted(groups.items())
    ]


def queue_bill(bill: Bill) -> OutboundRequest:
    """Create a local bill (of Ceki-mirrored charges) at Ceki too; its Ceki id lands on the bill when sent."""
    ids = [int(line.transaction.external_id) for line in bill.line_items.select_related("transaction")]
    contract = bill.contract
    return enqueue(
        contract.connection,
        "create_bill",
        payload={"contract": int(contract.external_id), "label": bill.label, "transactions": sorted(ids)},
        natural_key=contract_key(contract.external_id),
        related=bill,
    )


def queue_bill_payment(bill: Bill) -> OutboundRequest:
    """Mark a bill paid at Ceki, after its creation there if that is still queued (same natural key)."""
    contract = bill.contract
    payload: dict[str, Any] = {"contract": int(contract.external_id)}
    if bill.external_id:
        payload["bill"] = int(bill.external_id)
    return enqueue(
        contract.connection, "pay_bill", payload=payload, natural_key=contract_key(contract.external_id), related=bill
    )


def queue_time_tracking(participant: Any, *, start: bool) -> OutboundRequest:
    """Start or stop a participant's (a Ceki hand's) time tracking; starts and stops go out in order."""
    return enqueue(
        participant.connection,
        "start_time_tracking" if start else "stop_time_tracking",
        payload={"hand": int(participant.external_id)},
        natural_key=hand_key(participant.external_id),
        related=participant,
    )


# -- receivers ---------------------------------------------------------------------------------------------------
def _ceki_bill(bill_id: int) -> Bill | None:
    bill = Bill.objects.select_related("contract__connection").get(pk=bill_id)
    contract = bill.contract
    held = contract.connection is not None and contract.connection.vendor == VENDOR and contract.external_id
    return bill if held else None


def _moved(to: str) -> Callable[..., None]:
    def receiver(sender: Any, transaction_ids_by_contract: dict[int, list[int]], **kwargs: Any) -> None:
        ids = [pk for pks in transaction_ids_by_contract.values() for pk in pks]
        queue_transaction_moves(sender.objects.filter(pk__in=ids), to)

    return receiver


def _bill_created(sender: Any, bill_id: int, **kwargs: Any) -> None:
    if bill := _ceki_bill(bill_id):
        queue_bill(bill)


def _bill_paid(sender: Any, bill_id: int, **kwargs: Any) -> None:
    if bill := _ceki_bill(bill_id):
        queue_bill_payment(bill)


def queue_hold(dispute: VendorDispute) -> OutboundRequest | None:
    """Hold a disputed charge at Ceki with the coordinator's note; charges Ceki does not hold are left alone."""
    charge = dispute.transaction
    if charge is None or charge.connection is None or charge.connection.vendor != VENDOR or not charge.external_id:
        return None
    note = f"{dispute.note} (portal dispute #{dispute.pk})"  # names the dispute, so a resend finds it (find_hold)
    return enqueue(
        charge.connection,
        "hold_charge",
        payload={"transaction": int(charge.external_id), "note": note},
        natural_key=f"ceki-dispute:{charge.external_id}",
        related=dispute,
    )


def queue_release(dispute: VendorDispute) -> OutboundRequest | None:
    """Take back a withdrawn dispute's hold, behind the hold under the same key; nothing when no hold went or is
    going to Ceki (it was refused)."""
    hold = next(
        (
            row
            for row in requests_about(dispute)
            if row.operation == "hold_charge" and row.state != OutboundRequest.State.FAILED
        ),
        None,
    )
    if hold is None:
        return None
    return enqueue(
        hold.connection,
        "release_hold",
        payload=hold.payload,
        natural_key=hold.natural_key,
        related=dispute,
    )


def _dispute_raised(sender: Any, dispute: VendorDispute, **kwargs: Any) -> None:
    if dispute.kind == VendorDispute.Kind.HOLD_CHARGE:
        queue_hold(dispute)


def _dispute_withdrawn(sender: Any, dispute: VendorDispute, **kwargs: Any) -> None:
    if dispute.kind == VendorDispute.Kind.HOLD_CHARGE:
        queue_release(dispute)


def slot_key(schedule: int, start: dt.datetime) -> str:
    return f"ceki-slot:{schedule}:{start.astimezone(dt.UTC).isoformat()}"


def queue_booking(booking: Any, record: Any) -> OutboundRequest:
    """One booking per slot: the slot's row while it waits, is sent or was sent refuses another (the record's page
    says so); a refused one may be booked again. The row is the booking's, and its record's page shows it too."""
    key = slot_key(int(booking.schedule_ref), booking.slot_starts_at)
    if OutboundRequest.objects.filter(natural_key=key).exclude(state=OutboundRequest.State.FAILED).exists():
        raise ValidationError("This slot is being booked already; pick another.")
    payload = {
        "schedule": int(booking.schedule_ref),
        "start": booking.slot_starts_at.astimezone(dt.UTC).isoformat(),
        "person": int(booking.person_ref),
        "payment": booking.with_payment,
    }
    return enqueue(booking.connection, "book_slot", payload=payload, natural_key=key, related=booking, about=[record])


def _slot_booking_requested(sender: type, booking: Any, record: Any, **kwargs: Any) -> None:
    if booking.connection.vendor == VENDOR:
        queue_booking(booking, record)


def connect() -> None:
    """Once, from `Provider.ready()`; dispatch_uid makes a repeat harmless."""
    from portal.shifts import signals as shifts

    shifts.slot_booking_requested.connect(_slot_booking_requested, weak=False, dispatch_uid="ceki-book-slot")
    signals.transactions_approved.connect(
        _moved("approved"), sender=Transaction, weak=False, dispatch_uid="ceki-approved"
    )
    signals.transactions_paid.connect(_moved("paid"), sender=Transaction, weak=False, dispatch_uid="ceki-paid")
    signals.bill_created.connect(_bill_created, sender=Bill, weak=False, dispatch_uid="ceki-bill-created")
    signals.bill_paid.connect(_bill_paid, sender=Bill, weak=False, dispatch_uid="ceki-bill-paid")
    signals.dispute_raised.connect(_dispute_raised, sender=VendorDispute, weak=False, dispatch_uid="ceki-dispute")
    signals.dispute_withdrawn.connect(
        _dispute_withdrawn, sender=VendorDispute, weak=False, dispatch_uid="ceki-dispute-withdrawn"
    )
    accept_disputes(VENDOR, VendorDispute.Kind.HOLD_CHARGE)
