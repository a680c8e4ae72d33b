"""CareerBuilder's auth: a configured bearer token, or an OAuth client-credentials token asked for only on expiry.

The Candidate Status doc names only `flow=client_credentials` (README "Auth"). We follow CareerBuilder's public
OAuth.md: a form-encoded `grant_type=client_credentials` with a JWT client assertion signed HS512 with the client
secret, answered `{"data": {"access_token", "expires_in": "2100"}}`. CareerBuilder locks accounts that ask for a
token on every call, so one token is kept per client and renewed only when it expires or is refused (401).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import threading
import time
import uuid
from collections.abc import Callable, Generator
from typing import Any

import httpx

from portal.integrations.errors import AuthError
from vendors.base.client import error_for
from vendors.careerbuilder.schemas import AccessToken, PayloadInvalid

__all__ = ["ASSERTION_LIFETIME_SECONDS", "CareerBuilderAuth", "read_client_assertion", "sign_client_assertion"]

ASSERTION_LIFETIME_SECONDS = 60  # OAuth.md: the assertion lives 30-60 seconds
# Renew this long before the token's end (at most a tenth of its life), so a call in flight never carries a dead one.
EXPIRY_MARGIN_SECONDS = 30.0
_HEADER = {"alg": "HS512", "typ": "JWT"}


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _b64url_decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def sign_client_assertion(client_id: str, client_secret: str, audience: str, *, now: float | None = None) -> str:
    """A compact JWT (HS512) naming the client, for the token URL `audience`, valid for a minute."""
    issued = int(now if now is not None else time.time())
    claims = {
        "iss": client_id,
        "sub": client_id,
        "aud": audience,
        "iat": issued,
        "exp": issued + ASSERTION_LIFETIME_SECONDS,
        "jti": uuid.uuid4().hex,
    }
    signing_input = f"{_b64url(json.dumps(_HEADER).encode())}.{_b64url(json.dumps(claims).encode())}"
    signature = hmac.new(client_secret.encode(), signing_input.encode(), hashlib.sha512).digest()
    return f"{signing_input}.{_b64url(signature)}"


def read_client_assertion(token: str, secrets_by_client: dict[str, str], *, now: float | None = None) -> str | None:
    """The client id of a valid, unexpired assertion signed with that client's secret, else None (the sandbox)."""
    try:
        header, claims_part, signature = token.split(".")
        claims = json.loads(_b64url_decode(claims_part))
        secret = secrets_by_client.get(str(claims.get("iss")), "")
        expected = hmac.new(secret.encode(), f"{header}.{claims_part}".encode(), hashlib.sha512).digest()
        valid = bool(secret) and hmac.compare_digest(expected, _b64url_decode(signature))
    except (ValueError, TypeError, AttributeError):
        return None
    if not valid or float(claims.get("exp", 0)) < (now if now is not None else time.time()):
        return None
    return str(claims["iss"])


class CareerBuilderAuth(httpx.Auth):
    """`Authorization: Bearer ...` on every call, from `access_token` or from the client-credentials `token_url`."""

    requires_response_body = True  # the token answer is read inside the flow

    def __init__(
        self,
        *,
        access_token: str = "",
        token_url: str = "",
        client_id: str = "",
        client_secret: str = "",
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.static_token = access_token
        self.token_url, self.client_id, self.client_secret = token_url, client_id, client_secret
        self.clock = clock
        self.tokens_requested = 0
        self._token = ""
        self._expires_at = 0.0
        self._lock = threading.Lock()

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        if not self.static_token and not (self.token_url and self.client_id and self.client_secret):
            # Raised on the first call, not when the client is built, so the outbox parks the row with this.
            raise AuthError("CareerBuilder needs an access token, or a token URL with a client id and secret.")
        if self.static_token:
            request.headers["Authorization"] = f"Bearer {self.static_token}"
            yield request
            return
        with self._lock:
            token = self._token if self.clock() < self._expires_at else ""
        if not token:
            token = self._store((yield self._token_request()))
        request.headers["Authorization"] = f"Bearer {token}"
        response = yield request
        if response.status_code == 401:
            # Revoked or expired early on CareerBuilder's side: one new token, one more try.
            request.headers["Authorization"] = f"Bearer {self._store((yield self._token_request()))}"
            yield request

    def _token_request(self) -> httpx.Request:
        self.tokens_requested += 1
        form: dict[str, Any] = {
            "grant_type": "client_credentials",
            "client_id": self.client_id,
            "client_assertion_type": "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
            "client_assertion": sign_client_assertion(self.client_id, self.client_secret, self.token_url),
        }
        return httpx.Request("POST", self.token_url, data=form, headers={"Accept": "application/json"})

    def _store(self, response: httpx.Response) -> str:
        if not response.is_success:
            raise error_for(response, "CareerBuilder's token service")
        try:
            token = AccessToken.from_payload(response.json())
        except (ValueError, PayloadInvalid) as exc:
            raise AuthError(f"CareerBuilder's token service answered without a token ({exc}).") from None
        # No lifetime given: keep it for a minute rather than forever, so a short-lived token is not reused dead.
        lifetime = token.expires_in.total_seconds() if token.expires_in is not None else 60.0
        with self._lock:
            self._token = token.access_token
            self._expires_at = self.clock() + lifetime - min(EXPIRY_MARGIN_SECONDS, lifetime / 10)
        return token.access_token
