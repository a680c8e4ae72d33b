"""A neutral vendor that exists only in tests, so the generic inbox is tested without any real vendor's rules.

`registered` adds it to `VENDOR_PROVIDERS` for one test; `fake_connection` is a connection to it; `event`, `post`
make and deliver its signed events (`{"id", "type", "at", "subject"}`, HMAC-SHA256 of the body in `X-Signature`).
Its handler changes no domain row: it answers "recorded", so a test sees only what the inbox itself does. An event
of type `REFUSED` is half applied (its own row marked `HALF_APPLIED`) and then refused, as a handler that fails
midway is; the inbox must roll the half back. `burst` delivers events out of order.
"""

from __future__ import annotations

import hashlib
import hmac
import json

import pytest

from portal.integrations.models import VendorConnection

NAME = "fake"
WEBHOOK_SECRET = "whsec-fake-vendor"
REFUSED = "refused"
HALF_APPLIED = "half applied"


@pytest.fixture
def fake_connection(db, settings) -> VendorConnection:
    settings.VENDOR_PROVIDERS = [*settings.VENDOR_PROVIDERS, "tests.support.fake_vendor"]
    return VendorConnection.objects.create(
        vendor=NAME, name="Fake vendor", base_url="http://127.0.0.1:9/", credentials={"webhook_secret": WEBHOOK_SECRET}
    )


def event(subject: str, event_type: str, at: str, event_id: str = "") -> dict:
    """One event about `subject`; without an id the inbox dedupes on the body's hash, as for IntelyCare."""
    return {"id": event_id, "type": event_type, "at": at, "subject": subject}


def signature(body: bytes, secret: str = WEBHOOK_SECRET) -> dict[str, str]:
    """The header that signs these exact bytes, as Django's test client takes it."""
    return {"HTTP_X_SIGNATURE": hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()}


def signed(payload: dict, secret: str = WEBHOOK_SECRET) -> tuple[bytes, dict[str, str]]:
    body = json.dumps(payload).encode()
    return body, signature(body, secret)


def post(client, connection, payload: dict):
    body, headers = signed(payload)
    return client.post(connection.webhook_path, data=body, content_type="application/json", **headers)


def burst(client, connection, subjects: list[str]) -> list[int]:
    """Each subject created, changed and changed again; delivered newest first.

    Returns the stored ids in the vendor's order: by its time, ties in the order received."""
    received = []
    for minute, event_type in reversed(list(enumerate(["created", "changed", "changed"]))):
        for subject in subjects:
            response = post(client, connection, event(subject, event_type, f"2024-01-17T15:{minute:02d}:00Z"))
            assert response.status_code == 202
            received.append((minute, response.json()["id"]))
    return [pk for _, pk in sorted(received)]
