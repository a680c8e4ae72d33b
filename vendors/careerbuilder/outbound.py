"""CareerBuilder's one send operation, dispatched by the outbox: `push_status`, the PUT that inserts a status.

The row carries the full body as it was when the status moved (`signals.py`) and the doc's unique key as its
natural key. The body is checked against the doc before it leaves; PUT is an upsert on that key, so a repeat is
harmless, and a row whose worker died mid-send is first looked for at CareerBuilder (`find_pushed_status`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from portal.integrations.provider import OutboundOperation, SendResult
from vendors.base.client import VendorClient
from vendors.careerbuilder.client import TIE_SECOND, careerbuilder_client, not_sent
from vendors.careerbuilder.schemas import PayloadInvalid, StatusInsert

if TYPE_CHECKING:
    from portal.integrations.models import OutboundRequest

__all__ = ["OPERATIONS", "PUSH_OPERATION"]

PUSH_OPERATION = "push_status"


def _checked(row: OutboundRequest) -> StatusInsert:
    """The row's body under the doc's rules; a broken one is parked with its field errors, never sent."""
    try:
        return StatusInsert.from_payload(row.payload)
    except PayloadInvalid as invalid:
        raise not_sent(invalid) from None


def push_status(client: VendorClient, row: OutboundRequest) -> SendResult:
    """PUT the status. An upsert on the unique key: a repeat after a lost answer changes nothing."""
    receipt = careerbuilder_client(client).insert_status(_checked(row))
    return SendResult(row.natural_key, receipt.raw)


def find_pushed_status(client: VendorClient, row: OutboundRequest) -> SendResult | None:
    """After a crash mid-send: CareerBuilder already holds this status (or a newer one for the same key)?"""
    insert = _checked(row)
    walk = careerbuilder_client(client).walk_email_statuses(
        insert.candidate_email, since=insert.status_date - TIE_SECOND
    )
    for page in walk:
        for status in page:
            if status.key == insert.key and status.status_date and status.status_date >= insert.status_date:
                return SendResult(row.natural_key, {"already_held": dict(status.raw)})
    return None


OPERATIONS: dict[str, OutboundOperation] = {
    PUSH_OPERATION: OutboundOperation(
        PUSH_OPERATION, "Push candidate status", push_status, find_existing=find_pushed_status
    ),
}
