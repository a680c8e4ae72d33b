"""IntelyCare's send operations, dispatched by the outbox: shifts (create, update, delete) and timecards (create,
update), one object per request (the doc: bulk is not supported).

Each body is built when sent, from the record's latest state, and its required fields checked before it leaves.
A create is recognised on retry by IntelyCare itself: `externalShiftId` is the shift's unique identifier, so a
repeated POST answers 409 with the shift it already holds (README "Repeated create"), taken as sent.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from portal.core.vendor_records import remember_vendor_errors, remember_vendor_id
from portal.integrations.errors import Conflict, NotFound
from portal.integrations.provider import OutboundOperation, SendResult
from vendors.base.client import VendorClient
from vendors.intelycare.client import IntelyCareClient
from vendors.intelycare.mapping import shift_request_body, timecard_body
from vendors.intelycare.schemas import SHIFT_REQUIRED, SHIFT_UPDATE_REQUIRED, TIMECARD_REQUIRED, require_fields

if TYPE_CHECKING:
    from portal.integrations.models import OutboundRequest

__all__ = ["OPERATIONS"]


def _body(row: OutboundRequest, build) -> dict[str, Any]:
    """The wire body: given explicitly on the row, or built now from the related record's latest state."""
    if row.payload:
        return dict(row.payload)
    if row.related_object is None:
        raise NotFound("Not sent to IntelyCare: the record it was about no longer exists.")
    return build(row.related_object)


def _shift_id(row: OutboundRequest) -> str:
    """IntelyCare's internalShiftId: on the shift once created, else from the create request already sent."""
    from portal.integrations.models import OutboundRequest

    related = row.related_object
    shift = getattr(related, "shift", related)
    if shift is not None and getattr(shift, "external_id", ""):
        return shift.external_id
    sent = (
        OutboundRequest.objects.filter(connection_id=row.connection_id, natural_key=row.natural_key, state="sent")
        .exclude(vendor_id="")
        .order_by("-pk")
        .values_list("vendor_id", flat=True)
        .first()
    )
    if not sent:
        raise NotFound("Not sent to IntelyCare: the shift was never created there.")
    return sent


def _ic(client: VendorClient) -> IntelyCareClient:
    return IntelyCareClient(client)


def create_shift(client: VendorClient, row: OutboundRequest) -> SendResult:
    body = _body(row, shift_request_body)
    require_fields(body, SHIFT_REQUIRED, "shift request")
    try:
        data = _ic(client).create_shift(body)
    except Conflict as exc:
        # A repeat of a request that reached IntelyCare before (lost answer, killed worker): it is the same shift.
        data = (exc.body or {}).get("data") if isinstance(exc.body, dict) else None
        if not data:
            raise
    internal_id = str(data["internalShiftId"])
    if row.related_object is not None:
        # Kept on the shift (`VendorRecord.external_id`) so webhooks and updates find it.
        remember_vendor_id(row.related_object, row.connection, internal_id)
    return SendResult(internal_id, data)


def update_shift(client: VendorClient, row: OutboundRequest) -> SendResult:
    body = _body(row, shift_request_body)
    body.pop("externalShiftId", None)
    require_fields(body, SHIFT_UPDATE_REQUIRED, "shift update")
    shift_id = _shift_id(row)
    return SendResult(shift_id, _ic(client).update_shift(shift_id, body))


def delete_shift(client: VendorClient, row: OutboundRequest) -> SendResult:
    shift_id = _shift_id(row)
    try:
        data = _ic(client).delete_shift(shift_id)
    except NotFound:
        data = {"internalShiftId": shift_id, "removed": 0}  # already gone: what we wanted
    return SendResult(shift_id, data)


def _remember_timecard_errors(row: OutboundRequest, data: dict[str, Any]) -> None:
    """IntelyCare answers 200 with `errors` when it accepted the call but not the times: show them on the card."""
    if row.related_object is not None:
        remember_vendor_errors(row.related_object, data.get("errors") or [])


def create_timecard(client: VendorClient, row: OutboundRequest) -> SendResult:
    body = _body(row, timecard_body)
    require_fields(body, TIMECARD_REQUIRED, "timecard")
    try:
        data = _ic(client).create_timecard(body)
    except Conflict as exc:
        # Already there from an earlier attempt whose answer was lost; the update operation changes it.
        data = exc.body if isinstance(exc.body, dict) else {}
    _remember_timecard_errors(row, data)
    return SendResult(str(body["externalShiftId"]), data)


def update_timecard(client: VendorClient, row: OutboundRequest) -> SendResult:
    body = _body(row, timecard_body)
    require_fields(body, TIMECARD_REQUIRED, "timecard")
    data = _ic(client).update_timecard(body)
    _remember_timecard_errors(row, data)
    return SendResult(str(body["externalShiftId"]), data)


OPERATIONS: dict[str, OutboundOperation] = {
    op.name: op
    for op in (
        OutboundOperation("create_shift", "Create shift request", create_shift, retry_post=True),
        OutboundOperation("update_shift", "Update shift request", update_shift),
        OutboundOperation("delete_shift", "Delete shift request", delete_shift),
        OutboundOperation("create_timecard", "Create timecard", create_timecard, retry_post=True),
        OutboundOperation("update_timecard", "Update timecard", update_timecard),
    )
}
