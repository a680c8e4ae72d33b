"""Talent services that vendor mappings call: one person, however many vendors know them."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Mapping
from typing import Any

from django.db import IntegrityError, transaction

from portal.core.audit import record_bulk_changes
from portal.core.vendor_problems import report_problems, stamped
from portal.integrations.models import VendorConnection
from portal.talent.models import AccountRelationship, CandidateStatus, TalentProfile, TalentReference, normalise_email

__all__ = [
    "candidate_status_external_id",
    "change_relationship_status",
    "match_or_create_profile",
    "record_candidate_status",
    "set_relationship_do_not_hire",
    "split_name",
]


def split_name(full: str) -> tuple[str, str]:
    """A vendor's one `name` as first and last names: the first word, then the rest ("Mary Ann Lee" -> "Mary",
    "Ann Lee"), as a person's page shows them again; no cleverer guess about which word is the family name."""
    first, _, last = " ".join(full.split()).partition(" ")
    return first[:100], last[:100]


def match_or_create_profile(
    *,
    email: str,
    first_name: str = "",
    last_name: str = "",
    phone: str = "",
    connection: VendorConnection | None = None,
    external_id: str = "",
    vendor_updated_at: dt.datetime | None = None,
    vendor_data: dict[str, Any] | None = None,
    problems: Mapping[str, Mapping[str, str]] | None = None,
) -> TalentProfile:
    """The profile for a person a vendor reports, creating it (and the vendor's reference) when new.

    Matching order: the vendor's own reference first (the person may have changed email at that vendor), then
    the normalised email. Blank local fields are filled from the vendor; filled ones are left alone, because a
    second vendor must not overwrite what the first (or a coordinator) said. A reference only takes a newer
    payload (`vendor_updated_at`), so out-of-order deliveries do not roll it back. `problems` are the fields the
    vendor sent unreadable (`MappedRecord.problems`): blank, so they fill nothing, and the reference keeps them.
    """
    key = normalise_email(email)
    with transaction.atomic():
        reference = _existing_reference(connection, external_id)
        profile = reference.profile if reference else _profile_by_email(key)
        if profile is None:
            profile = _create_profile(key, first_name=first_name, last_name=last_name, phone=phone)
        else:
            _fill_blanks(profile, email=key, first_name=first_name, last_name=last_name, phone=phone)
        if connection is not None and external_id:
            _store_reference(
                reference, profile, connection, external_id, key, vendor_updated_at, vendor_data or {}, problems or {}
            )
    return profile


def _existing_reference(connection: VendorConnection | None, external_id: str) -> TalentReference | None:
    if connection is None or not external_id:
        return None
    return (
        TalentReference.objects.select_related("profile")
        .select_for_update()
        .filter(connection=connection, external_id=external_id)
        .first()
    )


def _profile_by_email(key: str) -> TalentProfile | None:
    return TalentProfile.objects.filter(email=key).first() if key else None


def _create_profile(key: str, **names: str) -> TalentProfile:
    """Two deliveries of the same new person may race; the unique email decides, the loser re-reads."""
    try:
        with transaction.atomic():
            profile = TalentProfile.objects.create(email=key, **names)
    except IntegrityError:
        profile = _profile_by_email(key)
        if profile is None:
            raise
        return profile
    if key:
        _link_timeline(profile)
    return profile


def _link_timeline(profile: TalentProfile) -> None:
    """CareerBuilder statuses may arrive before anyone else knows the person; they join the timeline now."""
    orphans = list(
        CandidateStatus.objects.filter(profile=None, candidate_email=profile.email).values_list("pk", flat=True)
    )
    if orphans:
        CandidateStatus.objects.filter(pk__in=orphans).update(profile=profile)
        record_bulk_changes(CandidateStatus, [(pk, "update", {"profile": [None, profile.pk]}) for pk in orphans])


def _fill_blanks(profile: TalentProfile, **values: str) -> None:
    changed = [field for field, value in values.items() if value and not getattr(profile, field)]
    if "email" in changed and TalentProfile.objects.filter(email=values["email"]).exists():
        changed.remove("email")  # another profile already owns this address; never merge two people silently
    for field in changed:
        setattr(profile, field, values[field])
    if changed:
        profile.save()


def _store_reference(
    reference: TalentReference | None,
    profile: TalentProfile,
    connection: VendorConnection,
    external_id: str,
    email: str,
    vendor_updated_at: dt.datetime | None,
    vendor_data: dict[str, Any],
    problems: Mapping[str, Mapping[str, str]],
) -> None:
    if reference is None:
        reference = TalentReference.objects.create(
            profile=profile,
            connection=connection,
            external_id=external_id,
            email=email,
            vendor_updated_at=vendor_updated_at,
            vendor_data=vendor_data,
            vendor_problems=stamped(problems),
        )
        report_problems(TalentReference, reference.pk, external_id, problems)
        return
    if not reference.is_newer_than_stored(vendor_updated_at):
        return
    if "email" not in problems:  # an unreadable address never erases the one we hold
        reference.email = email
    reference.vendor_updated_at = vendor_updated_at or reference.vendor_updated_at
    reference.vendor_data = vendor_data or reference.vendor_data
    reference.vendor_problems = stamped(problems)
    reference.save()
    report_problems(TalentReference, reference.pk, external_id, problems)


