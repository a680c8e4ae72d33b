"""One person's history across every vendor, newest first (issue 8, "Candidate timeline page").

Each source is read with one query, bounded by `limit` + 1 rows and by the keyset cursor `before` (an instant:
only entries strictly older are returned), so a page costs the same number of queries for 20 entries or 2,000.
The sources are merged in memory and cut to `limit`; `next_before` is the cursor of the following page.
A page never ends between two entries of the same instant (the cut moves up to the previous instant), so
entries that share a time are not lost between pages.

The module is vendor-neutral: an entry's source is the vendor name on the record's connection (`portal` for a
record that no vendor holds), and its label is that connection's name.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import chain

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone

from portal.contracts.models import EXPIRY_WARNING, ContractParticipant, CredentialingRequirement, Engagement
from portal.core.models import AuditEntry
from portal.integrations.models import VendorConnection
from portal.shifts.models import ShiftRequest, Visit
from portal.talent.models import AccountRelationship, CandidateStatus, TalentProfile

__all__ = ["LOCAL_SOURCE", "Timeline", "TimelineEntry", "build_timeline"]

# The source of records that no vendor holds (created in the portal and not sent anywhere).
LOCAL_SOURCE = "portal"
WORKED_SHIFTS = (ShiftRequest.Status.FILLED, ShiftRequest.Status.COMPLETED)
WORKED_VISITS = (Visit.Status.IN_PROGRESS, Visit.Status.COMPLETED)


@dataclass(frozen=True)
class TimelineEntry:
    at: dt.datetime
    source: str
    source_label: str
    kind: str
    title: str
    detail: str = ""
    requisition_id: str = ""


@dataclass(frozen=True)
class Timeline:
    entries: list[TimelineEntry]
    next_before: dt.datetime | None


def _source(connection: VendorConnection | None) -> tuple[str, str]:
    if connection is None:
        return LOCAL_SOURCE, "Portal"
    return connection.vendor, connection.name


class _Query:
    """The filters every source shares: the source (vendor), the requisition, and the keyset window."""

    def __init__(self, source: str, requisition: str, before: dt.datetime | None, limit: int) -> None:
        self.source, self.requisition, self.before, self.limit = source, requisition, before, limit

    def vendor(self, queryset: QuerySet, path: str = "connection") -> QuerySet:
        if not self.source:
            return queryset
        if self.source == LOCAL_SOURCE:
            return queryset.filter(**{f"{path}__isnull": True})
        return queryset.filter(**{f"{path}__vendor": self.source})

    def window(self, queryset: QuerySet, field: str) -> QuerySet:
        queryset = queryset.filter(**{f"{field}__isnull": False})
        if self.before is not None:
            queryset = queryset.filter(**{f"{field}__lt": self.before})
        # One row past the page: whether the merge's cut is exact depends on knowing what follows it.
        return queryset.order_by(f"-{field}", "-pk")[: self.limit + 1]


def _candidate_statuses(profile: TalentProfile, query: _Query) -> Iterator[TimelineEntry]:
    statuses = query.vendor(CandidateStatus.objects.filter(profile=profile).select_related("connection"))
    if query.requisition:
        statuses = statuses.filter(requisition_id=query.requisition)
    for status in query.window(statuses, "status_date"):
        where = f" — {status.requisition_title or status.requisition_id}" if status.requisition_id else ""
        yield TimelineEntry(
            status.status_date,
            *_source(status.connection),
            kind=f"{status.status_level}-status",
            title=f"{status.get_status_level_display()} status: {status.status}{where}",
            detail=status.status_detail,
            requisition_id=status.requisition_id,
        )


def _status_changes(profile: TalentProfile, query: _Query) -> Iterator[TimelineEntry]:
    """Relationship and engagement status moves from the audit history, with the record's current status for
    records whose history holds no move (a vendor sync may have created them with their status)."""
    relationships = query.vendor(AccountRelationship.objects.filter(profile=profile).select_related("connection"))
    engagements = query.vendor(
        Engagement.objects.filter(talent=profile).select_related("connection", "job_requisition")
    )
    if query.requisition:
        relationships = relationships.none()
        engagements = engagements.filter(job_requisition__external_id=query.requisition)
    records = {("relationship", row.pk): row for row in relationships}
    records |= {("engagement", row.pk): row for row in engagements}
    if not records:
        return
    types = ContentType.objects.get_for_models(AccountRelationship, Engagement)
    kind_of = {types[AccountRelationship].pk: "relationship", types[Engagement].pk: "engagement"}
    about = Q(pk__in=[])
    for model, kind in ((AccountRelationship, "relationship"), (Engagement, "engagement")):
        ids = [str(pk) for record_kind, pk in records if record_kind == kind]
        if ids:
            about |= Q(content_type=types[model], object_id__in=ids)
    audit = AuditEntry.objects.filter(about, changes__has_key="status")
    with_history = set()
    for entry in query.window(audit, "at"):
        key = (kind_of[entry.content_type_id], int(entry.object_id))
        with_history.add(key)
        yield _status_entry(records[key], key[0], entry.at, *entry.changes["status"], how=entry.get_source_display())
    for key, record in records.items():
        if key in with_history:
            continue
        at = record.status_changed_at if key[0] == "relationship" else record.vendor_updated_at
        at = at or record.updated_at
        if query.before is None or at < query.before:
            yield _status_entry(record, key[0], at, None, record.status, how="current status")


def _status_entry(record, kind: str, at: dt.datetime, old, new, how: str) -> TimelineEntry:
    choices = dict(type(record).Status.choices)
    move = f"{choices.get(old, old)} → {choices.get(new, new)}" if old else choices.get(new, new)
    if kind == "relationship":
        # A vendor's relationship is with the connection's own account, which the entry's source already names
        # (a Kamana account id is a bare UUID); one the portal keeps says which account it is with.
        title = (
            f"Relationship: {move}" if record.connection else f"Account {record.account_ref or 'relationship'}: {move}"
        )
        requisition = ""
    else:
        job = record.job_requisition
        title = f"Engagement{f' on {job.name}' if job else ''}: {move}"
        requisition = job.external_id if job else ""
    reason = " · ".join(part for part in (record.sub_status, record.status_reason) if part)
    detail = f"{how}{f' ({reason})' if reason and new == record.status else ''}"
    return TimelineEntry(
        at, *_source(record.connection), kind=kind, title=title, detail=detail, requisition_id=requisition
    )


def _credentials(profile: TalentProfile, query: _Query) -> Iterator[TimelineEntry]:
    if query.requisition:
        return
    requirements = query.vendor(
        CredentialingRequirement.objects.filter(engagement__talent=profile).select_related("connection")
    )
    for requirement in query.window(requirements, "verified_at"):
        yield TimelineEntry(
            requirement.verified_at,
            *_source(requirement.connection),
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
            *_source(requirement.connection),
            kind="credential",
            title=f"Credential {'expired' if state == 'expired' else 'expires'}: {requirement.name}",
            detail=requirement.get_status_display(),
        )


def _work(profile: TalentProfile, query: _Query) -> Iterator[TimelineEntry]:
    if query.requisition:
        return
    shifts = query.vendor(
        ShiftRequest.objects.filter(assigned_professional=profile, status__in=WORKED_SHIFTS).select_related(
            "connection", "facility"
        )
    )
    for shift in query.window(shifts, "starts_at"):
        yield TimelineEntry(
            shift.starts_at,
            *_source(shift.connection),
            kind="shift",
            title=f"Shift {shift.get_status_display().lower()}: {shift.get_professional_type_display()}, "
            f"{shift.facility.name}",
            detail=f"{shift.unit}, {(shift.ends_at - shift.starts_at).total_seconds() / 3600:g} hours",
        )
    visits = query.vendor(
        Visit.objects.filter(caregiver=profile, status__in=WORKED_VISITS).select_related("connection")
    )
    for visit in query.window(visits, "starts_at"):
        yield TimelineEntry(
            visit.starts_at,
            *_source(visit.connection),
            kind="visit",
            title=f"Visit {visit.get_status_display().lower()}: {visit.service_name or 'home care'}",
            detail=visit.address,
        )


def _contracts(profile: TalentProfile, query: _Query) -> Iterator[TimelineEntry]:
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
            *_source(contract.connection),
            kind="contract",
            title=f"Contract: {contract.label}",
            detail=f"{participation.role or 'participant'}, {answer}",
        )


SOURCES = (_candidate_statuses, _status_changes, _credentials, _work, _contracts)


def build_timeline(
    profile: TalentProfile,
    *,
    source: str = "",
    requisition: str = "",
    before: dt.datetime | None = None,
    limit: int = 50,
) -> Timeline:
    """The newest `limit` entries older than `before`, filtered by source (vendor name or `portal`) and
    requisition id. Queries: one per source, whatever the size of the person's history."""
    query = _Query(source, requisition, before, limit)
    merged = sorted(chain.from_iterable(fetch(profile, query) for fetch in SOURCES), key=_newest_first)
    if len(merged) <= limit:
        return Timeline(merged, None)
    # Every source returned its newest limit + 1 rows, so everything newer than the first entry left out has
    # been read; cut there and resume just after it (times are stored to the microsecond).
    cut = merged[limit].at
    entries = [entry for entry in merged[:limit] if entry.at > cut]
    if entries:
        return Timeline(entries, cut + dt.timedelta(microseconds=1))
    # More than a page at one instant (a bulk import): show what was read of it and move past it.
    return Timeline([entry for entry in merged if entry.at == cut], cut)


def _newest_first(entry: TimelineEntry) -> tuple[float, str, str]:
    return (-entry.at.timestamp(), entry.source, entry.title)
