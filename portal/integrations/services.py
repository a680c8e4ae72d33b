"""Vendor-neutral questions pages ask about connections, answered from the registry (no vendor named here)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from portal.integrations.models import VendorConnection
from portal.integrations.registry import all_providers, get_provider

__all__ = ["connections_with_operation", "outbound_problems"]


def connections_with_operation(name: str) -> QuerySet[VendorConnection]:
    """Active connections whose vendor can carry out outbound operation `name` (e.g. "create_shift"), so a
    domain form can offer "send to ..." choices without knowing which vendors exist."""
    vendors = [vendor for vendor, provider in all_providers().items() if name in provider.operations]
    return VendorConnection.objects.filter(is_active=True, vendor__in=vendors).order_by("name")


def outbound_problems(connection: VendorConnection | None, operation: str, instance: Any) -> dict[str, list[str]]:
    """What `connection`'s vendor would refuse if `operation` were sent for `instance` (unsaved changes included),
    keyed by the instance's field names; empty when it would pass or the vendor does not check this operation.

    A domain form calls this in `clean()` so a coordinator fixes the problem on the form, before an outbox row is
    written that the vendor could only refuse later."""
    if connection is None:
        return {}
    op = get_provider(connection.vendor).operations.get(operation)
    if op is None or op.check is None:
        return {}
    return {name: list(messages) for name, messages in op.check(instance).items()}
