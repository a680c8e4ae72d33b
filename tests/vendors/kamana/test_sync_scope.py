"""Issue 14: two Kamana connections (two sandboxes seeded alike, so every Kamana id occurs on both) sync side by
side. Each connection's rows link only to rows of the same connection, a change at one tenant reaches only its
rows, and records the portal holds with no connection (even under the same Kamana id or code) are never touched."""

from __future__ import annotations

import pytest

from portal.integrations.models import VendorConnection
from portal.integrations.sync import run_sync
from portal.jobs.models import Client, ClientContact, Facility, JobRequisition, Profession, Province, Specialty
from tests.jobs.factories import FacilityFactory, JobRequisitionFactory
from tests.support.processes import free_port
from vendors.base.sandbox import SandboxServer
from vendors.kamana.sandbox import SANDBOX_TOKEN, KamanaSandbox

pytestmark = pytest.mark.django_db

ORDER = ["professions", "specialties", "clients", "client_contacts", "facilities", "job_requisitions"]
MODELS = {
    Profession: 4,
    Specialty: 6,
    Client: 3,
    ClientContact: 6,
    Facility: 6,
    Province: 4,
    JobRequisition: 30,
}


@pytest.fixture
def other_server():
    server = SandboxServer([KamanaSandbox(seed=30, page_size=10)], port=free_port(), retry_after=1).start()
    yield server
    server.stop()


@pytest.fixture
def other_vendor(other_server) -> KamanaSandbox:
    return other_server.vendors["kamana"]


@pytest.fixture
def other(kamana, other_server, other_vendor) -> VendorConnection:
    return VendorConnection.objects.create(
        vendor="kamana",
        name="Kamana second agency",
        base_url=other_server.vendor_url("kamana"),
        credentials={
            "token": SANDBOX_TOKEN,
            "account_id": other_vendor.world.account_id,
            "user_id": next(iter(other_vendor.world.users)),
        },
    )


def sync_all(connection: VendorConnection) -> None:
    runs = {name: run_sync(connection, name, full=True) for name in ORDER}
    assert {name: (run.state, run.error, run.failed) for name, run in runs.items()} == dict.fromkeys(
        ORDER, ("succeeded", "", 0)
    )


@pytest.fixture
def portal_only(vendor):
    """Rows the portal made itself, reusing a Kamana province code and Kamana ids as their external ids."""
    province = next(iter(vendor.world.provinces.values()))
    facility_id = next(iter(vendor.world.facilities))
    requisition_id = vendor.world.requisition_order()[0]
    facility = FacilityFactory(
        external_id=facility_id,
        name="Portal-only facility",
        province__abbreviation=province["abbreviation"],
        province__name="Typed by hand",
    )
    requisition = JobRequisitionFactory(external_id=requisition_id, name="Portal-only job", facility=facility)
    return facility.province, facility, requisition


def test_two_connections_with_the_same_kamana_ids_stay_apart(kamana, vendor, other, other_vendor, portal_only):
    assert set(vendor.world.requisitions) == set(other_vendor.world.requisitions), "same ids on both tenants"
    renamed_id = vendor.world.requisition_order()[0]
    with other_vendor.lock:
        other_vendor.world.requisitions[renamed_id]["name"] = "Renamed at the second agency"
        other_vendor.world.requisitions[renamed_id]["updated_at"] = other_vendor.world.stamp()
        other_vendor.world.touched_requisitions()

    sync_all(kamana)
    sync_all(other)

    for model, count in MODELS.items():
        for connection in (kamana, other):
            assert model.objects.filter(connection=connection).count() == count, (model, connection)
    for connection in (kamana, other):
        mine = JobRequisition.objects.filter(connection=connection)
        assert not mine.exclude(facility__connection=connection).exists()
        assert not mine.exclude(profession__connection=connection).exists()
        assert not mine.exclude(specialty__connection=connection).exists()
        assert not Facility.objects.filter(connection=connection).exclude(province__connection=connection).exists()
        assert not ClientContact.objects.filter(connection=connection).exclude(client__connection=connection).exists()
    names = dict(JobRequisition.objects.filter(external_id=renamed_id).values_list("connection_id", "name"))
    assert names[kamana.pk] == vendor.world.requisitions[renamed_id]["name"]
    assert names[other.pk] == "Renamed at the second agency"

    province, facility, requisition = portal_only
    expected = {province: "Typed by hand", facility: "Portal-only facility", requisition: "Portal-only job"}
    for row, name in expected.items():
        row.refresh_from_db()
        assert (row.connection_id, row.name, row.vendor_data, row.archived_at) == (None, name, {}, None)
    assert requisition.facility_id == facility.pk and facility.province_id == province.pk


def test_a_full_sync_of_one_connection_archives_and_updates_only_its_own_rows(kamana, vendor, other, other_vendor):
    sync_all(kamana)
    sync_all(other)
    gone = vendor.world.requisition_order()[1]
    with other_vendor.lock:
        del other_vendor.world.requisitions[gone]
        other_vendor.world.touched_requisitions()

    second = run_sync(other, "job_requisitions", full=True)
    first = run_sync(kamana, "job_requisitions", full=True)

    assert (second.archived, second.updated, second.created) == (1, 0, 0)
    assert (first.archived, first.updated, first.created, first.unchanged) == (0, 0, 0, 30)
    archived = dict(JobRequisition.objects.filter(external_id=gone).values_list("connection_id", "archived_at"))
    assert archived[kamana.pk] is None and archived[other.pk] is not None
