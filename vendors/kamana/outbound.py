"""Changes the portal pushes to Kamana, sent by the outbox: job requisitions (create, update), relationship status
and do-not-hire, engagement updates and new extensions.

Each body is built when sent, from the record's latest state, and checked before it leaves (`KamanaClient`).
Kamana has no idempotency key, so the two creates are made recognisable instead:
- a new requisition carries `source_reference_number` = the outbox row's natural key (a field Kamana keeps and
  searches); after a crash mid-call, `find_existing` searches for it before anything is sent again;
- a new extension is found again by its engagement and dates.
PUT and PATCH set absolute values, so repeating them is harmless.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from portal.core.vendor_records import remember_vendor_id
from portal.integrations.errors import NotFound, ValidationFailed
from portal.integrations.provider import OutboundOperation, SendResult
from vendors.base.client import VendorClient
from vendors.kamana import mapping
from vendors.kamana.client import KamanaClient
from vendors.kamana.outbound_checks import CHECKS

if TYPE_CHECKING:
    from portal.integrations.models import OutboundRequest

__all__ = ["OPERATIONS", "natural_key"]


def natural_key(instance: Any) -> str:
    """One key per local record: its requests go out in order, and a new requisition is found again by it."""
    return f"portal-{instance._meta.model_name}-{instance.pk}"


def _related(row: OutboundRequest) -> Any:
    related = row.related_object
    if related is None:
        raise NotFound("Not sent to Kamana: the record it was about no longer exists.")
    return related


def _values(row: OutboundRequest, build: Callable[[Any], dict[str, Any]]) -> dict[str, Any]:
    """The values to send: given explicitly on the row, or built now from the record's latest state."""
    return dict(row.payload) if row.payload else build(_related(row))


def _kamana_id(obj: Any, what: str) -> str:
    if not getattr(obj, "external_id", ""):
        raise NotFound(f"Not sent to Kamana: the {what} was never created there.")
    return obj.external_id


def _credential(row: OutboundRequest, name: str) -> str:
    value = str((row.connection.credentials or {}).get(name, ""))
    if not value:
        raise ValidationFailed(f"Not sent to Kamana: the connection has no {name}.", field_errors={name: ["Required."]})
    return value


def _api(client: VendorClient) -> KamanaClient:
    return KamanaClient(client)


# -- job requisitions --------------------------------------------------------------------------------------------
def _requisition_values(row: OutboundRequest) -> dict[str, Any]:
    values = _values(row, mapping.job_requisition_values)
    values["source_reference_number"] = values.get("source_reference_number") or row.natural_key
    return values


def _assigned_reference(requisition: Any) -> dict[str, str]:
    return {"reference_number": requisition.reference_number} if requisition.reference_number else {}


def create_job_requisition(client: VendorClient, row: OutboundRequest) -> SendResult:
    created = _api(client).create_job_requisition(_requisition_values(row))
    remember_vendor_id(_related(row), row.connection, created.id, **_assigned_reference(created))
    return SendResult(created.id, {"id": created.id, "reference_number": created.reference_number})


def find_job_requisition(client: VendorClient, row: OutboundRequest) -> SendResult | None:
    key = _requisition_values(row)["source_reference_number"]
    for page in _api(client).job_requisitions(search=key):
        for requisition in page.records:
            if requisition.source_reference_number == key:
                remember_vendor_id(_related(row), row.connection, requisition.id, **_assigned_reference(requisition))
                return SendResult(requisition.id, {"id": requisition.id, "found_by": key})
    return None


def update_job_requisition(client: VendorClient, row: OutboundRequest) -> SendResult:
    requisition = _related(row)
    requisition.refresh_from_db()  # a create sent just before set its Kamana id
    kamana_id = _kamana_id(requisition, "job requisition")
    updated = _api(client).update_job_requisition(kamana_id, _values(row, mapping.job_requisition_values))
    return SendResult(updated.id, {"id": updated.id})


# -- relationships -----------------------------------------------------------------------------------------------
def update_relationship_status(client: VendorClient, row: OutboundRequest) -> SendResult:
    relationship = _related(row)
    kamana_id = _kamana_id(relationship, "relationship")
    values = _values(row, mapping.relationship_status_values)
    updated = _api(client).update_relationship(_credential(row, "account_id"), kamana_id, values)
    return SendResult(updated.id, {"id": updated.id, "status": updated.status and str(updated.status)})


def set_do_not_hire(client: VendorClient, row: OutboundRequest) -> SendResult:
    """`do_not_hire_user_id` names who decided: the Kamana user the connection acts as."""
    relationship = _related(row)
    kamana_id = _kamana_id(relationship, "relationship")
    values = row.payload or {"do_not_hire": relationship.do_not_hire}
    values = {**values, "do_not_hire_user_id": _credential(row, "user_id")}
    updated = _api(client).update_relationship(_credential(row, "account_id"), kamana_id, values)
    return SendResult(updated.id, {"id": updated.id, "do_not_hire": updated.do_not_hire})


# -- engagements -------------------------------------------------------------------------------------------------
def update_engagement(client: VendorClient, row: OutboundRequest) -> SendResult:
    engagement = _related(row)
    kamana_id = _kamana_id(engagement, "engagement")
    values = _values(row, mapping.engagement_values)
    updated = _api(client).update_engagement(
        kamana_id, values, current_client_contract_id=mapping.held_client_contract(engagement)
    )
    return SendResult(updated.id, {"id": updated.id})


def create_extension(client: VendorClient, row: OutboundRequest) -> SendResult:
    extension = _related(row)
    engagement_id = _kamana_id(extension.engagement, "engagement")
    created = _api(client).create_extension(engagement_id, _values(row, mapping.extension_values))
    remember_vendor_id(extension, row.connection, created.id)
    return SendResult(created.id, {"id": created.id})


def find_extension(client: VendorClient, row: OutboundRequest) -> SendResult | None:
    extension = _related(row)
    engagement_id = _kamana_id(extension.engagement, "engagement")
    for page in _api(client).extensions(engagement_id):
        for found in page.records:
            if (found.starts_on, found.ends_on) == (extension.starts_on, extension.ends_on):
                remember_vendor_id(extension, row.connection, found.id)
                return SendResult(found.id, {"id": found.id, "found_by": "dates"})
    return None


OPERATIONS: dict[str, OutboundOperation] = {
    op.name: op
    for op in (
        OutboundOperation(
            "create_job_requisition",
            "Create job requisition",
            create_job_requisition,
            find_job_requisition,
            check=CHECKS["create_job_requisition"],
        ),
        OutboundOperation(
            "update_job_requisition",
            "Update job requisition",
            update_job_requisition,
            check=CHECKS["update_job_requisition"],
        ),
        OutboundOperation(
            "update_relationship_status",
            "Change relationship status",
            update_relationship_status,
            check=CHECKS["update_relationship_status"],
        ),
        OutboundOperation("set_do_not_hire", "Set do-not-hire", set_do_not_hire),
        OutboundOperation(
            "update_engagement", "Update engagement", update_engagement, check=CHECKS["update_engagement"]
        ),
        OutboundOperation(
            "create_engagement_extension",
            "Add engagement extension",
            create_extension,
            find_extension,
            check=CHECKS["create_engagement_extension"],
        ),
    )
}
