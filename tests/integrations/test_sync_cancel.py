"""Issue 17 item 4: a sync run can be cancelled between pages and shows the total where the vendor tells one.

Against the Kamana sandbox over HTTP (30 requisitions, pages of 10) and the Alaunus one (its envelope's total)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from portal.core.htmx import HTMX_STOP_POLLING
from portal.integrations.models import SyncRun, VendorConnection
from portal.integrations.sync import request_cancel, run_sync
from portal.jobs.models import JobRequisition, Patient
from tests.vendors.alaunus import conftest as alaunus_fixtures
from tests.vendors.kamana import conftest as kamana_fixtures

registered, kamana_server, vendor, kamana = (
    kamana_fixtures.registered,
    kamana_fixtures.kamana_server,
    kamana_fixtures.vendor,
    kamana_fixtures.kamana,
)
alaunus_server, alaunus = alaunus_fixtures.alaunus_server, alaunus_fixtures.alaunus

pytestmark = pytest.mark.django_db


def cancel_at(page: int, user):
    """An Admin's cancel arriving while page `page` is written (as another process would set it)."""

    def on_page(run: SyncRun) -> None:
        if run.pages == page:
            assert request_cancel(run.pk, user)

    return on_page


@pytest.mark.parametrize("page", [1, 2])
def test_a_cancelled_run_keeps_the_pages_it_stored_and_frees_the_lock(kamana, portal_admin, page):
    run = run_sync(kamana, "job_requisitions", on_page=cancel_at(page, portal_admin))

    run.refresh_from_db()
    assert run.state == SyncRun.State.CANCELLED and run.cancelled_by == portal_admin
    assert run.pages == page and run.created == 10 * page, "whole pages, no half page"
    assert JobRequisition.objects.filter(connection=kamana).count() == run.created
    assert run.archived == 0 and run.finished_at is not None and run.watermark is None
    kamana.refresh_from_db()
    assert kamana.last_sync_status == VendorConnection.SyncStatus.NEVER, "a cancel says nothing of the vendor"

    again = run_sync(kamana, "job_requisitions")  # the lock is free: the next run reads everything
    assert again.state == SyncRun.State.SUCCEEDED and again.full, "no watermark from a cancelled run"
    assert JobRequisition.objects.filter(connection=kamana).count() == 30


def test_a_cancelled_incremental_run_does_not_move_the_watermark(kamana, portal_admin):
    first = run_sync(kamana, "job_requisitions")
    assert first.watermark is not None
    cancelled = run_sync(kamana, "job_requisitions", on_page=cancel_at(1, portal_admin))
    assert cancelled.state == SyncRun.State.CANCELLED and not cancelled.full
    assert cancelled.watermark == first.watermark
    following = run_sync(kamana, "job_requisitions")
    assert not following.full and following.state == SyncRun.State.SUCCEEDED


def test_a_cancel_after_the_run_ended_changes_nothing(kamana, portal_admin):
    run = run_sync(kamana, "job_requisitions")
    assert not request_cancel(run.pk, portal_admin)
    run.refresh_from_db()
    assert run.state == SyncRun.State.SUCCEEDED and run.cancel_requested_at is None and run.cancelled_by is None


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    states=st.lists(st.sampled_from([s for s, _ in SyncRun.State.choices]), min_size=1, max_size=4),
    asks=st.lists(st.integers(min_value=0, max_value=3), max_size=6),
)
def test_only_a_running_run_takes_a_cancel_and_only_the_first_one(portal_admin, coordinator, states, asks):
    """Whatever the runs' states and however often anyone asks: a run takes one request, while it runs."""
    connection, _ = VendorConnection.objects.get_or_create(
        vendor="alaunus", name="Alaunus props", defaults={"base_url": "http://127.0.0.1:9/"}
    )
    SyncRun.objects.filter(connection=connection).delete()
    runs = [SyncRun.objects.create(connection=connection, resource=f"r{i}", state=s) for i, s in enumerate(states)]
    users = [portal_admin, coordinator]
    taken: dict[int, object] = {}
    for n, ask in enumerate(asks):
        run = runs[ask % len(runs)]
        expected = run.state == SyncRun.State.RUNNING and run.pk not in taken
        assert request_cancel(run.pk, users[n % 2]) is expected
        if expected:
            taken[run.pk] = users[n % 2]
    for run in runs:
        run.refresh_from_db()
        assert (run.cancel_requested_at is not None) is (run.pk in taken)
        assert run.cancelled_by == taken.get(run.pk)


