"""Pulling CareerBuilder statuses into `talent.CandidateStatus`: linked by email, bulk per page, an unchanged
second sync writes nothing, incremental pulls ask only for what is newer, unreadable records are counted."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import CommandError, call_command
from django.db import connection as db_connection
from django.test.utils import CaptureQueriesContext

from portal.integrations.sync import run_sync
from portal.talent.models import CandidateStatus
from tests.talent.factories import TalentProfileFactory
from vendors.careerbuilder.mapping import status_external_id
from vendors.careerbuilder.resources import EMAILS_PER_SEARCH
from vendors.careerbuilder.schemas import candidate_status_key

pytestmark = pytest.mark.django_db

AT = dt.datetime(2026, 11, 2, 15, 30, tzinfo=dt.UTC)
WRITES = ("INSERT", "UPDATE", "DELETE", "COPY")


def status(email: str, requisition: str | None, status: str = "Reviewed", at: dt.datetime = AT) -> dict:
    record = {
        "account": "AAAA_1234",
        "candidate_email": email,
        "vendor_key": "ats",
        "client": "MyCandidates",
        "status": status,
        "status_date": at.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "status_level": "application" if requisition else "candidate",
    }
    if requisition:
        record |= {"requisition_id": requisition, "requisition_title": "ICU Registered Nurse"}
    return record


@pytest.fixture
def people(db):
    """Profiles the portal knows, more than one POST's worth of emails; each has two statuses at CareerBuilder."""
    return TalentProfileFactory.create_batch(EMAILS_PER_SEARCH + 20)


@pytest.fixture
def seeded(vendor, people):
    for n, person in enumerate(people):
        # CareerBuilder answers the address as its source system wrote it; the portal matches without case.
        vendor.world.put(status(person.email.upper() if n % 2 else person.email, None, at=AT + dt.timedelta(minutes=n)))
        vendor.world.put(status(person.email, f"70{n % 4}", "First Interview", at=AT + dt.timedelta(minutes=n)))
    vendor.world.put(status("stranger@example.org", "7000"))  # a person the portal does not know is not asked about
    return vendor


def writes(queries) -> list[str]:
    return [q["sql"] for q in queries if q["sql"].lstrip().upper().startswith(WRITES)]


def test_a_full_sync_fills_candidate_statuses_linked_to_people(careerbuilder, seeded, people, cb_sandbox):
    run = run_sync(careerbuilder, "candidate_statuses")
    assert (run.state, run.error, run.pages, run.created, run.failed) == ("succeeded", "", 2, 240, 0)
    assert [r[3] for r in cb_sandbox.requests if r[1] == "POST"] == [200, 200], "one POST per hundred emails"

    first = people[1]
    statuses = CandidateStatus.objects.filter(profile=first).order_by("status_level")
    assert [(s.status_level, s.requisition_id, s.status) for s in statuses] == [
        ("application", "701", "First Interview"),
        ("candidate", "", "Reviewed"),
    ]
    candidate = statuses[1]
    assert candidate.candidate_email == first.email, "stored normalised, as sent upper-case"
    assert candidate.external_id == status_external_id(
        candidate_status_key("AAAA_1234", first.email, "ats", "", "candidate")
    )
    assert candidate.connection == careerbuilder and candidate.vendor_data["candidate_email"] == first.email.upper()
    assert candidate.status_date == AT + dt.timedelta(minutes=1) == candidate.vendor_updated_at
    assert not CandidateStatus.objects.filter(candidate_email="stranger@example.org").exists()
    assert run.watermark == AT + dt.timedelta(minutes=len(people) - 1)


def test_a_second_unchanged_sync_writes_no_status(careerbuilder, seeded, django_assert_max_num_queries):
    run_sync(careerbuilder, "candidate_statuses")
    # 240 statuses in two pages: a few queries per page (emails, existing keys, progress, the look for an Admin's
    # cancel), none per status.
    with CaptureQueriesContext(db_connection) as captured, django_assert_max_num_queries(22):
        again = run_sync(careerbuilder, "candidate_statuses", full=True)
    assert (again.created, again.updated, again.unchanged, again.archived) == (0, 0, 240, 0)
    status_writes = [q for q in writes(captured.captured_queries) if "talent_candidatestatus" in q or "core_audit" in q]
    assert status_writes == []


