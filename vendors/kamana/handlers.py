"""Kamana webhook event -> portal action, for the six event types (doc "Webhooks").

Every create, update or reassignment goes through the same diff as a sync (`apply_page`), one record long: a
delivery whose `updated_at` is older than the stored row's changes nothing, a repeat of the same state writes
nothing, so deliveries apply once and in `updated_at` order whatever order they arrive in. A delete archives the
row (never destroys it) and stamps it with the receipt time: the deletion happened after the object's last
`updated_at`, so a late update of the deleted object cannot bring it back. Records an event names but the portal
lacks are fetched (engagements) or taken from the event's nested objects (facilities, provinces, profiles).
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.db.models import Q
from django.utils import timezone

from vendors.base.errors import NotFound
from vendors.kamana import mapping, schemas
from vendors.kamana.resources import link, read_included, store_included
from vendors.kamana.schemas import WebhookAction, WebhookResource

if TYPE_CHECKING:
    from portal.integrations.models import VendorConnection, WebhookEvent

__all__ = ["handle_event"]

MODELS = {
    WebhookResource.TALENT_PROFILE: "talent.TalentReference",
    WebhookResource.RELATIONSHIP: "talent.AccountRelationship",
    WebhookResource.JOB_REQUISITION: "jobs.JobRequisition",
    WebhookResource.ENGAGEMENT: "contracts.Engagement",
    WebhookResource.ENGAGEMENT_REQUIREMENT: "contracts.CredentialingRequirement",
    WebhookResource.ENGAGEMENT_EXTENSION: "contracts.EngagementExtension",
}


def handle_event(connection: VendorConnection, stored: WebhookEvent) -> str:
    event = schemas.WebhookEvent.from_payload(json.loads(stored.body))
    if event.action == WebhookAction.DELETE:
        return _archive(connection, event)
    record, raw = event.record, _event_object(stored)
    if event.resource == WebhookResource.TALENT_PROFILE:
        return _talent_profile(connection, event, raw)
    _store_nested(connection, raw)
    if event.resource == WebhookResource.RELATIONSHIP:
        _profile_of(connection, record.profile, record.updated_at)
    elif event.resource == WebhookResource.ENGAGEMENT and record.relationship is not None:
        _profile_of(connection, record.relationship.profile, record.updated_at)
    elif event.resource in (WebhookResource.ENGAGEMENT_REQUIREMENT, WebhookResource.ENGAGEMENT_EXTENSION):
        _ensure_engagement(connection, record.engagement_id)
    return _apply(connection, event, raw)


def _event_object(stored: WebhookEvent) -> dict[str, Any]:
    return dict(json.loads(stored.body).get("object") or {})


BUILDERS = {
    WebhookResource.RELATIONSHIP: mapping.relationship_record,
    WebhookResource.JOB_REQUISITION: mapping.job_requisition_record,
    WebhookResource.ENGAGEMENT: mapping.engagement_record,
    WebhookResource.ENGAGEMENT_REQUIREMENT: mapping.requirement_record,
    WebhookResource.ENGAGEMENT_EXTENSION: mapping.extension_record,
}


def _apply(connection: VendorConnection, event: schemas.WebhookEvent, raw: dict[str, Any]) -> str:
    from portal.integrations.sync import apply_page

    links = link(connection, [event.record])
    mapped = BUILDERS[event.resource](event.record, raw, links)
    counts = apply_page(apps.get_model(MODELS[event.resource]), connection, [mapped])
    verb = event.event_type
    if counts.created:
        return f"{verb}: created"
    if counts.updated:
        return f"{verb}: applied"
    return f"{verb}: older than the stored state or already applied, ignored"


def _store_nested(connection: VendorConnection, raw: dict[str, Any]) -> None:
    """A job requisition or engagement event nests its facility (`client_location`) with its province."""
    location = raw.get("client_location")
    if not isinstance(location, dict) or not location.get("id"):
        return
    included: dict[tuple[str, str], Any] = {("facility", str(location["id"])): location}
    province = location.get("province")
    if isinstance(province, dict) and province.get("id"):
        included[("province", str(province["id"]))] = province
    store_included(connection, read_included(included))


def _profile_of(connection: VendorConnection, profile: schemas.TalentProfile | None, at: Any) -> None:
    """The person a relationship or engagement names, matched or created from the nested profile."""
    from portal.talent.models import TalentReference
    from portal.talent.services import match_or_create_profile

    if profile is None or TalentReference.objects.filter(connection=connection, external_id=profile.id).exists():
        return
    match_or_create_profile(
        connection=connection, vendor_updated_at=profile.updated_at or at, **mapping.talent_profile_fields(profile)
    )


def _talent_profile(connection: VendorConnection, event: schemas.WebhookEvent, raw: dict[str, Any]) -> str:
    """The person's reference takes only a newer payload (`match_or_create_profile`); local fields a coordinator
    or another vendor filled are left alone."""
    from portal.talent.services import match_or_create_profile

    profile = event.record
    match_or_create_profile(
        connection=connection,
        vendor_updated_at=profile.updated_at,
        vendor_data=raw,
        **mapping.talent_profile_fields(profile),
    )
    return f"{event.event_type}: applied"


def _ensure_engagement(connection: VendorConnection, engagement_id: str | None) -> None:
    """Requirement and extension events name an engagement; one the portal lacks is read from Kamana (there is
    no engagement list to sync it from)."""
    from portal.contracts.models import Engagement
    from portal.integrations.sync import apply_page
    from vendors.kamana.client import KamanaClient
    from vendors.registry import get_provider

    if not engagement_id or Engagement.objects.filter(connection=connection, external_id=engagement_id).exists():
        return
    try:
        body = KamanaClient(get_provider(connection.vendor).client(connection)).document(
            "engagements.show", engagement_id=engagement_id
        )
    except NotFound:
        return
    engagement = schemas.read_single(body, schemas.Engagement.from_payload)
    mapped = mapping.engagement_record(engagement, body["data"], link(connection, [engagement]))
    apply_page(Engagement, connection, [mapped])


def _archive(connection: VendorConnection, event: schemas.WebhookEvent) -> str:
    model = apps.get_model(MODELS[event.resource])
    at = event.updated_at
    rows = model.objects.filter(connection=connection, external_id=event.external_id, archived_at=None)
    if at is not None:
        rows = rows.filter(Q(vendor_updated_at__isnull=True) | Q(vendor_updated_at__lte=at))
    now = timezone.now()
    archived = rows.update(archived_at=now, vendor_updated_at=now)
    return f"{event.event_type}: archived" if archived else f"{event.event_type}: nothing to archive"
