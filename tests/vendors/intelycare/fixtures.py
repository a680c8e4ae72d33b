"""The IntelyCare sandbox over real HTTP, a connection to it, and signed shift events posted to its webhook URL,
for the IntelyCare tests and the integration tests still built on IntelyCare."""

from __future__ import annotations

import hashlib
import hmac
import json

import pytest

from portal.integrations.models import VendorConnection
from tests.support.processes import free_port
from vendors.base.sandbox import SandboxServer
from vendors.intelycare.sandbox import IntelyCareSandbox

WEBHOOK_SECRET = "whsec-portal-tests"


@pytest.fixture
def sandbox():
    """A fresh sandbox per test on a free port; `sandbox.stop()`/`start()` take the vendor down and back."""
    server = SandboxServer([IntelyCareSandbox(seed=5)], port=free_port(), retry_after=1, slow_seconds=3.0).start()
    yield server
    server.stop()


@pytest.fixture
def intelycare(db, sandbox) -> VendorConnection:
    return VendorConnection.objects.create(
        vendor="intelycare",
        name="IntelyCare sandbox",
        base_url=sandbox.vendor_url("intelycare"),
        credentials={"api_key": "sandbox-key", "client_id": "1234", "webhook_secret": WEBHOOK_SECRET},
    )


def signed(payload: dict, secret: str = WEBHOOK_SECRET) -> tuple[bytes, dict[str, str]]:
    body = json.dumps(payload).encode()
    return body, {"HTTP_X_SIGNATURE_IC": hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()}


FLORENCE = {
    "id": "456789",
    "externalId": "111124",
    "lastName": "Nightengale",
    "firstName": "Florence",
    "healthcareProfessionalType": "LPN",
    "phoneNumber": "(800) 900-1234",
    "email": "Florence.Nightengale@gmail.com",
    "profilePicture": "XfPy2KmGiZTQySSS3OHCWw==",
}


def event(shift, status, at, **extra):
    payload = {
        "clientId": 1234,
        "externalShiftId": shift.external_shift_id,
        "shiftStatus": status,
        "statusTimestamp": at,
        **extra,
    }
    if status == "Accepted":
        payload["healthcareProfessional"] = FLORENCE
    return payload


def post(client, connection, payload=None, *, body=None, headers=None):
    if payload is not None:
        body, headers = signed(payload)
    return client.post(connection.webhook_path, data=body, content_type="application/json", **(headers or {}))


def burst(client, connection, shifts) -> list[int]:
    """Each shift accepted, released and accepted again; delivered newest first.

    Returns the ids in the vendor's order: by its time, ties in the order received."""
    received = []
    for minute, status in reversed(list(enumerate(["Accepted", "Released", "Accepted"]))):
        for shift in shifts:
            response = post(client, connection, event(shift, status, f"2024-01-17T15:{minute:02d}:00"))
            assert response.status_code == 202
            received.append((minute, response.json()["id"]))
    return [pk for _, pk in sorted(received)]
