"""Kamana lists into the domain models: every resource in dependency order, includes stored without extra calls,
an unchanged second run writing nothing, incremental runs reading only what changed, vanished records archived."""

from __future__ import annotations

import pytest

from portal.integrations.models import SyncRun
from portal.integrations.sync import run_sync
from portal.jobs.models import Client, ClientContact, Facility, JobRequisition, Profession, Province, Specialty

pytestmark = pytest.mark.django_db

ORDER = ["professions", "specialties", "clients", "client_contacts", "facilities", "job_requisitions"]


def sync_all(connection, *, full: bool = True) -> dict[str, SyncRun]:
    return {name: run_sync(connection, name, full=full) for name in ORDER}


def test_a_full_sync_mirrors_every_listable_resource(kamana, vendor, kamana_server):
    runs = sync_all(kamana)
    assert {name: (run.state, run.error) for name, run in runs.items()} == dict.fromkeys(ORDER, ("succeeded", ""))
    assert Profession.objects.count() == 4 and Specialty.objects.count() == 6
    assert Client.objects.count() == 3 and ClientContact.objects.count() == 6
    assert Facility.objects.count() == 6 and Province.objects.count() == 4
    assert JobRequisition.objects.count() == 30 and runs["job_requisitions"].pages == 3

    kamana_id, attrs = next(iter(vendor.world.requisitions.items()))
    local = JobRequisition.objects.select_related("facility__province", "profession", "specialty").get(
        external_id=kamana_id
    )
    facility = vendor.world.facilities[attrs["facility_id"]]
    assert (local.name, local.reference_number, local.status) == (
        attrs["name"],
        attrs["reference_number"],
        attrs["status"],
    )
    assert local.facility.name == facility["name"] and local.facility.time_zone == facility["time_zone"]
    assert local.facility.province.abbreviation == vendor.world.provinces[facility["province_id"]]["abbreviation"]
    assert local.profession.name == vendor.world.professions[attrs["profession_id"]]["name"]
    assert local.specialty.name == vendor.world.specialties[attrs["specialty_id"]]["name"]
    assert (local.shift_start_hour, local.shift_end_hour, local.hours_per_week) == (7, 19, 36)
    assert local.regular_hourly_rate == attrs["regular_hourly_rate"]
    assert local.vendor_data["id"] == kamana_id and local.vendor_updated_at is not None
    paths = {r[2] for r in kamana_server.requests}
    assert not any(p.startswith("/facilities/") for p in paths), "facilities came included, never fetched one by one"


def test_a_second_unchanged_sync_writes_nothing(kamana, django_assert_max_num_queries):
    sync_all(kamana)
    # Per page: includes diffed (2 + 2), links (2), the page's diff (1), a savepoint and the look for an Admin's
    # cancel (1); the run's own ~12.
    with django_assert_max_num_queries(43):
        requisitions = run_sync(kamana, "job_requisitions", full=True)
    assert (requisitions.pages, requisitions.unchanged) == (3, 30)
    runs = sync_all(kamana)
    assert all(run.created == run.updated == run.archived == 0 for run in [requisitions, *runs.values()])


def test_incremental_sync_reads_only_the_newest_pages(kamana, vendor, api, kamana_server):
    run_sync(kamana, "professions")
    run_sync(kamana, "specialties")
    run_sync(kamana, "facilities")
    first = run_sync(kamana, "job_requisitions")
    assert first.full and first.created == 30
    oldest_id = vendor.world.requisition_order()[-1]
    attrs = vendor.world.requisitions[oldest_id]
    api.update_job_requisition(
        oldest_id,
        {"name": "ICU night shift", "job_type": attrs["job_type"], "number_of_openings": 2, "years_of_experience": 3},
    )
    requests_before = len(kamana_server.requests)
    second = run_sync(kamana, "job_requisitions")
    assert not second.full and second.updated == 1 and second.created == 0
    assert second.pages == 1, "the changed record is now first; the older pages are not read"
    assert len([r for r in kamana_server.requests[requests_before:] if r[2] == "/job_requisitions"]) == 1
    assert JobRequisition.objects.get(external_id=oldest_id).name == "ICU night shift"


