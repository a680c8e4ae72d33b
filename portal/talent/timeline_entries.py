"""What the talent app adds to a person's timeline: CareerBuilder-style statuses and relationship status moves."""

from __future__ import annotations

from collections.abc import Iterator

from portal.talent.models import AccountRelationship, CandidateStatus, TalentProfile
from portal.talent.timeline import StatusRecord, TimelineEntry, TimelineQuery, source_of

__all__ = ["candidate_statuses", "relationship_statuses"]


def candidate_statuses(profile: TalentProfile, query: TimelineQuery) -> Iterator[TimelineEntry]:
    statuses = query.vendor(CandidateStatus.objects.filter(profile=profile).select_related("connection"))
    if query.requisition:
        statuses = statuses.filter(requisition_id=query.requisition)
    for status in query.window(statuses, "status_date"):
        where = f" — {status.requisition_title or status.requisition_id}" if status.requisition_id else ""
        yield TimelineEntry(
            status.status_date,
            *source_of(status.connection),
            kind=f"{status.status_level}-status",
            title=f"{status.get_status_level_display()} status: {status.status}{where}",
            detail=status.status_detail,
            requisition_id=status.requisition_id,
        )


def relationship_statuses(profile: TalentProfile, query: TimelineQuery) -> Iterator[StatusRecord]:
    if query.requisition:  # a relationship is with an account, not with a requisition
        return
    relationships = query.vendor(AccountRelationship.objects.filter(profile=profile).select_related("connection"))
    for relationship in relationships:
        # A vendor's relationship is with the connection's own account, which the entry's source already names
        # (a Kamana account id is a bare UUID); one the portal keeps says which account it is with.
        title = "Relationship" if relationship.connection else f"Account {relationship.account_ref or 'relationship'}"
        yield StatusRecord(
            relationship,
            kind="relationship",
            title=title,
            changed_at=relationship.status_changed_at or relationship.updated_at,
            reasons=(relationship.sub_status, relationship.status_reason),
        )
