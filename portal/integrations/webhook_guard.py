"""What the webhook receiver checks before it stores anything, against hostile and broken senders (issue 15).

Anyone can post to `/webhooks/...`, so what a delivery can make us read, parse and write is bounded: the body is
read up to the vendor's limit and no further, JSON nesting is bounded, and a refusal made before the body is read
(an unknown URL, a body too large) keeps a small record and never the body; past a per-source rate not even that,
and records older than WEBHOOK_REFUSALS_KEEP_DAYS are pruned as new ones come. Text is made storable (PostgreSQL
refuses NUL characters), so no input turns into a 500.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import ipaddress
import logging
import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from django.utils import timezone

from portal.integrations.models import RefusedDelivery, VendorConnection

__all__ = [
    "HEAD_BYTES",
    "MAX_JSON_DEPTH",
    "client_address",
    "read_limited",
    "record_refusal",
    "storable_text",
    "too_deep",
]

logger = logging.getLogger(__name__)

# A refusal record keeps the SHA-256 of this many leading bytes: enough to tell repeats apart, nothing readable.
HEAD_BYTES = 1024
# Deeper JSON is refused as malformed; no vendor's event nests past a handful of levels.
MAX_JSON_DEPTH = 64


def read_limited(request: HttpRequest, limit: int) -> tuple[bytes, bool]:
    """The body and whether it is within `limit` bytes, never buffering more than `limit + 1` bytes.

    A declared Content-Length over the limit is refused unread (only its first bytes are read, for the record);
    the stream is read through Django's `LimitedStream`, so a sender cannot send more than it declared.
    """
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0
    if declared > limit:
        return request.read(HEAD_BYTES), False
    body = request.read(limit + 1)
    return body, len(body) <= limit


def too_deep(body: bytes, payload: object) -> bool:
    """Whether the parsed JSON nests containers deeper than MAX_JSON_DEPTH (walked only when it could)."""
    if body.count(b"[") + body.count(b"{") <= MAX_JSON_DEPTH:
        return False
    stack = [(payload, 1)]
    while stack:
        value, depth = stack.pop()
        children = value.values() if isinstance(value, dict) else value if isinstance(value, list) else ()
        for child in children:
            if isinstance(child, dict | list):
                if depth + 1 > MAX_JSON_DEPTH:
                    return True
                stack.append((child, depth + 1))
    return False


def storable_text(text: str) -> str:
    """`text` as PostgreSQL stores it: no NUL characters, no lone surrogates (both would fail the INSERT)."""
    text = text.replace("\x00", "\ufffd")
    if not text.isascii():
        text = text.encode("utf-8", "replace").decode("utf-8")
    return text


def client_address(request: HttpRequest) -> str | None:
    """REMOTE_ADDR if it is an IP address (the column's type), else None."""
    return _ip_address(request.META.get("REMOTE_ADDR") or "")


@functools.lru_cache(maxsize=1024)
def _ip_address(address: str) -> str | None:
    """Remembered: a vendor posts from a few addresses, and parsing one cost ~15 us of a delivery (issue 16);
    a sender cycling through many only pushes the oldest out."""
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return None


def record_refusal(
    reason: str, vendor: str, request: HttpRequest, head: bytes, connection: VendorConnection | None = None
) -> bool:
    """Keep a small record of a delivery refused unread, unless its source (or everyone) is over the rate.

    Returns whether a record was written. If the cache cannot count, nothing is written: the bound holds.
    """
    address = client_address(request)
    minute = int(time.time() // 60)
    try:
        allowed = _counted(f"webhook-refusals:{address}:{minute}", settings.WEBHOOK_REFUSALS_PER_SOURCE_PER_MINUTE)
        everyone = _count(f"webhook-refusals:*:{minute}") if allowed else 0
    except Exception:
        logger.warning("webhook refusals could not be counted; none recorded", exc_info=True)
        return False
    if not allowed or everyone > settings.WEBHOOK_REFUSALS_PER_MINUTE:
        return False
    if everyone == 1:  # the minute's first record prunes what is older than the kept window
        cutoff = timezone.now() - dt.timedelta(days=settings.WEBHOOK_REFUSALS_KEEP_DAYS)
        RefusedDelivery.objects.filter(received_at__lt=cutoff).delete()
    try:
        declared = max(0, int(request.META.get("CONTENT_LENGTH") or 0))
    except ValueError:
        declared = None
    RefusedDelivery.objects.create(
        reason=reason,
        vendor=storable_text(vendor)[:32],
        connection=connection,
        remote_addr=address,
        size=declared,
        head_sha256=hashlib.sha256(head[:HEAD_BYTES]).hexdigest(),
    )
    return True


def _counted(key: str, limit: int) -> bool:
    """Count one more under `key` (for this minute); whether the count is still within `limit`."""
    return _count(key) <= limit


def _count(key: str) -> int:
    """One more under `key`, kept two minutes; the new count."""
    cache.add(key, 0, timeout=120)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=120)
        return 1
