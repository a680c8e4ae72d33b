"""Kamana's six webhook event types, as its sandbox sends them on real state changes, applied to the domain:
created, updated, reassigned, deleted (archived); once per delivery and in `updated_at` order."""

from __future__ import annotations

import pytest

from portal.contracts.models import CredentialingRequirement, Engagement, EngagementExtension
from portal.integrations.models import WebhookEvent
from portal.integrations.sync import run_sync
from portal.jobs.models import JobRequisition
from portal.talent.models import AccountRelationship, TalentReference
from tests.vendors.kamana.conftest import deliver, sent_webhooks

pytestmark = pytest.mark.django_db


@pytest.fixture
def synced(kamana):
    for name in ("professions", "specialties", "facilities", "job_requisitions"):
        run_sync(kamana, name)
    return kamana


def requisition_update(api, vendor, requisition_id: str, **values):
    attrs = vendor.world.requisitions[requisition_id]
    required = {k: attrs[k] for k in ("job_type", "number_of_openings", "years_of_experience")}
    return api.update_job_requisition(requisition_id, {**required, **values})


def sandbox_call(api, method: str, path: str, body: dict | None = None):
    return api.http.request(method, path, json=body)


def new_person(api, vendor, client, connection):
    """A profile and its relationship made through the API; both events delivered."""
    profile = api.create_profile({"first_name": "Ada", "last_name": "Lovelace", "email": "Ada@Talent.test"})
    relationship = api.create_relationship(
        vendor.world.account_id, {"talent_profile_id": profile.id, "primary_contact_email": "recruiter1@agency.test"}
    )
    for payload in sent_webhooks(vendor.server)[-2:]:
        deliver(client, connection, payload)
    return profile, relationship


def test_requisition_updates_apply_once_and_in_order(client, synced, api, vendor):
    requisition_id = vendor.world.requisition_order()[-1]
    requisition_update(api, vendor, requisition_id, name="ICU days")
    requisition_update(api, vendor, requisition_id, name="ICU nights", status="closed")
    first, second = sent_webhooks(vendor.server)
    assert first["event_type"] == "job_requisition.update" and first["changes"] == {"name": "ICU days"}
    assert second["object"]["client_location"]["province"]["abbreviation"]

    assert deliver(client, synced, second).outcome == "job_requisition.update: applied"
    assert deliver(client, synced, second).state == WebhookEvent.State.DUPLICATE
    stale = deliver(client, synced, first)
    assert stale.outcome.endswith("ignored"), "the older delivery arrived last and changes nothing"
    local = JobRequisition.objects.get(external_id=requisition_id)
    assert (local.name, local.status) == ("ICU nights", "closed")
    assert local.audit_history().filter(source="webhook").count() == 1


def test_a_requisition_created_in_kamana_arrives_linked(client, synced, api, vendor):
    facility_id = next(iter(vendor.world.facilities))
    created = api.create_job_requisition(
        {
            "name": "Telemetry RN",
            "profession_id": next(iter(vendor.world.professions)),
            "specialty_id": next(iter(vendor.world.specialties)),
            "facility_id": facility_id,
            "job_type": "Per Diem",
            "number_of_openings": 2,
            "years_of_experience": 1,
            "shift_start_time": 19,
            "shift_end_time": 7,
        }
    )
    [event] = sent_webhooks(vendor.server)
    assert event["event_type"] == "job_requisition.create"
    assert deliver(client, synced, event).outcome == "job_requisition.create: created"
    local = JobRequisition.objects.select_related("facility").get(external_id=created.id)
    assert local.facility.external_id == facility_id and (local.shift_start_hour, local.shift_end_hour) == (19, 7)


def test_profile_and_relationship_events_make_one_person(client, kamana, api, vendor):
    profile, relationship = new_person(api, vendor, client, kamana)
    reference = TalentReference.objects.select_related("profile").get(external_id=profile.id)
    assert reference.profile.email == "ada@talent.test" and reference.profile.first_name == "Ada"
    local = AccountRelationship.objects.get(external_id=relationship.id)
    assert (local.profile_id, local.status, local.account_ref) == (
        reference.profile_id,
        "interested",
        vendor.world.account_id,
    )
    assert local.primary_contact_email == "recruiter1@agency.test"

    sandbox_call(api, "POST", f"/_sandbox/profiles/{profile.id}", {"phone_number": "555-0100", "last_name": "King"})
    [update] = sent_webhooks(vendor.server)[-1:]
    assert update["event_type"] == "talent_profile.update" and set(update["changes"]) == {"phone_number", "last_name"}
    deliver(client, kamana, update)
    reference.refresh_from_db()
    assert reference.vendor_data["last_name"] == "King"
    assert reference.profile.phone == "555-0100", "a blank local field is filled from Kamana"


