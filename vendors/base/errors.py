"""The small error taxonomy every vendor call ends in, so pages and rows can say what went wrong in plain words.

Transient errors (`RateLimited`, `Unavailable`) are retried by the client and by the outbox; the others are
permanent: retrying the same request will not help until someone changes something.
"""

from __future__ import annotations

from typing import Any

__all__ = [
    "AuthError",
    "Conflict",
    "NotFound",
    "RateLimited",
    "Unavailable",
    "ValidationFailed",
    "VendorError",
]


class VendorError(Exception):
    """Base of the taxonomy. `transient` tells the outbox whether a later attempt may succeed."""

    transient = False

    def __init__(self, message: str, *, status: int | None = None, body: Any = None) -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        self.body = body


class AuthError(VendorError):
    """The vendor refused our credentials (401/403): fix the connection's secrets."""


class NotFound(VendorError):
    """The vendor has no such object (404)."""


class Conflict(VendorError):
    """The vendor already holds an object with this natural key (409); `body` may carry it."""


class ValidationFailed(VendorError):
    """The vendor (or our own check before sending) refused the data; `field_errors` says which fields."""

    def __init__(self, message: str, *, field_errors: dict[str, Any] | None = None, **kwargs: Any) -> None:
        super().__init__(message, **kwargs)
        self.field_errors = field_errors or {}


class RateLimited(VendorError):
    """429: the vendor asked us to slow down; `retry_after` seconds if it said how long."""

    transient = True

    def __init__(self, message: str, *, retry_after: float | None = None, **kwargs: Any) -> None:
        super().__init__(message, **kwargs)
        self.retry_after = retry_after


class Unavailable(VendorError):
    """5xx, a timeout or a dropped connection: the vendor could not answer now."""

    transient = True
