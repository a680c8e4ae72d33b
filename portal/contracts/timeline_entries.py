"""What the contracts app adds to a person's timeline: engagement status moves, credentials, contracts."""

from __future__ import annotations

from collections.abc import Iterator

from django.db.models.functions import Coalesce
from django.utils import timezone

from portal.contracts.models import EXPIRY_WARNING, ContractParticipant, CredentialingRequirement, Engagement
from portal.talent.models import TalentProfile
from portal.talent.timeline import StatusRecord, TimelineEntry, TimelineQuery, source_of

__all__ = ["contracts", "credentials", "engagement_statuses"]


def engagement_statuses(profile: TalentProfile, query: TimelineQuery) -> Iterator[StatusRecord]:
    engagements = query.vendor(
        Engagement.objects.filter(talent=profile).select_related("connection", "job_requisition")
    )
    if query.requisition:
        engagements = engagements.filter(job_requisition__external_id=query.requisition)
    for engagement in engagements:
        job = engagement.job_requisition
        yield StatusRecord(
            engagement,
            kind="engagement",
            title=f"Engagement{f' on {job.name}' if job else ''}",
            changed_at=engagement.vendor_updated_at or engagement.updated_at,
            reasons=(engagement.sub_status, engagement.status_reason),
            requisition_id=job.external_id if job else "",
        )


def credentials(profile: TalentProfile, query: TimelineQuery) -> Iterator[TimelineEntry]:
    if query.requisition:
        return
    requirements = query.vendor(
        CredentialingRequirement.objects.filter(engagement__talent=profile).select_related("connection")
    )
    for requirement in query.window(requirements, "verified_at"):
        yield TimelineEntry(
            requirement.verified_at,
            *source_of(requirement.connection),
            kind="credential",
            title=f"Credential verified: {requirement.name}",
            detail=requirement.get_kind_display(),
        )
    # Expired or expiring within the warning window; later expiries are not yet news.
    horizon = timezone.now() + EXPIRY_WARNING
    for requirement in query.window(requirements.filter(expires_at__lte=horizon), "expires_at"):
        state = requirement.expiry_state()
        yield TimelineEntry(
            requirement.expires_at,
            *source_of(requirement.connection),
            kind="credential",
            title=f"Credential {'expired' if state == 'expired' else 'expires'}: {requirement.name}",
            detail=requirement.get_status_display(),
        )


def contracts(profile: TalentProfile, query: TimelineQuery) -> Iterator[TimelineEntry]:
    if query.requisition:
        return
    participations = query.vendor(
        ContractParticipant.objects.filter(talent=profile)
        .select_related("contract__connection")
        .annotate(since=Coalesce("contract__starts_at", "created_at")),
        path="contract__connection",
    )
    for participation in query.window(participations, "since"):
        contract = participation.contract
        answer = {True: "accepted", False: "declined", None: "invited"}[participation.accepted]
        yield TimelineEntry(
            participation.since,
            *source_of(contract.connection),
            kind="contract",
            title=f"Contract: {contract.label}",
            detail=f"{participation.role or 'participant'}, {answer}",
        )
