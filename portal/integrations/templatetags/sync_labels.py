"""Sync resources named for people: "payrollsusers" is Alaunus's path, "payroll entries" is what it brings (issue 17).

The label is the plural name of the model the resource fills, read from the vendor's registered `SyncResource`; the
command line keeps the vendor's name, since that is what `manage.py sync --resource` takes.
"""

from __future__ import annotations

from django import template
from django.apps import apps

from portal.integrations.registry import all_providers

__all__ = ["resource_label"]

register = template.Library()


@register.filter
def resource_label(name: str, vendor: str) -> str:
    """`{{ run.resource|resource_label:run.connection.vendor }}` -> "payroll entries"; the name itself when the
    vendor or resource is not registered."""
    provider = all_providers().get(vendor)
    resource = provider.resources.get(name) if provider else None
    if resource is None:
        return name
    try:
        return str(apps.get_model(resource.model)._meta.verbose_name_plural)
    except (LookupError, ValueError):
        return name
