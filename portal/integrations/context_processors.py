"""Vendor trouble on every page: the banner for the vendors a page depends on, and the nav's count of changes
that have not reached a vendor. Both are lazy, so a page that does not show them (an HTMX partial) costs nothing."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from portal.integrations import health

__all__ = ["vendor_health"]


def vendor_health(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    match = getattr(request, "resolver_match", None)
    vendors = health.vendors_for(match.namespace, match.url_name) if match else ()
    return {
        "vendor_troubles": SimpleLazyObject(lambda: health.troubles(vendors)),
        "undelivered_count": SimpleLazyObject(health.undelivered_count),
    }