def test_the_vendors_total_is_recorded_where_it_tells_one(alaunus, kamana):
    patients = run_sync(alaunus, "patients")
    assert patients.state == SyncRun.State.SUCCEEDED
    assert patients.expected_total == Patient.objects.filter(connection=alaunus).count() == alaunus_fixtures.SEED
    requisitions = run_sync(kamana, "job_requisitions")
    assert requisitions.expected_total is None, "Kamana's cursor pages say nothing of a total"


# -- pages ----------------------------------------------------------------------------------------------------


@pytest.fixture
def admin_client(client, portal_admin):
    client.force_login(portal_admin)
    return client


@pytest.fixture
def running(db) -> SyncRun:
    connection = VendorConnection.objects.create(vendor="alaunus", name="Alaunus West", base_url="http://127.0.0.1:9/")
    return SyncRun.objects.create(connection=connection, resource="patients", pages=2, created=150, unchanged=50)


def progress(client: Client, run: SyncRun):
    return client.get(reverse("integrations:sync-progress", args=[run.pk]), HTTP_HX_REQUEST="true")


def words(response) -> str:
    return " ".join(response.text.split())


def test_progress_shows_counts_and_a_bar_only_where_the_total_is_known(admin_client, running):
    unknown = progress(admin_client, running)
    assert unknown.status_code == 200 and "page 2, 200 records" in words(unknown) and "<progress" not in unknown.text
    assert "Cancel sync" in unknown.text and "hx-post" in unknown.text
    SyncRun.objects.filter(pk=running.pk).update(expected_total=800)
    known = progress(admin_client, running)
    assert "200 of 800 records" in words(known) and 'value="200" max="800"' in known.text and "25%" in known.text


def test_cancel_is_posted_by_an_admin_and_the_run_then_says_who(admin_client, running, portal_admin):
    url = reverse("integrations:cancel-sync", args=[running.pk])
    asked = admin_client.post(url, HTTP_HX_REQUEST="true")
    assert asked.status_code == 200 and "Cancelling: the run stops after the page it is writing." in asked.text
    assert "Cancel sync" not in asked.text and "Cancelling after this page" in asked.text
    again = admin_client.post(url, HTTP_HX_REQUEST="true")
    assert "already ended or is being cancelled" in again.text
    # What the worker does between pages:
    SyncRun.objects.filter(pk=running.pk).update(state=SyncRun.State.CANCELLED)
    ended = progress(admin_client, running)
    assert ended.status_code == HTMX_STOP_POLLING and 'data-state="cancelled"' in ended.text
    assert f"Cancelled by {portal_admin.username}" in words(ended)
    run_page = admin_client.get(reverse("integrations:sync-run", args=[running.pk]))
    assert run_page.status_code == 200 and f"Cancelled by {portal_admin.username}" in words(run_page)
    wrapper = run_page.text.split('<div class="sync-progress"')[0].rsplit("<div", 1)[-1]
    assert "hx-get" not in wrapper, "an ended run's page does not poll"
    plain = admin_client.post(url)
    assert plain.status_code == 302 and plain["Location"] == reverse("integrations:sync-run", args=[running.pk])


def test_cancel_needs_the_admin_role_and_a_csrf_token(client, coordinator, portal_admin, running):
    url = reverse("integrations:cancel-sync", args=[running.pk])
    client.force_login(coordinator)
    assert client.post(url).status_code == 403
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(portal_admin)
    assert strict.post(url, HTTP_HX_REQUEST="true").status_code == 403
    running.refresh_from_db()
    assert running.cancel_requested_at is None


def test_the_polled_progress_asks_the_same_few_queries_in_every_state(
    admin_client, running, portal_admin, django_assert_max_num_queries
):
    for change in ({}, {"expected_total": 900}, {"state": "cancelled", "cancelled_by": portal_admin}):
        SyncRun.objects.filter(pk=running.pk).update(**change)
        with django_assert_max_num_queries(4):  # session, user, the run with its connection and canceller
            assert progress(admin_client, running).status_code in (200, HTMX_STOP_POLLING)


def test_sync_now_with_htmx_answers_the_box_polling_from_now(admin_client, running):
    response = admin_client.post(
        reverse("integrations:start-sync", args=[running.connection.pk]), {"resource": "skills"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200 and 'id="running-syncs"' in response.text
    assert 'hx-get="/integrations/runs/running/?since=' in response.text and "every 2s" in response.text
    assert "Queued; it starts when a worker picks it up." in response.text
