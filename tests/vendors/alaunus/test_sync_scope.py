"""Issue 14: two Alaunus connections (two sandboxes seeded alike, so every Alaunus id occurs on both) sync side by
side. Each connection's visits, timecards, invoices and payroll entries link only to its own patients, groups,
clients, visits and payrolls; a change or a deletion at one reaches only its rows; records the portal holds with no
connection, under the same Alaunus ids, are never touched. Caregivers are people, matched by email across
connections on purpose: each connection has its own reference to the one profile."""

from __future__ import annotations

import pytest

from portal.billing.models import Invoice, Payroll, PayrollEntry
from portal.integrations.models import VendorConnection
from portal.jobs.models import Client, Patient
from portal.shifts.models import RecurringVisitGroup, Timecard, Visit
from portal.talent.models import Skill, TalentReference
from tests.jobs.factories import PatientFactory
from tests.support.processes import free_port
from tests.vendors.alaunus.conftest import API_KEY, SEED, sync_everything
from vendors.alaunus.sandbox import AlaunusSandbox
from vendors.base.sandbox import SandboxServer

pytestmark = pytest.mark.django_db

MODELS = (Skill, Client, Patient, TalentReference, RecurringVisitGroup, Visit, Timecard, Invoice, Payroll, PayrollEntry)
# Each synced model's links, and the model they point at: the target must be of the same connection.
LINKS = {
    Visit: ("patient", "group"),
    Timecard: ("visit",),
    Invoice: ("patient", "client"),
    PayrollEntry: ("payroll",),
}


@pytest.fixture
def other_server():
    server = SandboxServer([AlaunusSandbox(api_key=API_KEY, seed=SEED)], port=free_port(), retry_after=1).start()
    yield server
    server.stop()


@pytest.fixture
def other_vendor(other_server) -> AlaunusSandbox:
    return other_server.vendors["alaunus"]


@pytest.fixture
def other(alaunus, other_server) -> VendorConnection:
    return VendorConnection.objects.create(
        vendor="alaunus",
        name="Alaunus, second agency",
        base_url=other_server.vendor_url("alaunus"),
        credentials={"api_key": API_KEY},
    )


def test_two_connections_with_the_same_alaunus_ids_stay_apart(alaunus, vendor, other, other_vendor):
    assert set(vendor.data["events"]) == set(other_vendor.data["events"]), "same ids on both sandboxes"
    patient_id, client_id = next(iter(vendor.data["patients"])), next(iter(vendor.data["clients"]))
    local_patient = PatientFactory(external_id=patient_id, first_name="Portal-only", client__external_id=client_id)
    local_client = local_patient.client
    event_id = list(vendor.data["events"])[3]
    other_vendor.edit("events", event_id, notes="Only at the second agency.")

    sync_everything(alaunus)
    sync_everything(other)

    for model in MODELS:
        counts = [model.objects.filter(connection=c).count() for c in (alaunus, other)]
        assert counts[0] == counts[1] > 0, model
    for connection in (alaunus, other):
        for model, fields in LINKS.items():
            for name in fields:
                linked = model.objects.filter(connection=connection, **{f"{name}__isnull": False})
                assert linked.exists(), (model, name)
                assert not linked.exclude(**{f"{name}__connection": connection}).exists(), (model, name)
        visits = Visit.objects.filter(connection=connection, caregiver__isnull=False)
        assert not visits.exclude(caregiver__references__connection=connection).exists()
    notes = dict(Visit.objects.filter(external_id=event_id).values_list("connection_id", "notes"))
    assert notes[other.pk] == "Only at the second agency." and notes[alaunus.pk] != notes[other.pk]
    profiles = [
        set(TalentReference.objects.filter(connection=c).values_list("profile", flat=True)) for c in (alaunus, other)
    ]
    assert profiles[0] == profiles[1], "the same people, each connection with references of its own"

    local_patient.refresh_from_db()
    local_client.refresh_from_db()
    assert (local_patient.connection_id, local_patient.first_name) == (None, "Portal-only")
    assert local_patient.vendor_data == {}
    assert (local_client.connection_id, local_client.vendor_data, local_client.archived_at) == (None, {}, None)
    assert not Visit.objects.filter(patient=local_patient).exists()


def test_a_deletion_at_one_connection_archives_only_its_row(alaunus, vendor, other, other_vendor):
    sync_everything(alaunus)
    sync_everything(other)
    patient_id = list(vendor.data["patients"])[2]
    other_vendor.delete("patients", patient_id)

    sync_everything(other)
    runs = sync_everything(alaunus, full=True)

    archived = dict(Patient.objects.filter(external_id=patient_id).values_list("connection_id", "archived_at"))
    assert archived[alaunus.pk] is None and archived[other.pk] is not None
    assert all((run.created, run.updated, run.archived) == (0, 0, 0) for run in runs.values()), runs
