"""Checking a vendor's webhook signature on the raw body: shared by the vendors that sign with HMAC-SHA256."""

from __future__ import annotations

import hashlib
import hmac

__all__ = ["hmac_sha256_hex_matches"]


def hmac_sha256_hex_matches(secret: str, body: bytes, signature: object) -> bool:
    """Constant-time check of a hex HMAC-SHA256 of the raw body (IntelyCare's `X-Signature-IC`).

    Never raises (issue 15): a header value is whatever a sender chose, so anything but a short ASCII string
    (bytes, non-ASCII text, several values, a megabyte) is simply not the signature.
    """
    if not secret or not isinstance(signature, str) or not signature.isascii():
        return False
    if not signature or len(signature) > _MAX_SIGNATURE_CHARS:
        return False
    expected = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected.encode(), signature.strip().lower().encode())


# A hex SHA-256 is 64 characters; allow room for whitespace, refuse anything longer without hashing.
_MAX_SIGNATURE_CHARS = 256
