"""The HTTP client every vendor package uses: one `httpx.Client` per connection per process, retries by stamina.

Retried: 429, 502, 503, 504 and transport errors (timeouts, refused or dropped connections), with exponential
backoff and jitter, honouring a short `Retry-After`, bounded in attempts and in total time. Not retried: a POST,
unless the caller says the vendor recognises a repeat of it (an idempotency key or a natural key such as
IntelyCare's `externalShiftId`), because a POST whose answer was lost may already have created the object.

Every call has an overall deadline (`VendorClient.deadline`, retries included): httpx's timeouts are per socket
operation, so a vendor trickling a byte a second would never trip them. The transport's network backend bounds
each connect, read and write by the time the deadline leaves (issue 15 item 5); `deadline()` can shorten it for a
whole sync run.
"""

from __future__ import annotations

import email.utils
import logging
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import httpcore
import httpx
import stamina

from portal.integrations.calls import deadline, time_left
from portal.integrations.errors import (
    RAW_BODY_LIMIT,
    AuthError,
    Conflict,
    DeadlineExceeded,
    NotFound,
    RateLimited,
    Unavailable,
    ValidationFailed,
    VendorError,
    field_errors,
    vendor_words,
)

__all__ = [
    "DEFAULT_DEADLINE_SECONDS",
    "DeadlineTransport",
    "RetryPolicy",
    "VendorClient",
    "error_for",
    "parse_retry_after",
    "redact",
]

logger = logging.getLogger("vendors.http")

IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "PUT", "DELETE", "OPTIONS"})
REDACTED = "[redacted]"
DEFAULT_DEADLINE_SECONDS = 30.0
_DEADLINE_SLACK = 0.05  # a timeout this close to the deadline is the deadline's doing


def _bounded(timeout: float | None, expired: type[Exception]) -> float | None:
    left = time_left()
    if left is None:
        return timeout
    if left <= 0:
        raise expired("the call's deadline passed")
    return left if timeout is None else min(timeout, left)


