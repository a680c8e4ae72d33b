"""Issue 16 item 3: Kamana's reader returns pages, the sync's one writer stores them, `included` records too.

Requisitions come with `include=creator,facility.province` (doc "Job Requisitions", List All): the reader
hands the facilities and provinces over with each page and writes nothing; the writer stores them before the
page's requisitions, with the same diff, history and unreadable-value rules as any synced record.
"""

from __future__ import annotations

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection as db_connection
from django.test.utils import CaptureQueriesContext

from portal.core.models import AuditEntry
from portal.integrations.provider import Page
from portal.integrations.registry import get_provider
from portal.integrations.sync import run_sync
from portal.jobs.models import Facility, JobRequisition, Province

pytestmark = pytest.mark.django_db

WRITES = ("INSERT", "UPDATE", "DELETE", "COPY")


def history(model, run) -> dict[str, list[tuple[str, dict]]]:
    """`{external_id: [(action, changes)]}` of what this sync run wrote to `model`, oldest first."""
    entries = AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(model), source="sync", detail=f"sync run {run.pk}"
    ).order_by("id")
    external_ids = dict(model.objects.values_list("pk", "external_id"))
    out: dict[str, list[tuple[str, dict]]] = {}
    for entry in entries:
        out.setdefault(external_ids[int(entry.object_id)], []).append((entry.action, entry.changes))
    return out


def test_the_reader_hands_over_what_its_pages_include_and_writes_nothing(kamana, vendor):
    provider = get_provider("kamana")
    resource = provider.resources["job_requisitions"]
    with CaptureQueriesContext(db_connection) as queries:
        pages = list(resource.pages(provider.client(kamana), kamana, None))
    assert [q["sql"] for q in queries.captured_queries if q["sql"].lstrip().upper().startswith(WRITES)] == []
    assert (Facility.objects.count(), Province.objects.count(), JobRequisition.objects.count()) == (0, 0, 0)

    assert all(isinstance(page, Page) for page in pages) and sum(len(page.records) for page in pages) == 30
    assert {tuple(entry.model for entry in page.included) for page in pages} == {("jobs.Province", "jobs.Facility")}
    included_facilities = {item.record.id for page in pages for item in page.included[1].records}
    named = {item.record.facility_id for page in pages for item in page.records}
    assert included_facilities == named and named <= set(vendor.world.facilities)


def test_included_records_are_stored_first_by_the_writer_with_their_history(kamana, vendor):
    """No facility sync ran: every facility and province comes from the requisitions' `included`, is written
    before the requisitions that name it (which link to it in the same page) and has its "create" entry."""
    run_sync(kamana, "professions")
    run_sync(kamana, "specialties")

    run = run_sync(kamana, "job_requisitions", full=True)

    assert (run.state, run.created, run.failed) == ("succeeded", 30, 0), "the run counts its own records only"
    named = {attrs["facility_id"] for attrs in vendor.world.requisitions.values()}
    facilities = {f.external_id: f for f in Facility.objects.filter(connection=kamana).select_related("province")}
    assert set(facilities) == named
    for external_id, facility in facilities.items():
        at_kamana = vendor.world.facilities[external_id]
        assert (facility.name, facility.province.external_id) == (at_kamana["name"], at_kamana["province_id"])
    assert not JobRequisition.objects.filter(connection=kamana, facility=None).exists(), "linked in the same page"
    provinces = {facility.province.external_id for facility in facilities.values()}
    for model, external_ids in ((Facility, named), (Province, provinces)):
        written = history(model, run)
        assert set(written) == external_ids
        assert {tuple(action for action, _ in entries) for entries in written.values()} == {("create",)}


def test_a_changed_included_record_is_updated_and_an_unchanged_one_left_alone(kamana, vendor):
    sync = lambda: run_sync(kamana, "job_requisitions", full=True)  # noqa: E731
    sync()
    facility_id = next(iter(vendor.world.requisitions.values()))["facility_id"]
    before = Facility.objects.get(connection=kamana, external_id=facility_id)
    with vendor.lock:
        vendor.world.facilities[facility_id].update(name="Renamed at Kamana", updated_at=vendor.world.stamp())

    run = sync()

    assert (run.created, run.updated) == (0, 0), "the requisitions themselves did not change"
    assert Facility.objects.get(pk=before.pk).name == "Renamed at Kamana"
    assert history(Facility, run) == {facility_id: [("update", {"name": [before.name, "Renamed at Kamana"]})]}
    assert history(Province, run) == {}, "unchanged included records are not written again"


def test_an_unreadable_value_in_an_included_record_keeps_the_known_one_and_the_run_says_so(kamana, vendor):
    run_sync(kamana, "job_requisitions", full=True)
    facility_id = next(iter(vendor.world.requisitions.values()))["facility_id"]
    known = Facility.objects.get(connection=kamana, external_id=facility_id)
    with vendor.lock:
        vendor.world.facilities[facility_id].update(city={"not": "a city"}, updated_at=vendor.world.stamp())

    run = run_sync(kamana, "job_requisitions", full=True)

    assert (run.state, run.warned) == ("with_warnings", 1)
    facility = Facility.objects.get(pk=known.pk)
    assert facility.city == known.city and set(facility.vendor_problems) == {"city"}
    (warning,) = run.warnings
    assert (warning["model"], warning["external_id"]) == ("jobs.facility", facility_id)
