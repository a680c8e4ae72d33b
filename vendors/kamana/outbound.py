"""Changes the portal pushes to Kamana, sent by the outbox: job requisitions (create, update), a person added to
the account (profile and relationship), relationship status and do-not-hire, engagement updates and new
extensions; clients, contacts and facilities are in `outbound_clients`.

Each body is built when sent, from the record's latest state, and checked before it leaves (`KamanaClient`).
Kamana has no idempotency key, so the two creates are made recognisable instead:
- a new requisition carries `source_reference_number` = the outbox row's natural key (a field Kamana keeps and
  searches); after a crash mid-call, `find_existing` searches for it before anything is sent again;
- a new extension is found again by its engagement and dates.
PUT and PATCH set absolute values, so repeating them is harmless.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from portal.core.vendor_records import remember_vendor_id
from portal.integrations.errors import ValidationFailed
from portal.integrations.provider import OutboundOperation, SendResult
from vendors.base.client import VendorClient
from vendors.kamana import mapping, outbound_clients
from vendors.kamana.outbound_checks import CHECKS
from vendors.kamana.outbound_support import api, credential, kamana_id, natural_key, related, values_of

if TYPE_CHECKING:
    from portal.integrations.models import OutboundRequest

__all__ = ["OPERATIONS", "natural_key"]


# -- job requisitions --------------------------------------------------------------------------------------------
def _requisition_values(row: OutboundRequest) -> dict[str, Any]:
    values = values_of(row, mapping.job_requisition_values)
    values["source_reference_number"] = values.get("source_reference_number") or row.natural_key
    return values


def _assigned_reference(requisition: Any) -> dict[str, str]:
    return {"reference_number": requisition.reference_number} if requisition.reference_number else {}


def create_job_requisition(client: VendorClient, row: OutboundRequest) -> SendResult:
    created = api(client).create_job_requisition(_requisition_values(row))
    remember_vendor_id(related(row), row.connection, created.id, **_assigned_reference(created))
    return SendResult(created.id, {"id": created.id, "reference_number": created.reference_number})


def find_job_requisition(client: VendorClient, row: OutboundRequest) -> SendResult | None:
    key = _requisition_values(row)["source_reference_number"]
    for page in api(client).job_requisitions(search=key):
        for requisition in page.records:
            if requisition.source_reference_number == key:
                remember_vendor_id(related(row), row.connection, requisition.id, **_assigned_reference(requisition))
                return SendResult(requisition.id, {"id": requisition.id, "found_by": key})
    return None


def update_job_requisition(client: VendorClient, row: OutboundRequest) -> SendResult:
    requisition = related(row)
    requisition.refresh_from_db()  # a create sent just before set its Kamana id
    vendor_id = kamana_id(requisition, "job requisition")
    updated = api(client).update_job_requisition(vendor_id, values_of(row, mapping.job_requisition_values))
    return SendResult(updated.id, {"id": updated.id})


# -- relationships -----------------------------------------------------------------------------------------------
def update_relationship_status(client: VendorClient, row: OutboundRequest) -> SendResult:
    relationship = related(row)
    vendor_id = kamana_id(relationship, "relationship")
    values = values_of(row, mapping.relationship_status_values)
    updated = api(client).update_relationship(credential(row, "account_id"), vendor_id, values)
    return SendResult(updated.id, {"id": updated.id, "status": updated.status and str(updated.status)})


def set_do_not_hire(client: VendorClient, row: OutboundRequest) -> SendResult:
    """`do_not_hire_user_id` names who decided: the Kamana user the connection acts as."""
    relationship = related(row)
    vendor_id = kamana_id(relationship, "relationship")
    values = row.payload or {"do_not_hire": relationship.do_not_hire}
    values = {**values, "do_not_hire_user_id": credential(row, "user_id")}
    updated = api(client).update_relationship(credential(row, "account_id"), vendor_id, values)
    return SendResult(updated.id, {"id": updated.id, "do_not_hire": updated.do_not_hire})


def _unknown_profile(refused: ValidationFailed) -> bool:
    """Create Relationship refused because no profile has that email: the person is new to Kamana."""
    return bool({"talent_profile_id", "talent_profile_email"} & set(refused.field_errors))


def _linked(row: OutboundRequest, profile: Any, relationship: Any, how: str) -> SendResult:
    from portal.talent.accounts import link_account_relationship

    link_account_relationship(
        profile,
        row.connection,
        profile_ref=relationship.profile_id or "",
        **mapping.added_relationship_fields(relationship, credential(row, "account_id")),
    )
    return SendResult(relationship.id, {"id": relationship.id, "profile_id": relationship.profile_id, "how": how})


def add_talent(client: VendorClient, row: OutboundRequest) -> SendResult:
    """Add a person to the account: Kamana is asked by email first (Create Relationship takes
    `talent_profile_email`), so a person it knows gets no second profile; only when it knows no one by that email
    is the profile created (unclaimed), then the relationship by its id. The primary contact is the connection's
    user. A repeat after a crash between the two calls finds the new profile by email the same way."""
    profile = related(row)
    account, contact = credential(row, "account_id"), credential(row, "user_id")
    kamana = api(client)
    try:
        by_email = {"talent_profile_email": profile.email, "primary_contact_user_id": contact}
        return _linked(row, profile, kamana.create_relationship(account, by_email), "found by email")
    except ValidationFailed as refused:
        if not _unknown_profile(refused):
            raise
    created = kamana.create_profile(mapping.profile_values(profile, row.connection_id))
    by_id = {"talent_profile_id": created.id, "primary_contact_user_id": contact}
    return _linked(row, profile, kamana.create_relationship(account, by_id), "profile created")


def find_added_talent(client: VendorClient, row: OutboundRequest) -> SendResult | None:
    """After a lost answer: the relationship may already be here (linked, or brought by Kamana's webhook)."""
    profile = related(row)
    held = profile.relationships.filter(connection=row.connection).exclude(external_id="").first()
    return SendResult(held.external_id, {"id": held.external_id, "found_by": "relationship held"}) if held else None


# -- engagements -------------------------------------------------------------------------------------------------
def update_engagement(client: VendorClient, row: OutboundRequest) -> SendResult:
    engagement = related(row)
    vendor_id = kamana_id(engagement, "engagement")
    values = values_of(row, mapping.engagement_values)
    updated = api(client).update_engagement(
        vendor_id, values, current_client_contract_id=mapping.held_client_contract(engagement)
    )
    return SendResult(updated.id, {"id": updated.id})


def create_extension(client: VendorClient, row: OutboundRequest) -> SendResult:
    extension = related(row)
    engagement_id = kamana_id(extension.engagement, "engagement")
    created = api(client).create_extension(engagement_id, values_of(row, mapping.extension_values))
    remember_vendor_id(extension, row.connection, created.id)
    return SendResult(created.id, {"id": created.id})


def find_extension(client: VendorClient, row: OutboundRequest) -> SendResult | None:
    extension = related(row)
    engagement_id = kamana_id(extension.engagement, "engagement")
    for page in api(client).extensions(engagement_id):
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
        OutboundOperation("add_talent", "Add to Kamana", add_talent, find_added_talent, check=CHECKS["add_talent"]),
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
        *outbound_clients.OPERATIONS,
    )
}
