"""Issue 14: two Ceki connections (two sandboxes seeded alike, so every Ceki id occurs on both) sync side by side.
Participants, events, transactions and bills link only to contracts and participants of their own connection; a
change at one reaches only its rows; rows the portal holds with no connection, under the same Ceki ids, are never
touched or linked; a client that does not know its connection is refused rather than matched to them."""

from __future__ import annotations

import pytest

from portal.billing.models import Bill, Transaction
from portal.contracts.models import Contract, ContractEvent, ContractParticipant
from portal.integrations.models import VendorConnection
from portal.integrations.sync import run_sync
from tests.contracts.factories import ParticipantFactory
from tests.support.processes import free_port
from tests.vendors.ceki.conftest import SEEDED_CONTRACTS
from vendors.base.sandbox import SandboxServer
from vendors.ceki.provider import Provider
from vendors.ceki.sandbox import DEMO_EMAIL, DEMO_OTP, CekiSandbox

pytestmark = pytest.mark.django_db

RESOURCES = list(Provider.resources)
LINKS = {
    ContractParticipant: ("contract",),
    ContractEvent: ("contract", "beneficiary"),
    Transaction: ("contract", "beneficiary"),
    Bill: ("contract",),
}


@pytest.fixture
def other_server():
    server = SandboxServer([CekiSandbox(seed=SEEDED_CONTRACTS)], port=free_port(), retry_after=1).start()
    yield server
    server.stop()


@pytest.fixture
def other_vendor(other_server) -> CekiSandbox:
    return other_server.vendors["ceki"]


@pytest.fixture
def other(ceki, other_server) -> VendorConnection:
    return VendorConnection.objects.create(
        vendor="ceki",
        name="Ceki, second agency",
        base_url=other_server.vendor_url("ceki"),
        credentials={"email": DEMO_EMAIL, "otp": DEMO_OTP},
    )


def sync_all(connection: VendorConnection, **kwargs) -> dict:
    runs = {name: run_sync(connection, name, **kwargs) for name in RESOURCES}
    assert {name: (run.state, run.error, run.failed) for name, run in runs.items()} == dict.fromkeys(
        RESOURCES, ("succeeded", "", 0)
    )
    return runs


def test_two_connections_with_the_same_ceki_ids_stay_apart(ceki, ceki_vendor, other, other_vendor):
    assert set(ceki_vendor.transactions) == set(other_vendor.transactions), "same ids on both sandboxes"
    contract_id, hand_id = next(iter(ceki_vendor.contracts)), next(iter(ceki_vendor.hands))
    local = ParticipantFactory(external_id=str(hand_id), contract__external_id=str(contract_id), role="local")
    with other_vendor.lock:
        other_vendor.contracts[contract_id]["label"] = "Renamed at the second agency"
        other_vendor.contracts[contract_id]["updated_at"] = "2030-01-01T00:00:00Z"

    sync_all(ceki)
    sync_all(other)

    for model, fields in LINKS.items():
        counts = [model.objects.filter(connection=c).count() for c in (ceki, other)]
        assert counts[0] == counts[1] > 0, model
        for connection in (ceki, other):
            for name in fields:
                linked = model.objects.filter(connection=connection, **{f"{name}__isnull": False})
                assert linked.exists(), (model, name)
                assert not linked.exclude(**{f"{name}__connection": connection}).exists(), (model, name)
    labels = dict(Contract.objects.filter(external_id=str(contract_id)).values_list("connection_id", "label"))
    assert labels[other.pk] == "Renamed at the second agency" and labels[ceki.pk] != labels[other.pk]

    local.refresh_from_db()
    local.contract.refresh_from_db()
    assert (local.connection_id, local.role, local.vendor_data) == (None, "local", {})
    assert (local.contract.connection_id, local.contract.vendor_data) == (None, {})
    assert not Transaction.objects.filter(beneficiary=local).exists()
    assert not ContractEvent.objects.filter(contract=local.contract).exists()

    again = sync_all(ceki, full=True)
    assert all((run.created, run.updated, run.archived) == (0, 0, 0) for run in again.values()), again
