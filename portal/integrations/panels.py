"""A vendor's read-only panels on its connection's page (`ConnectionPanel`): loaded after the page, so a slow
vendor never holds the page up, and cached for `PANEL_SECONDS`, so reloading the page neither bills a vendor that
charges per call nor hammers one that rate-limits. A vendor's refusal is kept for a shorter while and shown as a
message in the panel, never as an error page. A change made on the page (`forget_panels`) starts them afresh.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from django.core.cache import cache
from django.utils import timezone

from portal.integrations.errors import VendorError

if TYPE_CHECKING:
    from portal.integrations.models import VendorConnection
    from portal.integrations.provider import ConnectionPanel

__all__ = ["FAILED_PANEL_SECONDS", "PANEL_SECONDS", "forget_panels", "panel_context"]

PANEL_SECONDS = 60
FAILED_PANEL_SECONDS = 15


def _generation_key(connection: VendorConnection) -> str:
    return f"connection-panels:{connection.pk}:generation"


def _generation(connection: VendorConnection) -> int:
    return int(cache.get_or_set(_generation_key(connection), 1, timeout=None))


def forget_panels(connection: VendorConnection) -> None:
    """Every panel of the connection is loaded afresh next time (after a settings change, say)."""
    try:
        cache.incr(_generation_key(connection))
    except ValueError:  # never cached yet, or evicted: nothing to forget
        cache.set(_generation_key(connection), 2, timeout=None)


def panel_context(
    connection: VendorConnection, panel: ConnectionPanel, query: Mapping[str, str], *, fresh: bool = False
) -> dict[str, Any]:
    """The panel's context (`loaded`, or `error` in the vendor's words) and when it was loaded; from the cache
    unless `fresh`. Only the panel's own `params` reach its loader and its cache key."""
    asked = {name: str(query[name]) for name in panel.params if query.get(name)}
    # The asked values are the visitor's: hashed, so any text makes a valid cache key of bounded length.
    asked_hash = hashlib.sha256(urlencode(sorted(asked.items())).encode()).hexdigest()[:32]
    key = f"connection-panel:{connection.pk}:{_generation(connection)}:{panel.name}:{asked_hash}"
    cached = None if fresh else cache.get(key)
    if cached is not None:
        return cached
    try:
        context = {"loaded": dict(panel.load(connection, asked)), "error": ""}
        seconds = PANEL_SECONDS
    except VendorError as error:
        context = {"loaded": {}, "error": error.message}
        seconds = FAILED_PANEL_SECONDS
    context["loaded_at"] = timezone.now()
    context["asked"] = urlencode(sorted(asked.items()))  # so Refresh asks again for the same page
    cache.set(key, context, seconds)
    return context
