"""Issue 17: "Sync now" showed *queued*, then "No sync is running." until a reload. The overview's running-syncs
box now polls from the moment a sync is queued, picks the run up when it starts, and stops (286) once it ended."""

from __future__ import annotations

import datetime as dt
import time

import pytest
from django.urls import reverse

from portal.core.htmx import HTMX_STOP_POLLING
from portal.integrations.models import SyncRun, VendorConnection

pytestmark = pytest.mark.django_db

RUNNING = reverse("integrations:running-syncs")


@pytest.fixture
def admin_client(client, portal_admin):
    client.force_login(portal_admin)
    return client


@pytest.fixture
def alaunus(db) -> VendorConnection:
    return VendorConnection.objects.create(vendor="alaunus", name="Alaunus West", base_url="http://127.0.0.1:9/")


def test_a_queued_sync_is_waited_for_then_followed_until_it_ends(admin_client, alaunus):
    idle = admin_client.get(RUNNING, HTTP_HX_REQUEST="true")
    assert idle.status_code == HTMX_STOP_POLLING and "No sync is running." in idle.text

    queued = {"since": str(int(time.time()))}
    waiting = admin_client.get(RUNNING, queued, HTTP_HX_REQUEST="true")
    assert waiting.status_code == 200 and "Queued; it starts when a worker picks it up." in waiting.text

    run = SyncRun.objects.create(connection=alaunus, resource="payrollsusers", pages=1, created=40)  # the worker
    started = admin_client.get(RUNNING, queued, HTTP_HX_REQUEST="true")
    assert started.status_code == 200 and f'id="sync-run-{run.pk}" data-state="running"' in started.text
    assert 'Alaunus West · <span title="payrollsusers">payroll entries</span>' in started.text, "named for people"

    SyncRun.objects.filter(pk=run.pk).update(
        state="succeeded", finished_at=run.started_at + dt.timedelta(seconds=2, microseconds=345678)
    )
    ended = admin_client.get(RUNNING, queued, HTTP_HX_REQUEST="true")
    assert ended.status_code == HTMX_STOP_POLLING, "polling stops once the run ended"
    assert 'data-state="succeeded"' in ended.text and "Succeeded in 2 s:" in ended.text and "345678" not in ended.text


def test_a_run_that_never_starts_is_not_waited_for_forever(admin_client, alaunus):
    long_ago = {"since": str(int(time.time()) - 6 * 60)}
    response = admin_client.get(RUNNING, long_ago, HTTP_HX_REQUEST="true")
    assert response.status_code == HTMX_STOP_POLLING and "No sync is running." in response.text
    assert admin_client.get(RUNNING, {"since": "soon"}, HTTP_HX_REQUEST="true").status_code == HTMX_STOP_POLLING


def test_starting_a_sync_returns_to_the_overview_watching_for_it(admin_client, alaunus):
    response = admin_client.post(reverse("integrations:start-sync", args=[alaunus.pk]), {"resource": "skills"})
    assert response.status_code == 302 and response["Location"].startswith("/integrations/?since=")
    page = admin_client.get(response["Location"]).text
    assert 'id="running-syncs"' in page
    assert f'hx-get="{RUNNING}?since=' in page and "Queued; it starts when a worker picks it up." in page
    assert '<button type="submit" title="payrollsusers">Sync payroll entries</button>' in page


def test_only_admins_watch_syncs(client, coordinator):
    client.force_login(coordinator)
    assert client.get(RUNNING).status_code == 403
