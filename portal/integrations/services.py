"""Vendor-neutral questions pages ask about connections, answered from the registry (no vendor named here)."""

from __future__ import annotations

from django.db.models import QuerySet

from portal.integrations.models import VendorConnection
from vendors.registry import all_providers

__all__ = ["connections_with_operation"]


def connections_with_operation(name: str) -> QuerySet[VendorConnection]:
    """Active connections whose vendor can carry out outbound operation `name` (e.g. "create_shift"), so a
    domain form can offer "send to ..." choices without knowing which vendors exist."""
    vendors = [vendor for vendor, provider in all_providers().items() if name in provider.operations]
    return VendorConnection.objects.filter(is_active=True, vendor__in=vendors).order_by("name")
