"""Sync runs as a diff: bulk writes per page, nothing written when nothing changed, vanished records archived."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction
from django.db import connection as db_connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from portal.core.audit import audit_context, with_creation_values
from portal.core.bulk_sql import CopyRows
from portal.core.models import AuditEntry
from portal.integrations.linking import local_ids
from portal.integrations.models import SyncRun, VendorConnection
from portal.integrations.provider import Included, MappedRecord
from portal.integrations.sync import SyncAlreadyRunning, apply_page, fingerprint, run_sync, store_included
from portal.jobs.models import Facility, JobRequisition, Profession, Province
from tests.integrations.directory.provider import DirectorySandbox
from tests.support.processes import free_port
from vendors.base.sandbox import SandboxServer

pytestmark = pytest.mark.django_db

WRITES = ("INSERT", "UPDATE", "DELETE", "COPY")


@pytest.fixture
def directory(settings):
    settings.VENDOR_PROVIDERS = ["tests.integrations.directory"]
    server = SandboxServer([DirectorySandbox(seed=1200)], port=free_port()).start()
    connection = VendorConnection.objects.create(
        vendor="directory", name="Directory", base_url=server.vendor_url("directory")
    )
    yield server, connection
    server.stop()


def writes(queries) -> list[str]:
    return [q["sql"] for q in queries if q["sql"].lstrip().upper().startswith(WRITES)]


def test_first_sync_creates_in_bulk_and_second_writes_no_record(directory):
    _server, connection = directory
    if db_connection.vendor == "postgresql":
        with db_connection.cursor() as cursor:
            cursor.execute("ANALYZE jobs_facility")  # statistics that know the table empty, whatever ran before
    with CaptureQueriesContext(db_connection) as first_queries:
        first = run_sync(connection, "facilities")
    assert (first.state, first.pages, first.created, first.updated) == ("succeeded", 3, 1200, 0)
    assert Facility.objects.filter(connection=connection).count() == 1200
    facility_inserts = [q for q in writes(first_queries.captured_queries) if '"jobs_facility" (' in q]
    if db_connection.vendor == "postgresql":  # SQLite's bulk_create splits a page by its limit on parameters
        assert len(facility_inserts) == 3, "one bulk INSERT per page of 500"
        analyzed = [q["sql"] for q in first_queries.captured_queries if q["sql"].startswith("ANALYZE")]
        assert analyzed == ['ANALYZE "jobs_facility" ("connection_id", "external_id")'], "statistics follow the load"

    with CaptureQueriesContext(db_connection) as second_queries:
        second = run_sync(connection, "facilities", full=True)
    assert (second.created, second.updated, second.unchanged, second.archived) == (0, 0, 1200, 0)
    record_writes = [q for q in writes(second_queries.captured_queries) if "jobs_facility" in q or "core_audit" in q]
    assert record_writes == [], "an unchanged sync writes no record and no audit entry"
    assert not [q for q in second_queries.captured_queries if q["sql"].startswith("ANALYZE")]


def test_changes_are_updated_and_vanished_records_archived_on_a_full_run(directory):
    server, connection = directory
    run_sync(connection, "facilities")
    vendor = server.vendors["directory"]
    vendor.edit(7, name="Facility Seven (renamed)")
    vendor.deleted.add(8)

    incremental = run_sync(connection, "facilities")
    assert (incremental.pages, incremental.updated, incremental.created) == (1, 1, 0)
    assert Facility.objects.get(connection=connection, external_id="7").name == "Facility Seven (renamed)"

    full = run_sync(connection, "facilities", full=True)
    assert (full.updated, full.archived) == (0, 1)
    assert Facility.objects.get(connection=connection, external_id="8").archived_at is not None
    assert SyncRun.objects.filter(connection=connection, state="succeeded").count() == 3


def test_a_failing_vendor_fails_the_run_with_its_error(directory):
    server, connection = directory
    server.add_fault("500")
    run = run_sync(connection, "facilities")
    assert run.state == "failed" and "unavailable (HTTP 500)" in run.error
    connection.refresh_from_db()
    assert connection.last_sync_status == "failed"


def test_one_run_per_resource_at_a_time(directory):
    _server, connection = directory
    SyncRun.objects.create(connection=connection, resource="facilities")
    with pytest.raises(SyncAlreadyRunning):
        run_sync(connection, "facilities")


def test_a_run_left_behind_by_a_killed_worker_does_not_block_forever(directory):
    _server, connection = directory
    stale = SyncRun.objects.create(connection=connection, resource="facilities")
    SyncRun.objects.filter(pk=stale.pk).update(started_at=timezone.now() - dt.timedelta(hours=2))
    assert run_sync(connection, "facilities").state == "succeeded"
    stale.refresh_from_db()
    assert stale.state == "failed" and stale.error.startswith("Abandoned")


def test_sync_command_prints_progress_and_a_summary_and_fails_loudly(directory, capsys):
    server, _connection = directory
    call_command("sync", "directory", "--resource", "facilities")
    out = capsys.readouterr().out
    assert "page 3: 1200 records" in out and "Succeeded" in out and "1200 created" in out
    # Issue 17: every progress line ends (log lines written meanwhile ran into it); no microseconds in the time.
    lines = out.splitlines()
    assert lines[:3] == ["  page 1: 500 records", "  page 2: 1000 records", "  page 3: 1200 records"]
    assert "\r" not in out and re.fullmatch(
        r"Directory facilities: Succeeded in \d+ (s|min \d+ s|min) - 3 pages, .*", lines[3]
    )
    server.add_fault("503")
    with pytest.raises(CommandError, match=r"Sync failed: Directory facilities: .*unavailable"):
        call_command("sync", "directory", "--full")


# The insert paths: PostgreSQL sends a page by COPY, other databases (the demo's SQLite) use
# `bulk_create`. On PostgreSQL both run, the ORM one by making the connection look like another database; on SQLite
# (`TEST_DATABASE_URL=sqlite:///...`) only the ORM one can.
PATHS = ["copy", "orm"] if db_connection.vendor == "postgresql" else ["orm"]
SENT_AT = dt.datetime(2026, 11, 2, 9, 30, tzinfo=dt.UTC)


@pytest.fixture(params=PATHS)
def insert_path(request, monkeypatch):
    if request.param == "orm":
        monkeypatch.setattr(db_connection, "vendor", "other")
    return request.param


@pytest.fixture
def kamana_like(db):
    return VendorConnection.objects.create(vendor="directory", name="Requisitions", base_url="http://127.0.0.1:9/")


def requisition(external_id: str, **fields) -> MappedRecord:
    nurse = Profession.objects.get_or_create(name="Registered Nurse", abbreviation="RN")[0]
    return MappedRecord(
        external_id,
        {
            "name": f'ICU nights "{external_id}" — \\ 50/50',
            "status": "open",
            "job_type": "Travel Contract",
            "profession_id": nurse.pk,
            "facility_id": None,
            "number_of_openings": 2,
            "starts_on": dt.date(2026, 12, 7),
            "asap": False,
            "hours_per_week": Decimal("36.00"),
            "regular_hourly_rate": Decimal("61.5"),
            "shift_start_hour": 19,
            "shift_end_hour": 7,
            **fields,
        },
        vendor_updated_at=SENT_AT,
        vendor_data={"id": external_id, "attributes": {"tags": ["icu", None, 3.5], "note": "l'été \u2603"}},
    )


def page_state(connection) -> tuple[list[dict], list[tuple]]:
    """The rows of one connection and their audit history, without what differs by nature (ids, times)."""
    rows = list(
        JobRequisition.objects.filter(connection=connection)
        .order_by("external_id")
        .values(*(f.attname for f in JobRequisition._meta.concrete_fields if f.attname not in VOLATILE))
    )
    records = {job.pk: job for job in JobRequisition.objects.filter(connection=connection)}
    entries = list(
        AuditEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(JobRequisition), object_id__in=[str(pk) for pk in records]
        ).order_by("id")
    )
    for pk, job in records.items():  # as the history pages show them: a create entry's values follow from the row
        with_creation_values([e for e in entries if e.object_id == str(pk)], job)
    history = [(records[int(e.object_id)].external_id, e.action, e.changes, e.source, e.detail) for e in entries]
    return rows, history


VOLATILE = {"id", "connection_id", "created_at", "updated_at"}


def test_both_insert_paths_store_the_same_rows_and_history(db, monkeypatch):
    """`COPY` and `bulk_create` give identical rows and identical "create" entries, page order kept."""
    states = {}
    for path in PATHS:
        connection = VendorConnection.objects.create(vendor="directory", name=f"Via {path}", base_url="http://x/")
        with monkeypatch.context() as patch:
            if path == "orm":
                patch.setattr(db_connection, "vendor", "other")
            records = [requisition("r-2"), requisition("r-1", starts_on=None, facility_id=None, asap=True)]
            # JSON orjson refuses, so COPY's text for it comes from Django's own encoder.
            records[1].vendor_data.update({7: "a key that is not text", "huge": 2**70})
            with (
                CaptureQueriesContext(db_connection) as queries,
                audit_context("sync", detail="sync run 7"),
                transaction.atomic(),
            ):
                counts = apply_page(JobRequisition, connection, records)
        assert counts.created == 2
        copied = [q["sql"] for q in queries.captured_queries if q["sql"].startswith('COPY "jobs_jobrequisition"')]
        assert len(copied) == (1 if path == "copy" else 0)
        pks = dict(JobRequisition.objects.filter(connection=connection).values_list("external_id", "pk"))
        assert pks["r-2"] < pks["r-1"], "ids follow the page's order"
        states[path] = page_state(connection)
    rows, history = states[PATHS[0]]
    assert all(state == (rows, history) for state in states.values())
    first = next(row for row in rows if row["external_id"] == "r-2")
    assert first["hours_per_week"] == Decimal("36.00") and first["regular_hourly_rate"] == Decimal("61.50")
    assert first["vendor_data"]["attributes"]["note"] == "l'été \u2603" and first["archived_at"] is None
    second = next(row for row in rows if row["external_id"] == "r-1")
    assert (second["vendor_data"]["7"], second["vendor_data"]["huge"]) == ("a key that is not text", 2**70)
    assert first["vendor_updated_at"] == SENT_AT and first["vendor_fingerprint"] == fingerprint(records[0].fields)
    created = dict((external_id, changes) for external_id, action, changes, *_ in history if action == "create")
    assert created["r-2"]["starts_on"] == [None, "2026-12-07"] and created["r-2"]["hours_per_week"] == [None, "36.00"]
    assert created["r-2"]["name"] == [None, 'ICU nights "r-2" — \\ 50/50'] and created["r-1"]["facility_id"] == [
        None,
        None,
    ]
    assert {entry[3:] for entry in history} == {("sync", "sync run 7")}


def test_the_history_page_shows_what_a_sync_created(kamana_like, insert_path):
    with audit_context("sync", detail="sync run 9"), transaction.atomic():
        apply_page(JobRequisition, kamana_like, [requisition("r-5"), requisition("r-6")])
    job = JobRequisition.objects.get(connection=kamana_like, external_id="r-6")
    (stored,) = job.audit_history()
    assert stored.changes == dict.fromkeys(requisition("r-6").fields), "named, not copied (issue 16)"
    (entry,) = with_creation_values(job.audit_history(), job)
    assert (entry.action, entry.source, entry.detail) == ("create", "sync", "sync run 9")
    assert entry.changes["shift_start_hour"] == [None, 19] and entry.changes["asap"] == [None, False]
    assert timezone.now() - job.created_at < dt.timedelta(minutes=1) and job.updated_at >= job.created_at


def test_a_page_with_a_duplicate_keeps_the_vendors_last_word(kamana_like, insert_path):
    page = [requisition("r-1", name="first"), requisition("r-2"), requisition("r-1", name="second")]
    with transaction.atomic():
        counts = apply_page(JobRequisition, kamana_like, page)
    assert counts.created == 2
    assert JobRequisition.objects.get(connection=kamana_like, external_id="r-1").name == "second"
    _rows, history = page_state(kamana_like)
    assert [(external_id, changes["name"][1]) for external_id, _, changes, *_ in history if external_id == "r-1"] == [
        ("r-1", "second")
    ]


def test_a_record_the_database_refuses_fails_its_whole_page(kamana_like, insert_path):
    page = [requisition("r-1"), requisition("r-2", number_of_openings=-1)]
    with pytest.raises(IntegrityError), transaction.atomic():
        apply_page(JobRequisition, kamana_like, page)
    assert page_state(kamana_like) == ([], [])


def test_an_unknown_field_is_refused_as_the_model_refuses_it(kamana_like, insert_path):
    with pytest.raises(TypeError, match="unexpected keyword arguments: 'shoe_size'"), transaction.atomic():
        apply_page(JobRequisition, kamana_like, [requisition("r-1", shoe_size=44)])


def test_an_archived_record_that_comes_back_is_restored_beside_new_ones(kamana_like, insert_path):
    with transaction.atomic():
        apply_page(JobRequisition, kamana_like, [requisition("r-1")])
    JobRequisition.objects.filter(external_id="r-1").update(archived_at=timezone.now())
    with transaction.atomic():
        counts = apply_page(JobRequisition, kamana_like, [requisition("r-1"), requisition("r-2")])
    assert (counts.created, counts.updated, counts.unchanged) == (1, 1, 0)
    assert set(JobRequisition.objects.filter(archived_at=None).values_list("external_id", flat=True)) == {"r-1", "r-2"}


def test_a_local_row_with_the_same_code_is_left_alone_and_the_vendor_gets_its_own(kamana_like, insert_path):
    local = Province.objects.create(name="Ohio", abbreviation="OH")
    page = [
        MappedRecord("p-oh", {"name": "Ohio (Kamana)", "abbreviation": "OH"}),
        MappedRecord("p-pa", {"name": "Pennsylvania", "abbreviation": "PA", "country": "US"}),
    ]
    with transaction.atomic():
        counts = apply_page(Province, kamana_like, page)
    assert (counts.created, counts.updated) == (2, 0)
    local.refresh_from_db()
    assert (local.connection, local.external_id, local.name) == (None, "", "Ohio")
    assert Province.objects.get(connection=kamana_like, external_id="p-oh").name == "Ohio (Kamana)"
    assert Province.objects.get(external_id="p-pa").country == "US"


def test_a_row_of_another_connection_with_the_same_vendor_id_is_never_matched(kamana_like, insert_path):
    other = VendorConnection.objects.create(vendor="kamana", name="Kamana, second agency", base_url="http://x.test")
    with transaction.atomic():
        apply_page(Province, other, [MappedRecord("p-oh", {"name": "Ohio", "abbreviation": "OH"})])
    with transaction.atomic():
        counts = apply_page(Province, kamana_like, [MappedRecord("p-oh", {"name": "Ohio!", "abbreviation": "OH"})])
    assert (counts.created, counts.updated) == (1, 0)
    names = dict(Province.objects.filter(external_id="p-oh").values_list("connection_id", "name"))
    assert names == {other.pk: "Ohio", kamana_like.pk: "Ohio!"}


def test_only_models_whose_rows_can_share_a_base_row_take_the_copy():
    """A default that differs per row (VendorConnection's webhook token) cannot come from one base row: such a
    model keeps `bulk_create`, and so gets a fresh value per row."""
    assert CopyRows.of(JobRequisition) is not None
    assert CopyRows.of(VendorConnection) is None
    rows = CopyRows.of(JobRequisition)
    with pytest.raises(TypeError, match="unexpected keyword arguments: 'colour'"):
        rows.values(db_connection, colour="teal")


def test_included_records_are_stored_in_order_each_kind_mapped_after_the_one_before(kamana_like):
    """The writer maps and stores each included kind in turn (`store_included`), so a facility's mapping finds
    the province stored just before it; a record the mapping cannot read is skipped and counted, and an
    unchanged second page writes nothing."""

    def province(raw: dict) -> MappedRecord:
        return MappedRecord(raw["id"], {"name": raw["name"], "abbreviation": raw["code"]})

    def facility(raw: dict) -> MappedRecord:
        if "name" not in raw:
            raise ValueError("a facility without a name")
        provinces = local_ids("jobs.Province", kamana_like.pk, [raw["province"]])
        return MappedRecord(raw["id"], {"name": raw["name"], "province_id": provinces.get(raw["province"])})

    included = [
        Included("jobs.Province", [{"id": "p-oh", "name": "Ohio", "code": "OH"}], province),
        Included("jobs.Facility", [{"id": "f-1", "name": "Mercy", "province": "p-oh"}, {"id": "f-2"}], facility),
    ]
    with audit_context("sync", detail="sync run 3"), transaction.atomic():
        assert store_included(kamana_like, included) == 1

    stored = Facility.objects.select_related("province").get(connection=kamana_like)
    assert (stored.external_id, stored.province.external_id) == ("f-1", "p-oh")
    entries = AuditEntry.objects.filter(source="sync", detail="sync run 3")
    assert sorted((e.content_type.model, e.object_id, e.action) for e in entries) == [
        ("facility", str(stored.pk), "create"),
        ("province", str(stored.province.pk), "create"),
    ]
    with CaptureQueriesContext(db_connection) as again, transaction.atomic():
        assert store_included(kamana_like, included) == 1
    assert writes(again.captured_queries) == []
