"""The Kamana sandbox itself: 50,000 requisitions for the sync benchmark, the world moving on a tick, and its
webhooks delivered over real HTTP to the portal's URL for the connection."""

from __future__ import annotations

import datetime as dt

import httpx
import pytest
import time_machine

from portal.integrations import inbox
from portal.integrations.models import WebhookEvent
from tests.support.processes import wait_until
from tests.vendors.kamana.conftest import sent_webhooks
from vendors.kamana.paths import request_headers
from vendors.kamana.sandbox import SANDBOX_TOKEN, KamanaSandbox


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


# -- issue 24: the writes the portal makes, and the doc's errors for them ----------------------------------------
def _call(server, method: str, path: str, body: dict | None = None) -> httpx.Response:
    headers = request_headers(SANDBOX_TOKEN, sends_body=body is not None)
    return httpx.request(method, f"{server.vendor_url('kamana')}{path}", headers=headers, json=body)


def _pointers(response: httpx.Response) -> list[str]:
    return [error["source"]["pointer"] for error in response.json()["errors"]]


def test_unknown_ids_answer_404_as_jsonapi_errors(kamana_server, vendor):
    client_id = next(iter(vendor.world.clients))
    for method, path in (
        ("POST", "/clients/nope/contacts"),
        ("PATCH", f"/clients/{client_id}/contacts/nope"),
        ("DELETE", f"/clients/{client_id}/contacts/nope"),
        ("PUT", "/facilities/nope"),
        ("DELETE", "/facilities/nope"),
    ):
        response = _call(kamana_server, method, path, {"first_name": "x"} if method != "DELETE" else None)
        assert response.status_code == 404, (method, path)
        assert response.json()["errors"][0]["status"] == "404"


def test_refused_bodies_answer_422_with_a_pointer_per_problem(kamana_server, vendor):
    response = _call(kamana_server, "POST", "/clients", {"account_id": "someone-else", "name": "L", "type": "msp"})
    assert (response.status_code, _pointers(response)) == (422, ["/account_id"])
    response = _call(kamana_server, "POST", "/clients", {"account_id": vendor.world.account_id, "type": "hospital"})
    assert response.status_code == 422 and set(_pointers(response)) == {"/name", "/type"}
    client_id = next(iter(vendor.world.clients))
    response = _call(kamana_server, "POST", f"/clients/{client_id}/contacts", {"first_name": "Dana"})
    assert set(_pointers(response)) == {"/last_name", "/email", "/phone_number"}
    facility_id = next(iter(vendor.world.facilities))
    response = _call(kamana_server, "PUT", f"/facilities/{facility_id}", {"province_id": "nowhere"})
    assert (response.status_code, _pointers(response)) == (422, ["/province_id"])


def test_a_linked_facility_is_refused_and_a_custom_one_deleted(kamana_server, vendor):
    linked = next(fid for fid, f in vendor.world.facilities.items() if f["static_id"])
    response = _call(kamana_server, "DELETE", f"/facilities/{linked}")
    assert (response.status_code, _pointers(response)) == (422, ["/static_id"])
    assert linked in vendor.world.facilities
    vendor.world.facilities[linked]["static_id"] = None
    assert _call(kamana_server, "DELETE", f"/facilities/{linked}").status_code == 200
    assert linked not in vendor.world.facilities


def test_a_relationship_by_an_unknown_email_points_at_the_email(kamana_server, vendor):
    path = f"/accounts/{vendor.world.account_id}/relationships"
    user = next(iter(vendor.world.users))
    body = {"talent_profile_email": "nobody@elsewhere.test", "primary_contact_user_id": user}
    response = _call(kamana_server, "POST", path, body)
    assert (response.status_code, _pointers(response)) == (422, ["/talent_profile_email"])
    profile_id = next(iter(vendor.world.profiles))
    vendor.world.relationships.clear()
    first = _call(kamana_server, "POST", path, {"talent_profile_id": profile_id, "primary_contact_user_id": user})
    again = _call(kamana_server, "POST", path, {"talent_profile_id": profile_id, "primary_contact_user_id": user})
    assert first.json()["data"]["id"] == again.json()["data"]["id"], "one relationship per account and profile"
    assert len(vendor.world.relationships) == 1
