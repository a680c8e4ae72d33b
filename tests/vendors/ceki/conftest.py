"""The Ceki sandbox over real HTTP on a free port, and a registered Ceki connection to it."""

from __future__ import annotations

import pytest

from portal.integrations.models import VendorConnection
from tests.support.processes import free_port
from vendors.base.sandbox import SandboxServer
from vendors.ceki.sandbox import DEMO_EMAIL, DEMO_OTP, CekiSandbox

SEEDED_CONTRACTS = 3


@pytest.fixture
def ceki_server():
    server = SandboxServer([CekiSandbox(seed=SEEDED_CONTRACTS)], port=free_port(), retry_after=1).start()
    yield server
    server.stop()


@pytest.fixture
def ceki_vendor(ceki_server) -> CekiSandbox:
    return ceki_server.vendors["ceki"]


@pytest.fixture
def ceki(db, settings, ceki_server) -> VendorConnection:
    """Registered as the lead will register it; no token yet, so the first call logs in with the demo OTP."""
    if "vendors.ceki" not in settings.VENDOR_PROVIDERS:
        settings.VENDOR_PROVIDERS = [*settings.VENDOR_PROVIDERS, "vendors.ceki"]
    return VendorConnection.objects.create(
        vendor="ceki",
        name="Ceki sandbox",
        base_url=ceki_server.vendor_url("ceki"),
        credentials={"email": DEMO_EMAIL, "otp": DEMO_OTP},
    )
