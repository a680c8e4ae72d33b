"""Sync runs as a diff: bulk writes per page, nothing written when nothing changed, vanished records archived."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import CommandError, call_command
from django.db import connection as db_connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from portal.integrations.models import SyncRun, VendorConnection
from portal.integrations.sync import SyncAlreadyRunning, run_sync
from portal.jobs.models import Facility
from tests.integrations.directory.provider import DirectorySandbox
from tests.support.processes import free_port
from vendors.base.sandbox import SandboxServer

pytestmark = pytest.mark.django_db

WRITES = ("INSERT", "UPDATE", "DELETE")


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
    with CaptureQueriesContext(db_connection) as first_queries:
        first = run_sync(connection, "facilities")
    assert (first.state, first.pages, first.created, first.updated) == ("succeeded", 3, 1200, 0)
    assert Facility.objects.filter(connection=connection).count() == 1200
    facility_inserts = [q for q in writes(first_queries.captured_queries) if 'INTO "jobs_facility"' in q]
    assert len(facility_inserts) == 3, "one bulk INSERT per page of 500"

    with CaptureQueriesContext(db_connection) as second_queries:
        second = run_sync(connection, "facilities", full=True)
    assert (second.created, second.updated, second.unchanged, second.archived) == (0, 0, 1200, 0)
    record_writes = [q for q in writes(second_queries.captured_queries) if "jobs_facility" in q or "core_audit" in q]
    assert record_writes == [], "an unchanged sync writes no record and no audit entry"


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
    server.add_fault("503")
    with pytest.raises(CommandError, match=r"Sync failed: Directory facilities: .*unavailable"):
        call_command("sync", "directory", "--full")
