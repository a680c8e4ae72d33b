"""The IntelyCare sandbox over real HTTP and a connection to it, for the integration and IntelyCare tests."""

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
