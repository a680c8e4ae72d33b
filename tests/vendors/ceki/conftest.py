"""The Ceki sandbox over real HTTP on a free port, and a registered Ceki connection to it."""

from __future__ import annotations

import itertools

import httpx
import pytest

from portal.integrations.models import VendorConnection
from portal.integrations.registry import get_provider
from tests.support.processes import free_port
from vendors.base.sandbox import SandboxServer
from vendors.ceki.client import CekiClient
from vendors.ceki.sandbox import DEMO_EMAIL, DEMO_OTP, CekiSandbox
from vendors.ceki.sandbox_agent import DEMO_VERIFY_CODE
from vendors.ceki.schemas import agent_register_body, verify_email_body

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


_emails = itertools.count(1)


def client_of(connection: VendorConnection) -> CekiClient:
    return CekiClient(get_provider("ceki").client(connection))


def fund(connection: VendorConnection, agent_id: int, amount: str) -> None:
    """The sandbox's stand-in for a confirmed crypto deposit."""
    response = httpx.post(f"{connection.base_url}/_sandbox/agents/{agent_id}/deposit", json={"amount": amount})
    assert response.status_code == 200, response.text


def register_agent(ceki: VendorConnection, *, verify: bool = True, deposit: str | None = "20") -> VendorConnection:
    """A new agent over HTTP, its API key stored on the connection (`agent_id` set on it); verified and funded
    unless told otherwise."""
    email = f"agent{next(_emails)}@agents.example"
    ceki.credentials = {"email": email}
    ceki.save()
    registration = client_of(ceki).register_agent(agent_register_body("Portal sourcing", email, currency="USDT"))
    assert registration.api_key and registration.status == "pending_deposit" and registration.deposit_address
    ceki.credentials = {"email": email, "api_key": registration.api_key}
    ceki.save()
    if verify:
        client_of(ceki).verify_agent_email(verify_email_body(email, DEMO_VERIFY_CODE))
    if deposit is not None:
        fund(ceki, registration.agent_id, deposit)
    ceki.agent_id = registration.agent_id
    return ceki


@pytest.fixture
def ceki_agent(ceki) -> VendorConnection:
    """An active, verified agent with 20 in its wallet; `Provider.ready()` again (harmless) in case an earlier
    test replaced the registry, so the receivers and the sourcing channel are surely connected."""
    get_provider("ceki").ready()
    return register_agent(ceki)
