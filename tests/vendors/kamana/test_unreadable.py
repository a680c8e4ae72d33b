"""Issue 14, items 3 and 4 on Kamana's webhook path: an engagement echo from the sandbox carrying a malformed date
keeps the known start date, marks the engagement, keeps the warning on the inbox row, and the engagement's page,
the inbox and the API show it."""

from __future__ import annotations

import logging

import pytest
from django.urls import reverse

from portal.contracts.models import Engagement
from portal.integrations.models import WebhookEvent
from portal.integrations.sync import run_sync
from portal.talent.models import TalentReference
from tests.vendors.kamana.conftest import deliver, sent_webhooks
from tests.vendors.kamana.test_handlers import new_person, sandbox_call

pytestmark = pytest.mark.django_db


@pytest.fixture
def synced(kamana):
    for name in ("professions", "specialties", "facilities", "job_requisitions"):
        run_sync(kamana, name)
    return kamana


@pytest.fixture
def engagement(client, synced, api, vendor) -> Engagement:
    _, relationship = new_person(api, vendor, client, synced)
    body = {"relationship_id": relationship.id, "job_requisition_id": vendor.world.requisition_order()[0]}
    engagement_id = sandbox_call(api, "POST", "/_sandbox/engagements", body)["data"]["id"]
    assert deliver(client, synced, sent_webhooks(vendor.server)[-1]).outcome == "engagement.create: created"
    return Engagement.objects.get(connection=synced, external_id=engagement_id)


def test_an_engagement_echo_with_a_malformed_date_keeps_the_known_date(client, synced, api, vendor, engagement, caplog):
    known = engagement.starts_on
    assert known is not None
    sandbox_call(
        api,
        "POST",
        f"/_sandbox/engagements/{engagement.external_id}",
        {"starts_on": "2026-02-30", "hours_per_week": 40},
    )
    echo = sent_webhooks(vendor.server)[-1]
    assert echo["event_type"] == "engagement.update" and echo["object"]["starts_on"] == "2026-02-30"
    with caplog.at_level(logging.WARNING, logger="portal.core.vendor_problems"):
        event = deliver(client, synced, echo)

    assert (event.state, event.outcome) == (WebhookEvent.State.PROCESSED, "engagement.update: applied")
    engagement.refresh_from_db()
    assert engagement.hours_per_week == 40, "what could be read is applied"
    assert engagement.starts_on == known, "the malformed date did not erase the known one"
    problem = engagement.vendor_problems["starts_on"]
    assert problem["raw"] == "'2026-02-30'" and problem["source"] == f"webhook {event.pk} engagement.update"
    (entry,) = event.warnings
    assert (entry["model"], entry["pk"], list(entry["problems"])) == (
        "contracts.engagement",
        engagement.pk,
        ["starts_on"],
    )
    assert any(engagement.external_id in record.getMessage() for record in caplog.records), "logged"

    # A redelivery of the same echo is a duplicate and changes nothing.
    assert deliver(client, synced, echo).state == WebhookEvent.State.DUPLICATE
    engagement.refresh_from_db()
    assert engagement.starts_on == known


def test_the_notice_the_inbox_row_and_the_api_show_it(client, synced, api, vendor, engagement, make_user):
    from portal.core.roles import Role

    sandbox_call(api, "POST", f"/_sandbox/engagements/{engagement.external_id}", {"ends_on": "next spring"})
    event = deliver(client, synced, sent_webhooks(vendor.server)[-1])
    client.force_login(make_user("admin1", Role.ADMIN))

    page = client.get(reverse("contracts:engagement", args=[engagement.pk])).content.decode()
    assert "had values the portal could not read" in page and "next spring" in page
    inbox = client.get(reverse("integrations:webhooks")).content.decode()
    assert f'id="webhook-{event.pk}"' in inbox and "Unreadable values" in inbox and "ends_on" in inbox
    body = client.get(f"/api/v1/engagements/{engagement.pk}/").json()
    assert body["vendor_problems"]["ends_on"]["raw"] == "'next spring'"

    sandbox_call(api, "POST", f"/_sandbox/engagements/{engagement.external_id}", {"ends_on": "2027-05-31"})
    deliver(client, synced, sent_webhooks(vendor.server)[-1])
    engagement.refresh_from_db()
    assert engagement.vendor_problems == {} and engagement.ends_on.isoformat() == "2027-05-31"
    page = client.get(reverse("contracts:engagement", args=[engagement.pk])).content.decode()
    assert "had values the portal could not read" not in page, "the notice goes with the problem"


def test_a_profile_echo_with_an_unreadable_email_keeps_the_reference_address(client, kamana, api, vendor):
    profile, _ = new_person(api, vendor, client, kamana)
    reference = TalentReference.objects.get(connection=kamana, external_id=profile.id)
    assert reference.email == "ada@talent.test"
    created = next(p for p in sent_webhooks(vendor.server) if p["object"].get("id") == profile.id)
    echo = {
        **created,
        "event_type": created["event_type"].replace(".create", ".update"),
        "object": {**created["object"], "email": ["ada@talent.test"], "updated_at": "2030-01-01T00:00:00"},
    }
    event = deliver(client, kamana, echo)
    reference.refresh_from_db()
    assert reference.email == "ada@talent.test", "an unreadable address never erases the known one"
    assert list(reference.vendor_problems) == ["email"] and event.warnings[0]["problems"]["email"]["raw"]
