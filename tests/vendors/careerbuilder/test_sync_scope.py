"""Issue 14: two CareerBuilder connections to the same account DID (two sandboxes, so every status line has the
same key, and so the same external id, on both) sync side by side. Each connection keeps its own lines, a change
at one reaches only its lines, and a line the portal holds with no connection is never touched. The person a line
belongs to is shared: people are matched across vendors by email on purpose."""

from __future__ import annotations

import datetime as dt

import pytest

from portal.integrations.models import VendorConnection
from portal.integrations.sync import run_sync
from portal.talent.models import CandidateStatus
from tests.support.processes import free_port
from tests.talent.factories import TalentProfileFactory
from tests.vendors.careerbuilder.conftest import ACCOUNT
from vendors.base.sandbox import SandboxServer
from vendors.careerbuilder.mapping import candidate_status_record
from vendors.careerbuilder.sandbox import CareerBuilderSandbox

pytestmark = pytest.mark.django_db

AT = dt.datetime(2026, 11, 2, 15, 30, tzinfo=dt.UTC)


def line(email: str, status: str, requisition: str = "7001", at: dt.datetime = AT) -> dict:
    return {
        "account": ACCOUNT,
        "candidate_email": email,
        "vendor_key": "ats",
        "client": "MyCandidates",
        "status": status,
        "status_date": at.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "status_level": "application",
        "requisition_id": requisition,
        "requisition_title": "ICU Registered Nurse",
    }


@pytest.fixture
def other_sandbox():
    server = SandboxServer([CareerBuilderSandbox(seed=0)], port=free_port(), retry_after=1).start()
    yield server
    server.stop()


@pytest.fixture
def other(careerbuilder, other_sandbox) -> VendorConnection:
    return VendorConnection.objects.create(
        vendor="careerbuilder",
        name="CareerBuilder, second agency",
        base_url=other_sandbox.vendor_url("careerbuilder"),
        credentials={"account": ACCOUNT, "access_token": "sandbox-token"},
    )


def test_two_connections_with_the_same_status_keys_stay_apart(careerbuilder, vendor, other, other_sandbox):
    people = TalentProfileFactory.create_batch(3)
    second = other_sandbox.vendors["careerbuilder"]
    for person in people:
        vendor.world.put(line(person.email, "Reviewed"))
        second.world.put(line(person.email, "Offer", at=AT + dt.timedelta(hours=1)))
    local = CandidateStatus.objects.create(
        account=ACCOUNT,
        candidate_email=people[0].email,
        vendor_key="ats",
        requisition_id="7001",
        status_level="application",
        status="Applied in the portal",
        status_date=AT - dt.timedelta(days=1),
    )

    first_run = run_sync(careerbuilder, "candidate_statuses")
    second_run = run_sync(other, "candidate_statuses")

    for run in (first_run, second_run):
        assert (run.state, run.error, run.failed, run.created) == ("succeeded", "", 0, 3)
    statuses = {
        connection: set(CandidateStatus.objects.filter(connection=connection).values_list("status", flat=True))
        for connection in (careerbuilder, other)
    }
    assert statuses == {careerbuilder: {"Reviewed"}, other: {"Offer"}}
    same_key = CandidateStatus.objects.filter(candidate_email=people[0].email, requisition_id="7001")
    assert len({row.external_id for row in same_key.exclude(connection=None)}) == 1, "the same vendor id on both"
    synced = same_key.exclude(connection=None)
    assert {row.profile_id for row in synced} == {people[0].pk}, "the person is shared, the line is not"
    local.refresh_from_db()
    assert (local.connection_id, local.external_id, local.status) == (None, "", "Applied in the portal")

    with second.lock:
        second.world.put(line(people[1].email, "Hired", at=AT + dt.timedelta(hours=2)))
    again = run_sync(other, "candidate_statuses", full=True)
    unchanged = run_sync(careerbuilder, "candidate_statuses", full=True)
    assert (again.updated, again.created) == (1, 0)
    assert (unchanged.updated, unchanged.created, unchanged.archived, unchanged.unchanged) == (0, 0, 0, 3)
    hired = CandidateStatus.objects.get(connection=other, candidate_email=people[1].email)
    kept = CandidateStatus.objects.get(connection=careerbuilder, candidate_email=people[1].email)
    assert (hired.status, kept.status) == ("Hired", "Reviewed")


def test_a_line_of_another_account_is_refused_not_stored_under_this_connection():
    """The sandbox, like CareerBuilder, answers only the account asked about; should a line of another account
    come back anyway, it is counted as failed rather than kept under this connection."""
    entry = {"status": {**line("maria@example.org", "Offer"), "account": "BBBB_9999"}, "account": ACCOUNT}
    with pytest.raises(ValueError, match="a status of account BBBB_9999, not this connection's AAAA_1234"):
        candidate_status_record(entry)
    assert candidate_status_record({**entry, "account": "bbbb_9999"}).fields["account"] == "BBBB_9999"
