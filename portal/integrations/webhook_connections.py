"""Which connection a webhook URL belongs to, remembered per process for a few seconds.

The receiver used to read the connection (and decrypt its credentials) on every delivery: a database round trip
and a Fernet decryption per request, for a row that changes a few times a year. Here a hit costs a dict lookup.

The price is bounded staleness: another process's change to a connection (deactivated, re-tokened, new secret) is
seen here at most `WEBHOOK_CONNECTION_CACHE_SECONDS` later. Until then a deactivated connection's deliveries are
still stored and verified with its previous secret; after that they are refused. A save or delete made in this
process forgets the cache at once. Unknown tokens are never remembered, so a flood of made-up URLs cannot grow
the cache and a connection created a moment ago is found on its first delivery.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from django.conf import settings
from django.db.models import Q
from django.db.models.signals import post_delete, post_save
from django.utils import timezone

from portal.integrations.models import VendorConnection

__all__ = ["active_connection", "forget_connections"]

_TOKEN_MAX_LENGTH = VendorConnection._meta.get_field("webhook_token").max_length
_cache: dict[tuple[str, str], tuple[float, VendorConnection]] = {}
_lock = threading.Lock()
clock: Callable[[], float] = time.monotonic  # the TTL's clock; a test moves it on instead of sleeping


def active_connection(vendor: str, token: str) -> VendorConnection | None:
    """The active connection of `vendor` whose webhook token is `token`, at most the TTL old; None if unknown.

    A rotated-out token (`previous_webhook_token`) finds its connection until the rotation's expiry, checked on
    every hit so the cache never stretches the overlap. The returned instance is shared between the threads of
    this process: read it, never change it.
    """
    if len(token) > _TOKEN_MAX_LENGTH or "\x00" in token or "\x00" in vendor:
        return None  # never a stored token; PostgreSQL would refuse the NUL in the query itself
    key = (vendor, token)
    now = clock()
    hit = _cache.get(key)
    if hit is not None and hit[0] > now:
        return hit[1] if _token_valid(hit[1], token) else None
    rotated_out = Q(previous_webhook_token=token, previous_webhook_expires_at__gt=timezone.now())
    matching = VendorConnection.objects.filter(Q(webhook_token=token) | rotated_out, vendor=vendor, is_active=True)
    connection = matching.first()
    with _lock:
        if connection is None:
            _cache.pop(key, None)
        else:
            _cache[key] = (now + settings.WEBHOOK_CONNECTION_CACHE_SECONDS, connection)
    return connection


def _token_valid(connection: VendorConnection, token: str) -> bool:
    if token == connection.webhook_token:
        return True
    expires = connection.previous_webhook_expires_at
    return token == connection.previous_webhook_token and expires is not None and timezone.now() < expires


def forget_connections(**_kwargs) -> None:
    """Drop every remembered connection (a signal receiver: any connection saved or deleted in this process)."""
    with _lock:
        _cache.clear()


post_save.connect(forget_connections, sender=VendorConnection, dispatch_uid="webhook_connections.saved")
post_delete.connect(forget_connections, sender=VendorConnection, dispatch_uid="webhook_connections.deleted")
