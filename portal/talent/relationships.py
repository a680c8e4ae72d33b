"""The relationships panel of a person's page: each account relationship with the state of its latest push to
the account's vendor, read in a fixed number of queries however many relationships the person has."""

from __future__ import annotations

import zoneinfo
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from portal.integrations import outbox
from portal.integrations.models import OutboundRequest
from portal.talent.models import AccountRelationship, TalentProfile

__all__ = ["current_relationships", "known_to", "relationship_rows"]

State = OutboundRequest.State
IN_FLIGHT = (State.PENDING, State.SENDING)


def _failures(relationships: list[AccountRelationship]) -> dict[int, OutboundRequest]:
    """The newest parked request of each relationship, in one query. The latest request alone would hide it:
    a later push of the same relationship waits (pending) behind a failed one until that is retried."""
    if not relationships:
        return {}
    rows = OutboundRequest.objects.filter(
        content_type=ContentType.objects.get_for_model(AccountRelationship),
        object_id__in=[str(relationship.pk) for relationship in relationships],
        state=State.FAILED,
    ).select_related("connection")
    return {int(row.object_id): row for row in rows.order_by("pk")}


def relationship_rows(relationships: list[AccountRelationship], zone: zoneinfo.ZoneInfo) -> list[AccountRelationship]:
    """Annotate each relationship for its row: the latest push (`delivery`), a parked one (`failure`), whether a
    push is under way (`in_flight`) and when the status changed on the user's clock (`changed_at`). Two queries
    for any number of relationships."""
    deliveries = outbox.delivery_states(relationships)
    failures = _failures(relationships)
    for relationship in relationships:
        relationship.delivery = deliveries.get(relationship.pk)
        relationship.failure = failures.get(relationship.pk)
        relationship.in_flight = relationship.delivery is not None and relationship.delivery.state in IN_FLIGHT
        changed_at = relationship.status_changed_at
        relationship.changed_at = timezone.localtime(changed_at, zone) if changed_at else None
    return relationships


def current_relationships(profile: TalentProfile, zone: zoneinfo.ZoneInfo) -> list[AccountRelationship]:
    """The person's relationships the vendor has not deleted (those are archived, kept only for history), by
    account so a row stays put when its status changes, ready for their rows. Three queries."""
    relationships = list(
        profile.relationships.filter(archived_at__isnull=True)
        .select_related("connection")
        .order_by("account_ref", "id")
    )
    return relationship_rows(relationships, zone)


def known_to(profile: TalentProfile) -> list[Any]:
    """Which vendors know the person, under which id (a person added to an account gains one here). One query."""
    return list(profile.references.filter(archived_at__isnull=True).select_related("connection").order_by("id"))
