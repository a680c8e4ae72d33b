"""Shift changes made in the portal -> IntelyCare, as outbox rows written in the same transaction as the change.

The shifts app announces its changes with domain signals (`portal/shifts/signals.py`) and never imports a vendor;
`Provider.ready()` connects these receivers; `outbound.py` sends the rows. A shift goes to the connection chosen
for it (`shift.connection`) when that is an active IntelyCare connection. Rows carry no payload: the operation
builds the body from the record's latest state when it is sent, so an edit made before the first send is not lost.
Every row of one shift shares its natural key `externalShiftId`, so the outbox sends create, updates and delete in
order; timecards use `timecard:<externalShiftId>` (one timecard per shift at IntelyCare). A timecard correction
disputed in the reconciliation queue (`portal.billing.signals.dispute_raised`) is an update of that timecard with
the corrected times, under the same key, carrying the dispute so the queue shows where it stands.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from portal.integrations.models import VendorConnection

__all__ = ["SENT_FIELDS", "connect"]

VENDOR = "intelycare"

# Fields of ShiftRequest that appear in IntelyCare's shift body (mapping.shift_request_body); other edits stay local.
SENT_FIELDS = frozenset({"starts_at", "ends_at", "unit", "professional_type", "boost_percentage", "time_zone"})


def _connection_of(shift: Any) -> VendorConnection | None:
    connection = shift.connection
    if connection is None or connection.vendor != VENDOR or not connection.is_active:
        return None
    return connection


def _enqueue(connection: VendorConnection, operation: str, natural_key: str, related: Any) -> None:
    from portal.integrations import outbox

    outbox.enqueue(connection, operation, natural_key=natural_key, related=related)


def shift_saved(sender: type, shift: Any, created: bool, changed_fields: frozenset[str], **kwargs: Any) -> None:
    if (connection := _connection_of(shift)) is None:
        return
    if created:
        _enqueue(connection, "create_shift", shift.external_shift_id, shift)
    elif changed_fields & SENT_FIELDS:
        _enqueue(connection, "update_shift", shift.external_shift_id, shift)


def shift_cancelled(sender: type, shift: Any, **kwargs: Any) -> None:
    if (connection := _connection_of(shift)) is not None:
        _enqueue(connection, "delete_shift", shift.external_shift_id, shift)


def timecard_submitted(sender: type, timecard: Any, created: bool, **kwargs: Any) -> None:
    shift = timecard.shift
    if shift is None or (connection := _connection_of(shift)) is None:
        return
    operation = "create_timecard" if created else "update_timecard"
    _enqueue(connection, operation, f"timecard:{shift.external_shift_id}", timecard)


def dispute_raised(sender: type, dispute: Any, **kwargs: Any) -> None:
    """The corrected times as IntelyCare's update timecard; the body is the dispute's, not the local card's."""
    from portal.integrations import outbox
    from vendors.intelycare.mapping import utc_z

    timecard = dispute.timecard
    shift = timecard.shift if timecard is not None and dispute.kind == "correct_timecard" else None
    if shift is None or (connection := _connection_of(shift)) is None:
        return
    payload = {
        "externalShiftId": str(shift.external_shift_id),
        "checkIn": utc_z(dispute.check_in),
        "checkOut": utc_z(dispute.check_out),
        "breakDuration": int(dispute.break_minutes or 0),
    }
    key = f"timecard:{shift.external_shift_id}"
    outbox.enqueue(connection, "update_timecard", payload=payload, natural_key=key, related=timecard, about=[dispute])


def _receivers() -> list[tuple[Any, Any, str]]:
    from portal.billing import signals as billing
    from portal.shifts import signals

    return [
        (shift_saved, signals.shift_request_saved, "intelycare-shift-saved"),
        (shift_cancelled, signals.shift_request_cancelled, "intelycare-shift-cancelled"),
        (timecard_submitted, signals.timecard_submitted, "intelycare-timecard-submitted"),
        (dispute_raised, billing.dispute_raised, "intelycare-dispute-raised"),
    ]


def connect() -> None:
    """Connect the receivers once (dispatch_uid makes a second call harmless); say which disputes we take."""
    from portal.billing.disputes import accept_disputes

    for receiver, signal, uid in _receivers():
        signal.connect(receiver, dispatch_uid=uid, weak=False)
    accept_disputes(VENDOR, "correct_timecard")