def test_an_incremental_sync_asks_from_the_watermark_and_updates_only_what_moved(careerbuilder, seeded, people):
    first = run_sync(careerbuilder, "candidate_statuses")
    person = people[3]
    moved_at = first.watermark + dt.timedelta(hours=2)
    seeded.world.put(status(person.email, "703", "Offer", at=moved_at))

    incremental = run_sync(careerbuilder, "candidate_statuses")
    assert not incremental.full
    assert (incremental.created, incremental.updated, incremental.failed) == (0, 1, 0)
    # Asked from a second before the watermark (ties), so the newest old status came back unchanged.
    assert incremental.unchanged == 2
    offer = CandidateStatus.objects.get(profile=person, status_level="application")
    assert (offer.status, offer.status_date) == ("Offer", moved_at)
    assert incremental.watermark == moved_at


def test_a_status_the_table_cannot_hold_is_counted_failed_and_the_rest_is_kept(careerbuilder, vendor, people):
    person = people[0]
    vendor.world.put(status(person.email, "7001"))
    broken = status(person.email, "7002")
    vendor.world.put(broken)
    key = next(k for k in vendor.world.statuses if k.requisition_id == "7002")
    vendor.world.statuses[key] = {**broken, "status_date": "last Tuesday"}

    run = run_sync(careerbuilder, "candidate_statuses")
    assert (run.state, run.created, run.failed) == ("succeeded", 1, 1)
    assert CandidateStatus.objects.get().requisition_id == "7001"


def test_a_rate_limited_page_is_waited_out_and_the_run_succeeds(careerbuilder, seeded, cb_sandbox):
    cb_sandbox.add_fault("429", count=1, vendor="careerbuilder", path="/corporate/CandidateStatus")
    run = run_sync(careerbuilder, "candidate_statuses")
    assert (run.state, run.created) == ("succeeded", 240)
    assert [r[3] for r in cb_sandbox.requests if r[1] == "POST"] == [429, 200, 200], "the search is a read: retried"


def test_the_sync_command_runs_it_and_a_refused_token_fails_it_in_plain_words(careerbuilder, seeded):
    out = io.StringIO()
    call_command("sync", "careerbuilder", stdout=out)
    assert CandidateStatus.objects.count() == 240
    careerbuilder.credentials = {**careerbuilder.credentials, "access_token": "revoked"}
    careerbuilder.save()
    with pytest.raises(CommandError, match=r"refused the connection's credentials \(HTTP 401\)"):
        call_command("sync", "careerbuilder", stdout=io.StringIO())


def test_a_status_recorded_with_no_connection_is_left_alone_beside_the_synced_line(careerbuilder, seeded, people):
    """A line the portal holds with no connection (the demo's) is not taken over by a sync of the same key: the
    connection gets its own line, unique per connection (issue 14)."""
    person = people[0]
    local = CandidateStatus.objects.create(
        account="AAAA_1234",
        candidate_email=person.email,
        vendor_key="ats",
        requisition_id="700",
        status_level="application",
        status="Applied",
        status_date=AT - dt.timedelta(days=1),
    )

    run = run_sync(careerbuilder, "candidate_statuses")

    assert (run.state, run.error, run.failed) == ("succeeded", "", 0)
    local.refresh_from_db()
    assert (local.connection, local.external_id, local.status) == (None, "", "Applied")
    synced = CandidateStatus.objects.get(connection=careerbuilder, candidate_email=person.email, requisition_id="700")
    assert synced.status == "First Interview"
    assert synced.external_id == status_external_id(
        candidate_status_key("AAAA_1234", person.email, "ats", "700", "application")
    )