def test_a_requisition_gone_from_kamana_is_archived_on_a_full_sync(kamana, vendor):
    sync_all(kamana)
    gone = next(iter(vendor.world.requisitions))
    with vendor.lock:
        del vendor.world.requisitions[gone]
        vendor.world.touched_requisitions()
    run = run_sync(kamana, "job_requisitions", full=True)
    assert run.archived == 1
    assert JobRequisition.objects.get(external_id=gone).archived_at is not None


def test_an_unreadable_value_keeps_the_known_one_and_the_run_says_so(kamana, vendor):
    """Issue 14: Kamana serves a requisition with three unreadable values and one readable change; the readable
    one is applied, the others keep the portal's values, and the row and the run name what could not be read."""
    sync_all(kamana)
    requisition_id = vendor.world.requisition_order()[0]
    known = JobRequisition.objects.get(connection=kamana, external_id=requisition_id)
    assert known.starts_on is not None and known.hours_per_week is not None
    with vendor.lock:
        broken = vendor.world.requisitions[requisition_id]
        good = {key: broken[key] for key in ("status", "hours_per_week", "starts_on")}
        broken.update(status="unheard-of", hours_per_week="lots", starts_on="2026-13-45", name="ICU, renamed")
        broken["updated_at"] = vendor.world.stamp()
        vendor.world.touched_requisitions()
    run = run_sync(kamana, "job_requisitions", full=True)
    assert (run.state, run.updated, run.failed, run.warned) == ("with_warnings", 1, 0, 1)
    local = JobRequisition.objects.get(pk=known.pk)
    assert local.name == "ICU, renamed", "what could be read is applied"
    kept = ("status", "hours_per_week", "starts_on")
    assert [getattr(local, name) for name in kept] == [getattr(known, name) for name in kept]
    assert set(local.vendor_problems) == {"status", "hours_per_week", "starts_on"}
    assert local.vendor_problems["starts_on"] == {
        "raw": "'2026-13-45'",
        "message": "job_requisition.starts_on: expected a date (YYYY-MM-DD), got '2026-13-45'; read as null",
        "source": f"sync run {run.pk}",
    }
    (entry,) = run.warnings
    assert (entry["model"], entry["pk"], entry["external_id"]) == ("jobs.jobrequisition", known.pk, requisition_id)
    assert set(entry["problems"]) == {"status", "hours_per_week", "starts_on"}

    with vendor.lock:  # fixed at Kamana: the values are taken and the mark goes
        broken.update(good, updated_at=vendor.world.stamp())
        vendor.world.touched_requisitions()
    run = run_sync(kamana, "job_requisitions", full=True)
    assert (run.state, run.updated, run.warned, run.warnings) == ("succeeded", 1, 0, [])
    local.refresh_from_db()
    assert local.vendor_problems == {} and local.starts_on.isoformat() == good["starts_on"]


def test_a_province_held_locally_is_left_alone_beside_kamanas_own(kamana, vendor):
    """The demo (or an admin) made provinces with no vendor behind them; Kamana's province with the same code is
    the connection's own row (unique per connection), and the local one keeps its name and its facilities."""
    kamana_id, kamana_province = next(iter(vendor.world.provinces.items()))
    local = Province.objects.create(name="typed by hand", abbreviation=kamana_province["abbreviation"], country="US")

    runs = sync_all(kamana)

    assert {name: run.state for name, run in runs.items()} == dict.fromkeys(ORDER, "succeeded")
    assert Province.objects.filter(connection=kamana).count() == 4
    local.refresh_from_db()
    assert (local.connection, local.external_id, local.name) == (None, "", "typed by hand")
    synced = Province.objects.get(connection=kamana, external_id=kamana_id)
    named_here = [f for f in vendor.world.facilities.values() if f["province_id"] == kamana_id]
    assert Facility.objects.filter(province=synced).count() == len(named_here)
    assert not Facility.objects.filter(province=local).exists()
