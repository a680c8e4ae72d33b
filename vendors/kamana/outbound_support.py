"""What every Kamana send operation needs from its outbox row: the record, the values to send, Kamana ids of
related records and the connection's credentials (`outbound`, `outbound_clients`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from portal.integrations.errors import NotFound, ValidationFailed
from vendors.base.client import VendorClient
from vendors.kamana.client import KamanaClient

if TYPE_CHECKING:
    from portal.integrations.models import OutboundRequest

__all__ = ["api", "credential", "kamana_id", "natural_key", "related", "values_of"]


def natural_key(instance: Any) -> str:
    """One key per local record: its requests go out in order, and a new requisition is found again by it."""
    return f"portal-{instance._meta.model_name}-{instance.pk}"


def related(row: OutboundRequest) -> Any:
    record = row.related_object
    if record is None:
        raise NotFound("Not sent to Kamana: the record it was about no longer exists.")
    return record


def values_of(row: OutboundRequest, build: Callable[[Any], dict[str, Any]]) -> dict[str, Any]:
    """The values to send: given explicitly on the row, or built now from the record's latest state."""
    return dict(row.payload) if row.payload else build(related(row))


def kamana_id(obj: Any, what: str) -> str:
    if not getattr(obj, "external_id", ""):
        raise NotFound(f"Not sent to Kamana: the {what} was never created there.")
    return obj.external_id


def credential(row: OutboundRequest, name: str) -> str:
    value = str((row.connection.credentials or {}).get(name, ""))
    if not value:
        raise ValidationFailed(f"Not sent to Kamana: the connection has no {name}.", field_errors={name: ["Required."]})
    return value


def api(client: VendorClient) -> KamanaClient:
    return KamanaClient(client)
