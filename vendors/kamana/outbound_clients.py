"""Clients, their contacts and facilities made or changed in the portal, sent to Kamana by the outbox (issue 24).

Kamana has no idempotency key and none of these bodies has a field the portal could stamp (a requisition has
`source_reference_number`), so each create is recognised after a lost answer by what it holds: a client by name and
type, a contact by email at its client, a facility by its address and province, each among the records no row of
this connection already holds (`_unclaimed`). Updates are absolute (PATCH of every field, PUT), so a repeat is
harmless; a delete answered 404 has already happened. Kamana has no client update or delete endpoint.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

from portal.core.vendor_records import remember_vendor_id
from portal.integrations.errors import NotFound
from portal.integrations.provider import OutboundOperation, SendResult
from vendors.base.client import VendorClient
from vendors.kamana import mapping
from vendors.kamana.outbound_checks import CHECKS
from vendors.kamana.outbound_support import api, credential, kamana_id, related, values_of

if TYPE_CHECKING:
    from portal.integrations.models import OutboundRequest

__all__ = ["OPERATIONS"]


def _unclaimed(row: OutboundRequest, record: Any, found: Iterable[Any]) -> Iterator[Any]:
    """Kamana's records that no local row of this connection holds yet: only those can be the lost create."""
    found = list(found)
    held = set(
        type(record)
        .objects.filter(connection=row.connection, external_id__in=[item.id for item in found])
        .values_list("external_id", flat=True)
    )
    return (item for item in found if item.id not in held)


def _records(pages: Iterable[Any]) -> Iterator[Any]:
    for page in pages:
        yield from page.records


def _found(row: OutboundRequest, record: Any, vendor_id: str, **response: Any) -> SendResult:
    remember_vendor_id(record, row.connection, vendor_id)
    return SendResult(vendor_id, {"id": vendor_id, **response})


# -- clients -----------------------------------------------------------------------------------------------------
def _client_values(row: OutboundRequest) -> dict[str, Any]:
    return values_of(row, lambda client: mapping.client_values(client, credential(row, "account_id")))


def create_client(client: VendorClient, row: OutboundRequest) -> SendResult:
    created = api(client).create_client(_client_values(row))
    return _found(row, related(row), created.id)


def find_client(client: VendorClient, row: OutboundRequest) -> SendResult | None:
    record, values = related(row), _client_values(row)
    for found in _unclaimed(row, record, _records(api(client).clients())):
        if (found.name, found.type and str(found.type)) == (values["name"], values["type"]):
            return _found(row, record, found.id, found_by="name and type")
    return None


# -- client contacts ---------------------------------------------------------------------------------------------
def _contact(row: OutboundRequest) -> tuple[Any, str]:
    """The contact and its client's Kamana id (a client created just before left it on the row)."""
    contact = related(row)
    contact.refresh_from_db()
    contact.client.refresh_from_db()
    return contact, kamana_id(contact.client, "client")


def create_client_contact(client: VendorClient, row: OutboundRequest) -> SendResult:
    contact, client_id = _contact(row)
    created = api(client).create_client_contact(client_id, values_of(row, mapping.client_contact_values))
    return _found(row, contact, created.id)


def find_client_contact(client: VendorClient, row: OutboundRequest) -> SendResult | None:
    contact, client_id = _contact(row)
    email = (contact.email or "").casefold()
    for found in _unclaimed(row, contact, _records(api(client).client_contacts(client_id))):
        if email and (found.email or "").casefold() == email:
            return _found(row, contact, found.id, found_by="email")
    return None


def update_client_contact(client: VendorClient, row: OutboundRequest) -> SendResult:
    contact, client_id = _contact(row)
    contact_id = kamana_id(contact, "client contact")
    updated = api(client).update_client_contact(client_id, contact_id, values_of(row, mapping.client_contact_values))
    return SendResult(updated.id, {"id": updated.id})


def delete_client_contact(client: VendorClient, row: OutboundRequest) -> SendResult:
    contact, client_id = _contact(row)
    contact_id = kamana_id(contact, "client contact")
    try:
        api(client).delete_client_contact(client_id, contact_id)
    except NotFound:  # a repeat after a lost answer: Kamana already deleted it
        return SendResult(contact_id, {"id": contact_id, "already_deleted": True})
    return SendResult(contact_id, {"id": contact_id})


# -- facilities --------------------------------------------------------------------------------------------------
def _facility(row: OutboundRequest) -> Any:
    facility = related(row)
    facility.refresh_from_db()
    return facility


def _settle_time_zone(client: VendorClient, facility: Any, held: Any) -> None:
    """Create a Facility takes no `time_zone`: the facility's zone follows by Update (PUT, absolute)."""
    if held.time_zone != facility.time_zone:
        api(client).update_facility(held.id, {"time_zone": facility.time_zone})


def create_facility(client: VendorClient, row: OutboundRequest) -> SendResult:
    facility = _facility(row)
    created = api(client).create_facility(values_of(row, lambda f: mapping.facility_values(f, create=True)))
    result = _found(row, facility, created.id)
    _settle_time_zone(client, facility, created)
    return result


def find_facility(client: VendorClient, row: OutboundRequest) -> SendResult | None:
    facility = _facility(row)
    wanted = mapping.facility_values(facility, create=True)
    for found in _unclaimed(row, facility, _records(api(client).facilities())):
        address = {name: getattr(found, name) for name in wanted}
        if not found.static_id and address == wanted:
            result = _found(row, facility, found.id, found_by="address")
            _settle_time_zone(client, facility, found)
            return result
    return None


def update_facility(client: VendorClient, row: OutboundRequest) -> SendResult:
    facility = _facility(row)
    facility_id = kamana_id(facility, "facility")
    values = values_of(row, lambda f: mapping.facility_values(f, create=False))
    updated = api(client).update_facility(facility_id, values)
    return SendResult(updated.id, {"id": updated.id})


def delete_facility(client: VendorClient, row: OutboundRequest) -> SendResult:
    facility = _facility(row)
    facility_id = kamana_id(facility, "facility")
    try:
        api(client).delete_facility(facility_id, static_id=facility.static_id or None)
    except NotFound:  # a repeat after a lost answer: Kamana already deleted it
        return SendResult(facility_id, {"id": facility_id, "already_deleted": True})
    return SendResult(facility_id, {"id": facility_id})


OPERATIONS: tuple[OutboundOperation, ...] = (
    OutboundOperation("create_client", "Create client", create_client, find_client, check=CHECKS["create_client"]),
    OutboundOperation(
        "create_client_contact",
        "Add client contact",
        create_client_contact,
        find_client_contact,
        check=CHECKS["create_client_contact"],
    ),
    OutboundOperation(
        "update_client_contact",
        "Change client contact",
        update_client_contact,
        check=CHECKS["update_client_contact"],
    ),
    OutboundOperation("delete_client_contact", "Remove client contact", delete_client_contact),
    OutboundOperation(
        "create_facility", "Create facility", create_facility, find_facility, check=CHECKS["create_facility"]
    ),
    OutboundOperation("update_facility", "Change facility", update_facility, check=CHECKS["update_facility"]),
    OutboundOperation("delete_facility", "Delete facility", delete_facility, check=CHECKS["delete_facility"]),
)
