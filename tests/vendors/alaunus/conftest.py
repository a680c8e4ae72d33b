"""The Alaunus sandbox over real HTTP, a registered Alaunus connection to it, and a sync of every resource."""

from __future__ import annotations

import pytest

from portal.integrations.models import SyncRun, VendorConnection
from portal.integrations.registry import get_provider
from portal.integrations.sync import run_sync
from tests.support.processes import free_port
from vendors.alaunus.client import AlaunusClient
from vendors.alaunus.resources import RESOURCES
from vendors.alaunus.sandbox import AlaunusSandbox
from vendors.base.sandbox import SandboxServer

API_KEY = "sandbox-alaunus-key"
SEED = 6  # 6 patients and caregivers: 24 visits, 18 punchcards, 6 invoices, 1 payroll with 6 entries


@pytest.fixture
def alaunus_server():
    server = SandboxServer([AlaunusSandbox(api_key=API_KEY, seed=SEED)], port=free_port(), retry_after=1).start()
    yield server
    server.stop()


@pytest.fixture
def vendor(alaunus_server) -> AlaunusSandbox:
    return alaunus_server.vendors["alaunus"]


@pytest.fixture
def alaunus(db, settings, alaunus_server) -> VendorConnection:
    settings.VENDOR_PROVIDERS = [*settings.VENDOR_PROVIDERS, "vendors.alaunus"]
    return VendorConnection.objects.create(
        vendor="alaunus",
        name="Alaunus sandbox",
        base_url=alaunus_server.vendor_url("alaunus"),
        credentials={"api_key": API_KEY},
    )


@pytest.fixture
def api(alaunus) -> AlaunusClient:
    return AlaunusClient(get_provider("alaunus").client(alaunus))


def sync_everything(connection: VendorConnection, *, full: bool = False) -> dict[str, SyncRun]:
    """Every resource in the provider's dependency order; each run must succeed."""
    runs = {name: run_sync(connection, name, full=full) for name in RESOURCES}
    failed = {name: run.error for name, run in runs.items() if run.state != SyncRun.State.SUCCEEDED}
    assert not failed, failed
    return runs
