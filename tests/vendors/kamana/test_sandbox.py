"""The Kamana sandbox itself: 50,000 requisitions for the sync benchmark, the world moving on a tick, and its
webhooks delivered over real HTTP to the portal's URL for the connection."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from portal.integrations import inbox
from portal.integrations.models import WebhookEvent
from tests.support.processes import wait_until
from tests.vendors.kamana.conftest import sent_webhooks
from vendors.kamana.sandbox import KamanaSandbox


def test_fifty_thousand_requisitions_seed_and_page_newest_first():
    sandbox = KamanaSandbox(seed=50_000)
    assert len(sandbox.world.requisitions) == 50_000
    order = sandbox.world.requisition_order()
    newest, oldest = sandbox.world.requisitions[order[0]], sandbox.world.requisitions[order[-1]]
    assert newest["updated_at"] > oldest["updated_at"]
    assert len({r["reference_number"] for r in sandbox.world.requisitions.values()}) == 50_000


def test_a_tick_completes_ended_engagements_and_frees_their_relationships(vendor, kamana_server):
    engagement = next(iter(vendor.world.engagements.values()))
    engagement.update(status="active", ends_on="2020-01-31")
    vendor.tick()
    events = [e["event_type"] for e in sent_webhooks(kamana_server)]
    assert events == ["engagement.update", "relationship.update"]
    relationship = vendor.world.relationships[engagement["relationship_id"]]
    assert (engagement["status"], relationship["status"]) == ("complete", "prospect")


@pytest.mark.django_db(transaction=True)
def test_webhooks_are_delivered_to_the_connection_url_and_applied(kamana, kamana_server, vendor, api, live_server):
    kamana_server.set_target("kamana", live_server.url + kamana.webhook_path)
    api.create_profile({"first_name": "Grace", "last_name": "Hopper", "email": "grace@talent.test"})
    event = wait_until(lambda: WebhookEvent.objects.first(), message="the delivery to be stored")
    assert event.event_type == "talent_profile.create"
    # Applied here, or already by the suite's Celery worker when one runs: either way exactly once.
    inbox.process_event(event.pk)
    event.refresh_from_db()
    assert (event.state, event.outcome) == ("processed", "talent_profile.create: applied")
    assert WebhookEvent.objects.count() == 1
    wait_until(lambda: kamana_server.deliveries[0].delivered, message="the 2xx to reach the sandbox")


def test_an_engagement_completes_when_its_end_day_is_over_at_its_facility_not_in_utc(vendor):
    """Issue 14 item 6, checked in every sandbox: `ends_on` is the facility's day, not the UTC day."""
    engagement = next(iter(vendor.world.engagements.values()))
    facility = vendor.world.facilities[engagement["client_location_id"]]
    facility["time_zone"] = "America/Los_Angeles"
    engagement.update(status="active", ends_on="2026-05-31")
    with time_machine.travel(dt.datetime(2026, 6, 1, 6, 0, tzinfo=dt.UTC), tick=False):  # 23:00 on 31 May in LA
        vendor.tick()
        assert engagement["status"] == "active", "the last day is not over in Los Angeles"
    with time_machine.travel(dt.datetime(2026, 6, 1, 7, 30, tzinfo=dt.UTC), tick=False):  # 00:30 on 1 June
        vendor.tick()
        assert engagement["status"] == "complete"
