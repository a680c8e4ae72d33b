"""Kamana webhook events: all six types read into their typed records, with environment, object and changes.

The doc gives each event's field list but no example or envelope; the fixtures are written from those lists
and the envelope chosen in the README (`event_type`, `environment`, `object`, `changes`).
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from tests.vendors.kamana.support import fixture
from vendors.kamana.schemas import (
    CredentialingRequirementType,
    Engagement,
    EngagementExtension,
    EngagementRequirement,
    EngagementStatus,
    EngagementSubStatus,
    JobRequisition,
    JobRequisitionStatus,
    Relationship,
    RelationshipStatus,
    RequiredBeforeStatus,
    RequirementStatus,
    TalentProfile,
    UserStatus,
    WebhookAction,
    WebhookEvent,
    WebhookResource,
    WebhookUnreadable,
)

EVENTS = {
    "webhook_talent_profile_update": (WebhookResource.TALENT_PROFILE, WebhookAction.UPDATE, TalentProfile),
    "webhook_relationship_insert": (WebhookResource.RELATIONSHIP, WebhookAction.CREATE, Relationship),
    "webhook_relationship_reassignment": (WebhookResource.RELATIONSHIP, WebhookAction.REASSIGNMENT, Relationship),
    "webhook_relationship_delete": (WebhookResource.RELATIONSHIP, WebhookAction.DELETE, Relationship),
    "webhook_job_requisition_update": (WebhookResource.JOB_REQUISITION, WebhookAction.UPDATE, JobRequisition),
    "webhook_engagement_update": (WebhookResource.ENGAGEMENT, WebhookAction.UPDATE, Engagement),
    "webhook_engagement_requirement_update": (
        WebhookResource.ENGAGEMENT_REQUIREMENT,
        WebhookAction.UPDATE,
        EngagementRequirement,
    ),
    "webhook_engagement_extension_create": (
        WebhookResource.ENGAGEMENT_EXTENSION,
        WebhookAction.CREATE,
        EngagementExtension,
    ),
}


@pytest.mark.parametrize(("name", "expected"), sorted(EVENTS.items()))
def test_every_event_type_reads_cleanly(name, expected):
    resource, action, record_type = expected
    event = WebhookEvent.from_payload(fixture(name))
    assert (event.resource, event.action) == (resource, action)
    assert isinstance(event.record, record_type)
    assert event.external_id == fixture(name)["object"]["id"]
    assert event.updated_at is not None and event.updated_at.tzinfo is UTC
    assert event.warnings == ()


def test_all_six_event_types_are_covered():
    assert {resource for resource, _, _ in EVENTS.values()} == set(WebhookResource)


def test_talent_profile_event_nests_profession_specialty_and_login_and_drops_the_ssn():
    event = WebhookEvent.from_payload(fixture("webhook_talent_profile_update"))
    profile = event.record
    assert event.environment == "production"
    assert event.event_type == "talent_profile.update"
    assert event.changed_fields == ("last_name", "primary_specialty")
    assert profile.years_of_experience == 10  # sent as "10"
    assert profile.date_of_birth == date(1990, 7, 4)
    assert profile.profession is not None and profile.profession.name == "Registered Nurse"
    assert profile.primary_specialty_id == "caf275ba-4870-47f3-8685-3d42c4588950"
    assert profile.login is not None and profile.login.email == "george.login@jetson.test"
    assert profile.email == "george@jetson.test"  # the displayed address, not the login
    assert not hasattr(profile, "ssn")


def test_relationship_insert_is_a_create_with_nested_contact_and_invite():
    relationship = WebhookEvent.from_payload(fixture("webhook_relationship_insert")).record
    assert relationship.primary_contact_id == "e50e53e1-ec70-499d-978f-2812efe20165"
    assert relationship.primary_contact is not None and relationship.primary_contact.status is UserStatus.ACTIVE
    assert relationship.profile_id == "ed1e5081-62bc-4dff-9242-c202aad015ad"
    assert relationship.profile is not None and relationship.profile.last_name == "Jetson"
    assert relationship.talent_invite is not None
    assert relationship.talent_invite.invite_accepted_at == datetime(2023, 1, 19, 18, 56, tzinfo=UTC)
    assert relationship.do_not_hire is False and relationship.do_not_hire_user_id is None


def test_reassignment_changes_carry_only_the_new_contacts_id():
    event = WebhookEvent.from_payload(fixture("webhook_relationship_reassignment"))
    assert event.changes == {"primary_contact": "9c1d2e3f-4a5b-4c6d-8e7f-0a1b2c3d4e5f"}
    assert event.record.primary_contact_id == "9c1d2e3f-4a5b-4c6d-8e7f-0a1b2c3d4e5f"
    assert event.record.status is RelationshipStatus.PROSPECT
    # A profile given only partly is still read; the missing fields are simply absent.
    assert event.record.profile is not None and event.record.profile.first_name == "George"
    # The changes alone, read as a record, give the related id too (what "only includes id" means).
    changed = Relationship.from_payload({"id": event.external_id, **event.changes})
    assert changed.primary_contact_id == "9c1d2e3f-4a5b-4c6d-8e7f-0a1b2c3d4e5f" and changed.primary_contact is None


def test_relationship_delete_with_null_changes():
    event = WebhookEvent.from_payload(fixture("webhook_relationship_delete"))
    assert event.environment == "sandbox" and event.changes == {} and event.changed_fields == ()
    assert event.record.do_not_hire is True
    assert event.record.do_not_hire_user_id == "e50e53e1-ec70-499d-978f-2812efe20165"


def test_job_requisition_event_reads_client_location_and_predicate_keys():
    event = WebhookEvent.from_payload(fixture("webhook_job_requisition_update"))
    requisition = event.record
    assert requisition.status is JobRequisitionStatus.CLOSED  # the event writes "Closed"
    assert requisition.facility_id == "54f64447-e58b-4b03-b5f2-cf6c0a1e22a3"
    assert requisition.facility is not None and requisition.facility.time_zone == "America/New_York"
    assert requisition.facility.province is not None and requisition.facility.province.country == "US"
    assert requisition.asap is False and requisition.compact_license is True
    assert (requisition.shift_start_time, requisition.shift_end_time) == (19, 7)  # a night shift
    assert requisition.regular_hourly_rate == Decimal("62.50")
    assert requisition.creator is not None and requisition.creator.email == "recruiter@agency.test"
    assert requisition.profession is not None and requisition.specialty is not None
    assert event.changed_fields == ("status", "number_of_openings")


def test_engagement_event_nests_contract_location_relationship_and_requirements():
    engagement = WebhookEvent.from_payload(fixture("webhook_engagement_update")).record
    assert engagement.status is EngagementStatus.COMPLETE
    assert engagement.sub_status is EngagementSubStatus.ASSIGNMENT_COMPLETE
    assert engagement.status_reason == "Contract ended on schedule"
    assert engagement.subscriber_ids == (
        "10279153-b3d8-4a01-9a48-516ae6b4991c",
        "e50e53e1-ec70-499d-978f-2812efe20165",
    )
    assert engagement.facility_id == "54f64447-e58b-4b03-b5f2-cf6c0a1e22a3"
    assert engagement.facility is not None and engagement.facility.province is None
    assert engagement.client_contract is not None and engagement.client_contract.name == "Orlando Health 2022 MSA"
    assert engagement.client_contract.client_id == "070215f4-1e03-4c59-9034-88fdc41fd445"
    assert engagement.relationship is not None and engagement.relationship.status is RelationshipStatus.ENGAGED
    assert engagement.relationship.profile is not None
    assert engagement.job_requisition is not None and engagement.job_requisition.status is JobRequisitionStatus.OPEN
    assert [requirement.status for requirement in engagement.requirements] == [RequirementStatus.VERIFIED]


def test_requirement_event_reads_its_snapshots():
    requirement = WebhookEvent.from_payload(fixture("webhook_engagement_requirement_update")).record
    assert requirement.status is RequirementStatus.MAPPED
    assert requirement.requirement_type is CredentialingRequirementType.LICENSE
    assert requirement.required_before_status is RequiredBeforeStatus.CREDENTIALING
    assert requirement.employer_only is False  # sent as "employer_only?"
    assert requirement.talent_instructions == "Upload both sides of the license card."
    assert requirement.expires_on == date(2025, 1, 31)


def test_extension_event():
    extension = WebhookEvent.from_payload(fixture("webhook_engagement_extension_create")).record
    assert (extension.starts_on, extension.ends_on) == (date(2022, 2, 22), date(2022, 2, 28))
    assert extension.engagement_id == "ed1e5081-62bc-4dff-9242-c202aad015ad"


def test_curly_quoted_enum_values_from_the_doc_still_read():
    event = WebhookEvent.from_payload(
        {"event_type": "engagement.update", "object": {"id": "e1", "status": "\u201dpending\u201d"}}
    )
    assert event.record.status is EngagementStatus.PENDING and event.environment is None


def test_event_type_spellings_are_normalised():
    payload = {"event": "Engagement_Extension.deleted", "object": {"id": "x1"}}
    event = WebhookEvent.from_payload(payload)
    assert (event.resource, event.action) == (WebhookResource.ENGAGEMENT_EXTENSION, WebhookAction.DELETE)
    assert event.event_type == "engagement_extension.delete"


def test_bad_values_in_an_event_are_warnings_not_failures():
    payload = {
        "event_type": "engagement.update",
        "object": {"id": "e1", "status": "on_fire", "starts_on": "soon", "subscriber_ids": [None, "u1"]},
        "changes": ["status"],
    }
    event = WebhookEvent.from_payload(payload)
    assert event.record.status is None and event.record.starts_on is None
    assert event.record.subscriber_ids == ("u1",)
    assert event.changes == {}
    assert len(event.warnings) == 4


@pytest.mark.parametrize(
    "payload",
    [
        "not json object",
        {"object": {"id": "1"}},
        {"event_type": "invoice.update", "object": {"id": "1"}},
        {"event_type": "engagement.archive", "object": {"id": "1"}},
        {"event_type": "engagement.update"},
        {"event_type": "engagement.update", "object": {"status": "pending"}},
    ],
    ids=["not an object", "no type", "unknown resource", "unknown action", "no object", "object without id"],
)
def test_unreadable_deliveries_are_refused(payload):
    with pytest.raises(ValueError, match="Kamana"):
        WebhookEvent.from_payload(payload)
    if isinstance(payload, dict) and "object" in payload and "id" in payload["object"]:
        with pytest.raises(WebhookUnreadable):
            WebhookEvent.from_payload(payload)
