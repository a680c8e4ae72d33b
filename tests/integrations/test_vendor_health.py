"""Vendor health for coordinators (issue 17, item 3): while a connection is failing (its last sync failed, or
changes for it wait after a refusal or are parked) the pages whose records come from it show a banner with the
vendor's reason and since when; it goes once the trouble is over. The nav counts changes not yet at a vendor."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.urls import reverse

from portal.integrations import health
from portal.integrations.models import OutboundRequest, SyncRun, VendorConnection

pytestmark = pytest.mark.django_db

BOARD = reverse("shifts:board")
APPROVALS = reverse("billing:approvals")
T0 = dt.datetime(2026, 3, 1, 9, 0, tzinfo=dt.UTC)


def connection(vendor: str, **fields) -> VendorConnection:
    return VendorConnection.objects.create(
        vendor=vendor, name=f"{vendor.title()} North", base_url="http://127.0.0.1:9/", credentials={}, **fields
    )


def run(conn: VendorConnection, state: str, at: dt.datetime) -> SyncRun:
    with time_machine.travel(at, tick=False):
        return SyncRun.objects.create(connection=conn, resource="shifts", state=state, error="")


def banner(client, url: str) -> str:
    """The banner's markup, and its words with the tags taken out (both, so attributes and text can be checked)."""
    page = client.get(url).content.decode()
    start = page.find('class="message error vendor-trouble"')
    if start < 0:
        return ""
    markup = " ".join(page[start : page.index("</div>", start)].split())
    return markup + " | " + " ".join(re.sub(r"<[^>]+>", "", markup.partition(">")[2]).split())


def test_a_failed_sync_shows_on_the_pages_that_depend_on_the_vendor_since_the_first_failure(coordinator_client):
    intelycare = connection("intelycare")
    run(intelycare, "succeeded", T0)
    first_failure = run(intelycare, "failed", T0 + dt.timedelta(hours=1))
    run(intelycare, "failed", T0 + dt.timedelta(hours=2))
    VendorConnection.objects.filter(pk=intelycare.pk).update(
        last_sync_status="failed", last_sync_error="IntelyCare answered 401: token expired", last_sync_at=T0
    )
    shown = banner(coordinator_client, BOARD)
    assert "IntelyCare is failing (Intelycare North): IntelyCare answered 401: token expired" in shown
    assert f'datetime="{first_failure.started_at.isoformat()}"' in shown and "last sync failed" in shown
    assert banner(coordinator_client, APPROVALS) == "", "approvals depend on Ceki, not IntelyCare"

    VendorConnection.objects.filter(pk=intelycare.pk).update(last_sync_status="ok", last_sync_error="")
    assert banner(coordinator_client, BOARD) == "", "gone once a sync succeeds"


def test_changes_waiting_after_a_refusal_show_on_the_queue_until_they_are_sent(coordinator_client):
    ceki = connection("ceki")
    with time_machine.travel(T0, tick=False):
        first = OutboundRequest.objects.create(connection=ceki, operation="approve_transactions")
    assert banner(coordinator_client, APPROVALS) == "", "not yet tried is not trouble"

    OutboundRequest.objects.filter(pk=first.pk).update(
        last_error="Service Unavailable", next_attempt_at=T0 + dt.timedelta(minutes=5), attempts=1
    )
    with time_machine.travel(T0 + dt.timedelta(minutes=3), tick=False):
        OutboundRequest.objects.create(connection=ceki, operation="pay_transactions", state="failed", last_error="503")
    shown = banner(coordinator_client, APPROVALS)
    assert "TribeIT Ceki is failing (Ceki North): 503" in shown, "the vendor's latest words"
    assert f'datetime="{T0.isoformat()}"' in shown, "since the oldest change still stuck"
    assert "have not reached" in shown
    assert banner(coordinator_client, reverse("billing:ledger")) == "", "the ledger depends on Alaunus"

    OutboundRequest.objects.filter(connection=ceki).update(state="sent", last_error="", next_attempt_at=None)
    assert banner(coordinator_client, APPROVALS) == ""


def test_an_inactive_connection_raises_no_banner(coordinator_client):
    connection("kamana", is_active=False, last_sync_status="failed", last_sync_error="gone")
    assert banner(coordinator_client, reverse("jobs:requisitions")) == ""
    assert health.troubles(("kamana",)) == []


def test_the_nav_counts_changes_not_yet_at_a_vendor(coordinator_client, django_assert_max_num_queries):
    kamana = connection("kamana")
    home = reverse("jobs:requisitions")
    assert 'id="undelivered-count"' not in coordinator_client.get(home).content.decode()
    for state in ("pending", "sending", "failed", "sent", "sent"):
        OutboundRequest.objects.create(connection=kamana, operation="update", state=state)
    page = coordinator_client.get(home).content.decode()
    assert "3 waiting to reach a vendor" in page
    OutboundRequest.objects.bulk_create(
        OutboundRequest(connection=kamana, operation="update", state="pending") for _ in range(120)
    )
    assert "99+ waiting to reach a vendor" in coordinator_client.get(home).content.decode()
    assert health.undelivered_count() == 100, "counted no further than the cap"


def test_htmx_partials_pay_nothing_for_the_banner_or_the_count(coordinator_client, django_assert_max_num_queries):
    connection("intelycare", last_sync_status="failed", last_sync_error="down")
    with django_assert_max_num_queries(50) as partial:
        coordinator_client.get(BOARD, HTTP_HX_REQUEST="true")
    with django_assert_max_num_queries(50) as full:
        coordinator_client.get(BOARD)

    def health_queries(captured) -> list[str]:
        return [q["sql"] for q in captured.captured_queries if "integrations_" in q["sql"]]

    assert health_queries(partial) == []
    count_query, banner_query = health_queries(full)  # the nav comes first
    assert "integrations_syncrun" in banner_query and "LIMIT 100" in count_query, "one query each"