def test_reassignment_and_delete_of_relationships(client, kamana, api, vendor):
    _, relationship = new_person(api, vendor, client, kamana)
    recruiter1, recruiter2 = list(vendor.world.users)
    theirs = sorted(rid for rid, r in vendor.world.relationships.items() if r["primary_contact_id"] == recruiter1)
    body = {"from_user_id": recruiter1, "to_user_id": recruiter2}
    sandbox_call(api, "POST", "/_sandbox/relationships/reassign", body)
    reassigned = [e for e in sent_webhooks(vendor.server) if e["event_type"] == "relationship.reassignment"]
    assert sorted(e["object"]["id"] for e in reassigned) == theirs, "one event per relationship moved"
    ours = next(e for e in reassigned if e["object"]["id"] == relationship.id)
    assert deliver(client, kamana, ours).outcome == "relationship.reassignment: applied"
    assert AccountRelationship.objects.get(external_id=relationship.id).primary_contact_ref == recruiter2

    sandbox_call(api, "DELETE", f"/_sandbox/relationships/{relationship.id}")
    deleted = sent_webhooks(vendor.server)[-1]
    assert deliver(client, kamana, deleted).outcome == "relationship.delete: archived"
    assert deliver(client, kamana, ours).state == WebhookEvent.State.DUPLICATE
    local = AccountRelationship.objects.get(external_id=relationship.id)
    assert local.archived_at is not None, "deleted in Kamana: archived here, never destroyed"


def test_an_engagement_completing_moves_the_relationship_to_prospect(client, synced, api, vendor):
    _, relationship = new_person(api, vendor, client, synced)
    requisition_id = vendor.world.requisition_order()[0]
    body = {"relationship_id": relationship.id, "job_requisition_id": requisition_id}
    engagement_id = sandbox_call(api, "POST", "/_sandbox/engagements", body)["data"]["id"]
    created = sent_webhooks(vendor.server)[-1]
    assert deliver(client, synced, created).outcome == "engagement.create: created"
    engagement = Engagement.objects.select_related("talent", "job_requisition", "facility").get(
        external_id=engagement_id
    )
    assert engagement.talent.email == "ada@talent.test"
    assert engagement.job_requisition.external_id == requisition_id
    assert engagement.facility.external_id == vendor.world.requisitions[requisition_id]["facility_id"]

    sandbox_call(
        api,
        "POST",
        f"/_sandbox/engagements/{engagement_id}",
        {"status": "complete", "sub_status": "Assignment Complete"},
    )
    engagement_update, relationship_update = sent_webhooks(vendor.server)[-2:]
    assert engagement_update["event_type"] == "engagement.update"
    assert relationship_update["event_type"] == "relationship.update"
    assert relationship_update["changes"]["status"] == "prospect"
    for payload in (engagement_update, relationship_update):
        deliver(client, synced, payload)
    engagement.refresh_from_db()
    assert (engagement.status, engagement.sub_status) == ("complete", "Assignment Complete")
    assert AccountRelationship.objects.get(external_id=relationship.id).status == "prospect"

    sandbox_call(api, "DELETE", f"/_sandbox/engagements/{engagement_id}")
    assert deliver(client, synced, sent_webhooks(vendor.server)[-1]).outcome == "engagement.delete: archived"


def test_requirement_and_extension_events_fetch_an_unknown_engagement(client, synced, api, vendor, kamana_server):
    engagement_id = next(iter(vendor.world.engagements))
    requirement_id = next(iter(vendor.world.requirements[engagement_id]))
    path = f"/_sandbox/engagements/{engagement_id}/requirements/{requirement_id}"
    sandbox_call(
        api, "POST", path, {"status": "verified", "expires_on": "2026-02-28", "expires_on_time_zone": "America/Denver"}
    )
    event = sent_webhooks(vendor.server)[-1]
    assert event["event_type"] == "engagement_requirement.update" and event["changes"]["status"] == "verified"
    assert deliver(client, synced, event).outcome == "engagement_requirement.update: created"
    assert ("kamana", "GET", f"/engagements/{engagement_id}", 200) in kamana_server.requests
    fetched = Engagement.objects.get(external_id=engagement_id)
    assert fetched.vendor_data["attributes"]["status"] == "placed", "the fetched document is kept as the raw payload"
    requirement = CredentialingRequirement.objects.get(external_id=requirement_id)
    assert requirement.status == "verified" and requirement.engagement.external_id == engagement_id
    assert requirement.expires_at.isoformat() == "2026-03-01T07:00:00+00:00", "the end of that day in Denver"

    extension = api.create_extension(engagement_id, {"starts_on": "2026-03-01", "ends_on": "2026-05-31"})
    assert deliver(client, synced, sent_webhooks(vendor.server)[-1]).outcome == "engagement_extension.create: created"
    sandbox_call(api, "DELETE", f"/_sandbox/engagements/{engagement_id}/extensions/{extension.id}")
    assert deliver(client, synced, sent_webhooks(vendor.server)[-1]).outcome == "engagement_extension.delete: archived"
    assert EngagementExtension.objects.get(external_id=extension.id).archived_at is not None


def test_an_unreadable_delivery_is_kept_as_malformed(client, kamana):
    event = deliver(client, kamana, {"event_type": "invoice.paid", "object": {"id": "x"}})
    assert event.state == WebhookEvent.State.MALFORMED