def candidate_status_external_id(
    *, account: str, candidate_email: str, vendor_key: str, requisition_id: str, status_level: str
) -> str:
    """`external_id` of a CareerBuilder status line. CareerBuilder has no record id, so its documented unique key
    (account, candidate_email, vendor_key, requisition_id, status_level) is one: account and email without case,
    absent values as "", the level in lower case, joined by "|"; over the column's 255 characters (a requisition
    id may be 1,024) it becomes its SHA-256. The same id the CareerBuilder sync gives the line
    (vendors/careerbuilder README, "Sync"), so a line recorded here and the synced line are one row."""
    parts = (
        account.strip().casefold(),
        candidate_email.strip().casefold(),
        (vendor_key or "").strip(),
        (requisition_id or "").strip(),
        str(status_level).strip().lower(),
    )
    readable = "|".join(parts)
    return readable if len(readable) <= 255 else "sha256:" + hashlib.sha256(readable.encode()).hexdigest()


def record_candidate_status(
    *,
    account: str,
    candidate_email: str,
    status_level: str,
    status: str,
    status_date: dt.datetime,
    vendor_key: str = "",
    requisition_id: str = "",
    requisition_title: str = "",
    level_id: str = "",
    client: str = "",
    status_detail: str = "",
    connection: VendorConnection | None = None,
    vendor_data: dict[str, Any] | None = None,
) -> tuple[CandidateStatus, bool]:
    """Store one CareerBuilder status line under its documented unique key; returns (row, changed).

    CareerBuilder gives no record id or update time, only `status_date`: a line whose date is not newer than the
    stored one is a stale or repeated delivery and changes nothing. A candidate-level line has no requisition
    ("if candidate: requisition_id and requisition_title must be left off"), so they are dropped from its key.
    The line joins the timeline of the profile with the same normalised email, if there is one.
    """
    if status_level == CandidateStatus.Level.CANDIDATE:
        requisition_id = requisition_title = ""
    key = {
        "account": account,
        "candidate_email": normalise_email(candidate_email),
        "vendor_key": vendor_key or "",
        "requisition_id": requisition_id or "",
        "status_level": status_level,
    }
    values = {
        "status": status,
        "status_date": status_date,
        "requisition_title": requisition_title or "",
        "level_id": level_id or "",
        "client": client or "",
        "status_detail": status_detail or "",
        "vendor_data": vendor_data or {},
        "vendor_updated_at": status_date,
    }
    with transaction.atomic():
        # The key is unique per connection (or among lines with none): another connection's line is never touched.
        row = CandidateStatus.objects.select_for_update().filter(connection=connection, **key).first()
        if row is not None and row.status_date >= status_date:
            return row, False
        row = row or CandidateStatus(connection=connection, **key)
        # The id a CareerBuilder sync of this line would carry, so that sync finds this row and updates it rather
        # than inserting a second one against the unique key. Also given to rows written before it was set.
        row.external_id = candidate_status_external_id(**key)
        for field, value in values.items():
            setattr(row, field, value)
        if row.profile_id is None:
            row.profile = _profile_by_email(key["candidate_email"])
        row.save()
    return row, True


def change_relationship_status(
    relationship: AccountRelationship, *, status: str, sub_status: str, status_reason: str
) -> AccountRelationship:
    """Move a relationship along the pipeline; returns the saved row.

    The row is re-read under a lock, so the allowed-move check (`AuditedModel.check_transitions`, which raises
    `InvalidTransition`) judges the status it really has now, not the one a form was rendered with. The model's
    `save` stamps `status_changed_at`; the account's vendor hears of the move from the saved row (a vendor
    package's post_save receiver writes its outbox row in this transaction).
    """
    with transaction.atomic():
        locked = AccountRelationship.objects.select_for_update().get(pk=relationship.pk)
        locked.status, locked.sub_status, locked.status_reason = status, sub_status, status_reason
        locked.clean()
        locked.save()
    return locked


def set_relationship_do_not_hire(relationship: AccountRelationship, do_not_hire: bool) -> AccountRelationship:
    """Set (not toggle) the account's do-not-hire flag, so a double click or a replayed request changes nothing
    the second time. Whoever set it is the audit entry's actor."""
    with transaction.atomic():
        locked = AccountRelationship.objects.select_for_update().get(pk=relationship.pk)
        if locked.do_not_hire != do_not_hire:
            locked.do_not_hire = do_not_hire
            locked.save()
    return locked
