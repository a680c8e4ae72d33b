"""Kamana webhook event -> portal action, for the six event types (doc "Webhooks").

Kamana sends the whole object in every event, so a record's state is the newest object received, and a delete
is a tombstone. No event is compared with the row alone: under the record's lock the handler takes every stored
event of the record on this connection (`subject` "<resource>:<id>"), applies the newest non-delete one through
the sync's diff (`apply_page`, one record long) and archives the row if a delete is at least as new. Order:
`updated_at`, ties by the body's SHA-256 (never arrival); a delete wins a tie with an update. So any arrival
order, duplicate or redelivery gives the same row (issue 14). Every lookup is scoped to the connection. Records
an event names but the portal lacks are fetched (engagements) or taken from its nested objects.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.db.models import Q
from django.utils import timezone

from portal.integrations.errors import NotFound
from vendors.kamana import mapping, schemas
from vendors.kamana.resources import included_records, link, read_included
from vendors.kamana.schemas import WebhookAction, WebhookResource

if TYPE_CHECKING:
    from django.db.models import Model

    from portal.integrations.inbox import StoredEvent
    from portal.integrations.models import VendorConnection, WebhookEvent
    from portal.integrations.sync import PageCounts

__all__ = ["event_subject", "handle_event"]

MODELS = {
    WebhookResource.TALENT_PROFILE: "talent.TalentReference",
    WebhookResource.RELATIONSHIP: "talent.AccountRelationship",
    WebhookResource.JOB_REQUISITION: "jobs.JobRequisition",
    WebhookResource.ENGAGEMENT: "contracts.Engagement",
    WebhookResource.ENGAGEMENT_REQUIREMENT: "contracts.CredentialingRequirement",
    WebhookResource.ENGAGEMENT_EXTENSION: "contracts.EngagementExtension",
}


def event_subject(event: schemas.WebhookEvent) -> str:
    """What the inbox files the event under (`WebhookInfo.subject`): the record it carries."""
    return f"{event.resource}:{event.external_id}"


def handle_event(connection: VendorConnection, stored: WebhookEvent) -> str:
    from portal.integrations.inbox import events_of_subject, stored_body

    payload, event = stored.payload, stored.info.event  # read once by the inbox
    model = apps.get_model(MODELS[event.resource])
    # The record's lock, taken before its events are read: folds of one record run one at a time, and the last
    # one sees every event committed before it. A record not yet stored is guarded by its unique key instead.
    list(model.objects.select_for_update().filter(connection=connection, external_id=event.external_id))
    history = events_of_subject(stored, event_subject(event))
    updates = [row for row in history if not _is_delete(row)]
    deletes = [row for row in history if _is_delete(row)]
    newest = max(updates, key=_order) if updates else None
    delete = max(deletes, key=_order) if deletes else None
    deleted = delete is not None and (newest is None or _deletes(delete, newest))
    counts = None
    if newest is not None:
        newest_payload = payload if newest.pk == stored.pk else json.loads(stored_body(newest.pk))
        newest_event = event if newest.pk == stored.pk else schemas.WebhookEvent.from_payload(newest_payload)
        counts = _apply_newest(connection, newest_event, dict(newest_payload.get("object") or {}), deleted)
    archived = deleted and _archive(model, connection, event.external_id, delete)
    return _outcome(event, counts, archived)


def _is_delete(row: StoredEvent) -> bool:
    return row.event_type.endswith(f".{WebhookAction.DELETE}")


_EARLIEST = dt.datetime.min.replace(tzinfo=dt.UTC)


def _order(row: StoredEvent) -> tuple:
    """Kamana's `updated_at`, then the body's hash: a total order that never depends on arrival."""
    return (row.occurred_at or _EARLIEST, row.dedupe_key)


def _deletes(delete: StoredEvent, update: StoredEvent) -> bool:
    """A delete hides every state no newer than itself; one without a time is final."""
    return delete.occurred_at is None or (update.occurred_at or _EARLIEST) <= delete.occurred_at


def _apply_newest(
    connection: VendorConnection, event: schemas.WebhookEvent, raw: dict[str, Any], deleted: bool
) -> PageCounts:
    """The newest object of the record, applied as a one-record sync page with what it nests."""
    record = event.record
    if event.resource == WebhookResource.TALENT_PROFILE:
        return _talent_profile(connection, event, raw)
    _store_nested(connection, raw)
    if event.resource == WebhookResource.RELATIONSHIP:
        _profile_of(connection, record.profile, record.updated_at)
    elif event.resource == WebhookResource.ENGAGEMENT and record.relationship is not None:
        _profile_of(connection, record.relationship.profile, record.updated_at)
    elif event.resource in (WebhookResource.ENGAGEMENT_REQUIREMENT, WebhookResource.ENGAGEMENT_EXTENSION):
        _ensure_engagement(connection, record.engagement_id)
    return _apply(connection, event, raw, deleted)


def _outcome(event: schemas.WebhookEvent, counts: PageCounts | None, archived: bool) -> str:
    verb = event.event_type
    if event.action == WebhookAction.DELETE:
        return f"{verb}: archived" if archived else f"{verb}: nothing to archive"
    late = ", then archived: a delete at least as new was received" if archived else ""
    if counts is not None and counts.created:
        return f"{verb}: created{late}"
    if counts is not None and counts.updated:
        return f"{verb}: applied{late}"
    return f"{verb}: older than the stored state or already applied, ignored"


BUILDERS = {
    WebhookResource.RELATIONSHIP: mapping.relationship_record,
    WebhookResource.JOB_REQUISITION: mapping.job_requisition_record,
    WebhookResource.ENGAGEMENT: mapping.engagement_record,
    WebhookResource.ENGAGEMENT_REQUIREMENT: mapping.requirement_record,
    WebhookResource.ENGAGEMENT_EXTENSION: mapping.extension_record,
}


def _apply(connection: VendorConnection, event: schemas.WebhookEvent, raw: dict[str, Any], deleted: bool) -> PageCounts:
    """`apply_page` writes only changed mapped fields; the vendor's time and raw object still follow the newest
    event, so a later fold compares against the right state. A deleted record already holding this state stays
    archived untouched (`apply_page` would revive it only for `_archive` to bury it again)."""
    from portal.integrations.sync import PageCounts, apply_page, fingerprint

    model = apps.get_model(MODELS[event.resource])
    mapped = BUILDERS[event.resource](event.record, raw, link(connection, [event.record]))
    rows = model.objects.filter(connection=connection, external_id=mapped.external_id)
    if deleted and rows.filter(archived_at__isnull=False, vendor_fingerprint=fingerprint(mapped.fields)).exists():
        counts = PageCounts(unchanged=1)
    else:
        counts = apply_page(model, connection, [mapped])
    if counts.unchanged and mapped.vendor_updated_at is not None:
        rows.filter(Q(vendor_updated_at__isnull=True) | Q(vendor_updated_at__lte=mapped.vendor_updated_at)).exclude(
            vendor_updated_at=mapped.vendor_updated_at, vendor_data=mapped.vendor_data
        ).update(vendor_updated_at=mapped.vendor_updated_at, vendor_data=mapped.vendor_data)
    return counts


def _store_nested(connection: VendorConnection, raw: dict[str, Any]) -> None:
    """A job requisition or engagement event nests its facility (`client_location`) with its province: stored by
    the sync's writer as a page's included records are."""
    from portal.integrations.sync import store_included

    location = raw.get("client_location")
    if not isinstance(location, dict) or not location.get("id"):
        return
    included: dict[tuple[str, str], Any] = {("facility", str(location["id"])): location}
    province = location.get("province")
    if isinstance(province, dict) and province.get("id"):
        included[("province", str(province["id"]))] = province
    store_included(connection, included_records(connection, read_included(included)))


def _profile_of(connection: VendorConnection, profile: schemas.TalentProfile | None, at: Any) -> None:
    """The person a relationship or engagement names, matched or created from the nested profile."""
    from portal.talent.models import TalentReference
    from portal.talent.services import match_or_create_profile

    if profile is None or TalentReference.objects.filter(connection=connection, external_id=profile.id).exists():
        return
    match_or_create_profile(
        connection=connection, vendor_updated_at=profile.updated_at or at, **mapping.talent_profile_fields(profile)
    )


def _talent_profile(connection: VendorConnection, event: schemas.WebhookEvent, raw: dict[str, Any]) -> PageCounts:
    """The person's reference takes only a newer payload (`match_or_create_profile`); local fields a coordinator
    or another vendor filled are left alone."""
    from portal.integrations.sync import PageCounts
    from portal.talent.services import match_or_create_profile

    profile = event.record
    match_or_create_profile(
        connection=connection,
        vendor_updated_at=profile.updated_at,
        vendor_data=raw,
        **mapping.talent_profile_fields(profile),
    )
    return PageCounts(updated=1)


def _ensure_engagement(connection: VendorConnection, engagement_id: str | None) -> None:
    """Requirement and extension events name an engagement; one the portal lacks is read from Kamana (there is
    no engagement list to sync it from)."""
    from portal.contracts.models import Engagement
    from portal.integrations.registry import get_provider
    from portal.integrations.sync import apply_page
    from vendors.kamana.client import KamanaClient

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


def _archive(model: type[Model], connection: VendorConnection, external_id: str, delete: StoredEvent) -> bool:
    """Archive (never destroy) the row unless it holds a state newer than the delete (a sync may have seen one).
    The row keeps the time of the state it shows; the tombstone is the stored delete event itself."""
    rows = model.objects.filter(connection=connection, external_id=external_id, archived_at=None)
    if delete.occurred_at is not None:
        rows = rows.filter(Q(vendor_updated_at__isnull=True) | Q(vendor_updated_at__lte=delete.occurred_at))
    return rows.update(archived_at=timezone.now()) > 0
