"""The CareerBuilder sandbox over real HTTP, connections to it (fixed bearer token and OAuth), and the push hook."""

from __future__ import annotations

import pytest

from portal.integrations.models import VendorConnection
from portal.integrations.registry import get_provider
from tests.support.processes import free_port
from vendors.base.sandbox import SandboxServer
from vendors.careerbuilder.sandbox import CareerBuilderSandbox

ACCOUNT = "AAAA_1234"


@pytest.fixture
def registered(settings):
    """Registered in settings; the fixture keeps the tests' dependency on that explicit."""
    assert "vendors.careerbuilder" in settings.VENDOR_PROVIDERS


@pytest.fixture
def cb_sandbox():
    """A fresh, empty CareerBuilder per test on a free port (tests seed what they need)."""
    server = SandboxServer([CareerBuilderSandbox(seed=0)], port=free_port(), retry_after=1).start()
    yield server
    server.stop()


@pytest.fixture
def vendor(cb_sandbox) -> CareerBuilderSandbox:
    return cb_sandbox.vendors["careerbuilder"]


@pytest.fixture
def careerbuilder(db, registered, cb_sandbox) -> VendorConnection:
    return VendorConnection.objects.create(
        vendor="careerbuilder",
        name="CareerBuilder sandbox",
        base_url=cb_sandbox.vendor_url("careerbuilder"),
        credentials={"account": ACCOUNT, "access_token": "sandbox-token"},
    )


@pytest.fixture
def careerbuilder_oauth(db, registered, cb_sandbox) -> VendorConnection:
    return VendorConnection.objects.create(
        vendor="careerbuilder",
        name="CareerBuilder sandbox (OAuth)",
        base_url=cb_sandbox.vendor_url("careerbuilder"),
        credentials={"account": ACCOUNT, "client_id": "sandbox-client", "client_secret": "sandbox-secret"},
    )


@pytest.fixture
def pushing(registered):
    """`Provider.ready()`, as the core calls it at start-up (calling it again changes nothing)."""
    get_provider("careerbuilder").ready()
    yield