class _DeadlineStream(httpcore.NetworkStream):
    """A socket stream whose every read and write ends by the deadline of the call using it."""

    def __init__(self, stream: httpcore.NetworkStream) -> None:
        self._stream = stream

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._stream.read(max_bytes, _bounded(timeout, httpcore.ReadTimeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._stream.write(buffer, _bounded(timeout, httpcore.WriteTimeout))

    def close(self) -> None:
        self._stream.close()

    def start_tls(self, ssl_context: Any, server_hostname: str | None = None, timeout: float | None = None) -> Any:
        bounded = _bounded(timeout, httpcore.ConnectTimeout)
        return _DeadlineStream(self._stream.start_tls(ssl_context, server_hostname, bounded))

    def get_extra_info(self, info: str) -> Any:
        return self._stream.get_extra_info(info)


class _DeadlineBackend(httpcore.NetworkBackend):
    def __init__(self) -> None:
        self._backend = httpcore.SyncBackend()

    def connect_tcp(
        self, host: str, port: int, timeout: float | None = None, local_address: str | None = None, **kwargs: Any
    ) -> httpcore.NetworkStream:
        bounded = _bounded(timeout, httpcore.ConnectTimeout)
        return _DeadlineStream(self._backend.connect_tcp(host, port, bounded, local_address, **kwargs))

    def connect_unix_socket(self, path: str, timeout: float | None = None, **kwargs: Any) -> httpcore.NetworkStream:
        bounded = _bounded(timeout, httpcore.ConnectTimeout)
        return _DeadlineStream(self._backend.connect_unix_socket(path, bounded, **kwargs))

    def sleep(self, seconds: float) -> None:
        self._backend.sleep(seconds)


class DeadlineTransport(httpx.HTTPTransport):
    """httpx's transport over a connection pool whose sockets keep the deadline of the call using them (set by
    `deadline()`; a VendorClient sets its own)."""

    def __init__(self) -> None:
        super().__init__()
        limits = httpx.Limits()
        self._pool = httpcore.ConnectionPool(
            ssl_context=httpx.create_ssl_context(),
            max_connections=limits.max_connections,
            max_keepalive_connections=limits.max_keepalive_connections,
            keepalive_expiry=limits.keepalive_expiry,
            network_backend=_DeadlineBackend(),
        )


@dataclass(frozen=True)
class RetryPolicy:
    """Bounds of one call's retries. `max_retry_after` caps how long a vendor's Retry-After may hold a worker."""

    attempts: int = 5
    total_seconds: float = 30.0
    wait_initial: float = 0.2
    wait_max: float = 5.0
    wait_jitter: float = 0.5
    max_retry_after: float = 30.0


def parse_retry_after(value: str | None, *, now: float | None = None) -> float | None:
    """`Retry-After` is either seconds or an HTTP date (RFC 9110 10.2.3)."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - (now if now is not None else time.time()))


def redact(text: str, secrets: Iterable[str]) -> str:
    for secret in secrets:
        if secret and len(secret) >= 4:
            text = text.replace(secret, REDACTED)
    return text


def _body(response: httpx.Response) -> Any:
    try:
        return response.json()
    except ValueError:  # not JSON, or not UTF-8
        return response.text[:2000]


def _raw_body(response: httpx.Response) -> str:
    """The answer as text for Admins: the first RAW_BODY_LIMIT characters, saying so when there was more."""
    text = response.content[: RAW_BODY_LIMIT * 4].decode(response.encoding or "utf-8", "replace")
    if len(text) <= RAW_BODY_LIMIT:
        return text
    return text[:RAW_BODY_LIMIT] + f"\n[... cut: the answer was {len(response.content):,} bytes]"


def error_for(response: httpx.Response, vendor: str, secrets: Iterable[str] = ()) -> VendorError:
    """Map an unsuccessful response to the taxonomy, with a message a coordinator can read: what kind of refusal,
    then the vendor's own words (`vendor_words`). The whole answer stays on the error as `raw_body`. A secret the
    vendor echoes back (a key in "invalid key ...") is redacted from both."""
    status = response.status_code
    body = _body(response)
    words = redact(vendor_words(body if response.content else None), secrets)
    said = f": {words}" if words else "."
    known = {"status": status, "body": body, "raw_body": redact(_raw_body(response), secrets)}
    if status in (401, 403):
        return AuthError(f"{vendor} refused the connection's credentials (HTTP {status}){said}", **known)
    if status == 404:
        return NotFound(f"{vendor} has no such record (HTTP 404){said}", **known)
    if status == 409:
        return Conflict(f"{vendor} already has this record (HTTP 409){said}", **known)
    if status in (400, 422):
        return ValidationFailed(
            f"{vendor} refused the data{said if words else f' (HTTP {status}).'}",
            field_errors=field_errors(body),
            **known,
        )
    if status == 429:
        retry_after = parse_retry_after(response.headers.get("Retry-After"))
        return RateLimited(f"{vendor} is rate limiting us; try again later{said}", retry_after=retry_after, **known)
    if status >= 500:
        return Unavailable(f"{vendor} is unavailable (HTTP {status}){said}", **known)
    return VendorError(f"{vendor} answered HTTP {status}{said}", **known)


@dataclass
class VendorClient:
    """One vendor account's HTTP session. `auth` is an `httpx.Auth` (or a request hook) set by the provider."""

    vendor: str
    base_url: str
    auth: httpx.Auth | Callable[[httpx.Request], None] | None = None
    secrets: tuple[str, ...] = ()
    timeout: httpx.Timeout = field(default_factory=lambda: httpx.Timeout(20.0, connect=5.0))
    retry: RetryPolicy = field(default_factory=RetryPolicy)
    headers: dict[str, str] = field(default_factory=dict)
    deadline: float = DEFAULT_DEADLINE_SECONDS  # seconds for one call, retries included (the connection's)

    def __post_init__(self) -> None:
        hooks = {}
        auth = self.auth
        if callable(auth) and not isinstance(auth, httpx.Auth):
            hooks = {"request": [auth]}
            auth = None
        self.http = httpx.Client(
            base_url=self.base_url.rstrip("/") + "/",
            auth=auth,
            timeout=self.timeout,
            headers={"Accept": "application/json", "User-Agent": "staffing-portal", **self.headers},
            event_hooks=hooks,
            transport=DeadlineTransport(),
        )

    def close(self) -> None:
        self.http.close()

    def request(
        self,
        method: str,
        path: str,
        *,
        json: Any = None,
        params: dict[str, Any] | None = None,
        retry_post: bool = False,
    ) -> Any:
        """Send, retrying what is safe to retry; return the decoded JSON body or raise a `VendorError`.

        `retry_post=True` only where the vendor recognises a repeated POST (idempotency or natural key). A
        `Retry-After` longer than the policy's `max_retry_after` is not waited for here: the `RateLimited` error
        carries it to the caller (the outbox keeps the wait on its row).
        """
        method = method.upper()
        retryable = method in IDEMPOTENT_METHODS or retry_post
        policy = self.retry
        attempts = policy.attempts if retryable else 1

        def backoff(exc: Exception) -> bool | float:
            if isinstance(exc, DeadlineExceeded):
                return False
            if isinstance(exc, RateLimited) and exc.retry_after is not None:
                fits = exc.retry_after <= min(policy.max_retry_after, time_left() or 0.0)
                return exc.retry_after if fits else False
            return isinstance(exc, VendorError) and exc.transient

        with deadline(self.deadline):
            for attempt in stamina.retry_context(
                on=backoff,
                attempts=attempts,
                timeout=max(0.0, min(policy.total_seconds, time_left() or 0.0)),
                wait_initial=policy.wait_initial,
                wait_max=policy.wait_max,
                wait_jitter=policy.wait_jitter,
            ):
                with attempt:
                    return self._send_once(method, path, json=json, params=params, attempt=attempt.num)
        raise AssertionError("unreachable: stamina re-raises the last error")  # pragma: no cover

    def _send_once(self, method: str, path: str, *, json: Any, params: Any, attempt: int) -> Any:
        started = time.monotonic()
        status: int | str = "-"
        try:
            response = self.http.request(method, path.lstrip("/"), json=json, params=params)
            status = response.status_code
        except httpx.TransportError as exc:
            status = type(exc).__name__
            left = time_left()
            if left is not None and left <= _DEADLINE_SLACK:
                raise DeadlineExceeded(
                    f"{self.vendor} stopped sending: no complete answer before the deadline "
                    f"(at most {self.deadline:g} s a call on this connection)."
                ) from exc
            raise Unavailable(f"{self.vendor} could not be reached ({type(exc).__name__}).") from exc
        finally:
            logger.info(
                "%s %s %s %s status=%s duration_ms=%.0f attempt=%s",
                self.vendor,
                method,
                redact(path, self.secrets),
                redact(str(params or ""), self.secrets),
                status,
                (time.monotonic() - started) * 1000,
                attempt,
            )
        if response.is_success:
            return _body(response) if response.content else None
        raise error_for(response, self.vendor, self.secrets)

    def get(self, path: str, **params: Any) -> Any:
        return self.request("GET", path, params=params or None)
