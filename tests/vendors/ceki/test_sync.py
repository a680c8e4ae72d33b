"""Ceki synced into contracts and billing: every resource lands, a second unchanged sync writes nothing, the
events list is read incrementally, and what Ceki no longer lists is archived on a full run."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.db import connection as db_connection
from django.test.utils import CaptureQueriesContext

from portal.billing.models import Bill, Transaction
from portal.contracts.models import Contract, ContractEvent, ContractParticipant
from portal.integrations.sync import run_sync
from vendors.ceki.provider import Provider

pytestmark = pytest.mark.django_db

RESOURCES = list(Provider.resources)
WRITES = ("INSERT", "UPDATE", "DELETE", "COPY")
DOMAIN_TABLES = ("contracts_", "billing_", "core_audit")


def sync_all(connection, **kwargs):
    return {name: run_sync(connection, name, **kwargs) for name in RESOURCES}


def domain_writes(queries) -> list[str]:
    return [
        q["sql"]
        for q in queries
        if q["sql"].lstrip().upper().startswith(WRITES) and any(table in q["sql"] for table in DOMAIN_TABLES)
    ]


def test_a_full_sync_mirrors_every_resource_and_links_them(ceki, ceki_vendor):
    runs = sync_all(ceki)

    assert {name: run.state for name, run in runs.items()} == dict.fromkeys(RESOURCES, "succeeded")
    assert {name: run.failed for name, run in runs.items()} == dict.fromkeys(RESOURCES, 0)
    assert Contract.objects.filter(connection=ceki).count() == 3, "the other user's contract is not ours"
    assert ContractParticipant.objects.filter(connection=ceki).count() == len(ceki_vendor.hands)
    assert ContractEvent.objects.filter(connection=ceki).count() == len(ceki_vendor.events)
    assert Bill.objects.filter(connection=ceki).count() == len(ceki_vendor.bills)
    mine = [t for t in ceki_vendor.transactions.values() if ceki_vendor.contracts[t["contract_id"]]["user_id"] == 1]
    assert Transaction.objects.filter(connection=ceki).count() == len(mine)

    charge = next(t for t in mine if t["payment_status_id"] == "100")
    local = Transaction.objects.select_related("contract", "beneficiary").get(
        connection=ceki, external_id=str(charge["id"])
    )
    assert (local.kind, local.status, local.amount) == ("charge", "pending", Decimal(charge["amount"]))
    assert local.hours == Decimal(charge["duration"]) / 60
    assert local.contract.external_id == str(charge["contract_id"])
    assert local.beneficiary.external_id == str(charge["benefitable_id"])
    assert local.vendor_data["id"] == charge["id"] and "_portal" not in local.vendor_data
    assert Transaction.objects.filter(connection=ceki, kind="deposit", status="paid").count() == 3
    assert set(Bill.objects.filter(connection=ceki).values_list("status", flat=True)) == {"paid"}

    event = ContractEvent.objects.filter(connection=ceki).first()
    raw = ceki_vendor.events[int(event.external_id)]
    wall_clock = dt.datetime.fromisoformat(raw["start"]).replace(tzinfo=ZoneInfo(raw["timezone"]))
    assert event.starts_at == wall_clock, "Ceki's naive start is read in the record's zone"


def test_a_second_unchanged_sync_writes_nothing(ceki):
    sync_all(ceki)

    with CaptureQueriesContext(db_connection) as queries:
        again = sync_all(ceki, full=True)

    assert {name: (run.created, run.updated, run.archived) for name, run in again.items()} == dict.fromkeys(
        RESOURCES, (0, 0, 0)
    )
    assert domain_writes(queries.captured_queries) == [], "no record and no audit entry written"


def test_events_sync_incrementally_and_full_runs_archive_what_ceki_dropped(ceki, ceki_vendor, ceki_server):
    sync_all(ceki)
    changed = next(iter(ceki_vendor.events.values()))
    ceki_vendor._stamp(changed)["label"] = "Moved to the afternoon"
    before = len(ceki_server.requests)

    incremental = run_sync(ceki, "events")

    assert (incremental.full, incremental.updated, incremental.created) == (False, 1, 0)
    # `dates[from]` is inclusive, so the newest event of the last run is read again (and skipped as unchanged).
    assert incremental.unchanged <= 1, "only what changed since the watermark was fetched"
    asked = [path for _, _, path, _ in ceki_server.requests[before:] if path.endswith("/events")]
    assert len(asked) == 3, "one request per contract"
    assert ContractEvent.objects.get(connection=ceki, external_id=str(changed["id"])).label == "Moved to the afternoon"

    dropped = next(t for t in ceki_vendor.transactions.values() if t["payment_status_id"] == "100")
    del ceki_vendor.transactions[dropped["id"]]
    full = run_sync(ceki, "transactions", full=True)
    assert full.archived == 1
    assert Transaction.objects.get(connection=ceki, external_id=str(dropped["id"])).archived_at is not None


def test_a_record_ceki_sends_broken_is_counted_and_the_rest_land(ceki, ceki_vendor):
    run_sync(ceki, "contracts")
    run_sync(ceki, "participants")
    broken = next(iter(ceki_vendor.transactions.values()))
    broken["amount"] = "12,50"  # a decimal comma: unreadable, so the local amount would be a guess

    run = run_sync(ceki, "transactions")

    assert (run.state, run.failed) == ("succeeded", 1)
    assert not Transaction.objects.filter(connection=ceki, external_id=str(broken["id"])).exists()


def test_records_of_a_contract_not_synced_yet_are_counted_as_failed_not_dropped(ceki, ceki_vendor):
    participants = run_sync(ceki, "participants")

    assert (participants.state, participants.created) == ("succeeded", 0)
    assert participants.failed == len(ceki_vendor.hands), "each hand refused until its contract is synced"
    run_sync(ceki, "contracts")
    assert run_sync(ceki, "participants").created == len(ceki_vendor.hands)


def test_reseeding_the_sandbox_starts_its_world_again(ceki_vendor):
    ceki_vendor.seed(2)
    assert len([c for c in ceki_vendor.contracts.values() if c["user_id"] == 1]) == 2
    assert len(ceki_vendor.hands) == 4 and len(ceki_vendor.bills) == 2


def test_an_unchanged_sync_costs_the_same_queries_however_many_records(
    ceki, ceki_vendor, django_assert_max_num_queries
):
    sync_all(ceki)
    with CaptureQueriesContext(db_connection) as few:
        run_sync(ceki, "transactions", full=True)
    contract = next(c for c in ceki_vendor.contracts.values() if c["user_id"] == 1)
    hand = next(h for h in ceki_vendor.hands.values() if h["contract_id"] == contract["id"])
    for _ in range(60):
        ceki_vendor._add_charge(contract, hand, dt.date(2026, 2, 2), minutes=60, status=100)
    assert run_sync(ceki, "transactions").created == 60

    with django_assert_max_num_queries(len(few.captured_queries)):
        again = run_sync(ceki, "transactions", full=True)
    assert (again.created, again.updated) == (0, 0)


def test_an_event_shorter_than_cekis_minimum_is_refused_not_rounded(ceki, ceki_vendor):
    run_sync(ceki, "contracts")
    short = next(iter(ceki_vendor.events.values()))
    short["duration"] = 10

    run = run_sync(ceki, "events")

    assert (run.failed, run.created) == (1, len(ceki_vendor.events) - 1)
    assert not ContractEvent.objects.filter(connection=ceki, external_id=str(short["id"])).exists()


def test_a_person_only_ceki_knows_arrives_with_the_ceki_users_name(ceki, ceki_vendor):
    run_sync(ceki, "contracts")
    run_sync(ceki, "participants")
    hand = next(iter(ceki_vendor.hands.values()))
    first, last = hand["user"]["name"].split()

    person = ContractParticipant.objects.get(connection=ceki, external_id=str(hand["id"])).talent
    assert (person.first_name, person.last_name) == (first, last)
    assert person.email == hand["user"]["email"]
