"""The explicit list of vendor providers: `settings.VENDOR_PROVIDERS` names each package's provider module.

No import-order magic (allauth's own TODO warns against it): adding a vendor is one line in settings.
"""

from __future__ import annotations

import functools
import importlib

from django.conf import settings

from portal.integrations.provider import VendorProvider

__all__ = ["UnknownVendor", "all_providers", "get_provider"]


class UnknownVendor(LookupError):
    pass


@functools.cache
def _providers(paths: tuple[str, ...]) -> dict[str, VendorProvider]:
    found: dict[str, VendorProvider] = {}
    for path in paths:
        # "vendors.intelycare" -> vendors.intelycare.provider.Provider
        provider = importlib.import_module(f"{path}.provider").Provider()
        found[provider.name] = provider
    return found


def all_providers() -> dict[str, VendorProvider]:
    return _providers(tuple(settings.VENDOR_PROVIDERS))


def get_provider(name: str) -> VendorProvider:
    try:
        return all_providers()[name]
    except KeyError:
        known = ", ".join(sorted(all_providers())) or "none"
        raise UnknownVendor(f"No vendor called {name!r} is registered (known: {known}).") from None
