"""Kamana engagements (a talent placed on a requisition) and what hangs off one: extensions, notes, requirements.

Kamana has no engagement list endpoint: engagements arrive by webhook and are re-read with Get Single
Engagement. The engagement event nests `client_location`, `client_contract`, `relationship`, `job_requisition`
and `requirements`; the REST resource carries only ids. Both are read into the same record.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from vendors.kamana.schemas.enums import (
    CredentialingRequirementType,
    EngagementNoteType,
    EngagementStatus,
    EngagementSubStatus,
    RequiredBeforeStatus,
    RequirementStatus,
)
from vendors.kamana.schemas.reading import Included, RecordReader
from vendors.kamana.schemas.reference import ClientContract, Facility, User
from vendors.kamana.schemas.requisitions import JobRequisition
from vendors.kamana.schemas.talent import Relationship

__all__ = ["Engagement", "EngagementExtension", "EngagementNote", "EngagementRequirement"]


@dataclass(frozen=True, slots=True)
class EngagementExtension:
    """A later date range added to an engagement (`engagement_extension`)."""

    id: str
    engagement_id: str | None = None
    starts_on: date | None = None
    ends_on: date | None = None
    inserted_at: datetime | None = None
    updated_at: datetime | None = None
    warnings: tuple[str, ...] = ()

    @classmethod
    def from_payload(cls, payload: Mapping[str, Any], included: Included | None = None) -> EngagementExtension:
        read = RecordReader(payload, "engagement_extension", included)
        return cls(
            id=read.record_id(),
            engagement_id=read.ref_id("engagement"),
            starts_on=read.day("starts_on"),
            ends_on=read.day("ends_on"),
            inserted_at=read.moment("inserted_at"),
            updated_at=read.moment("updated_at"),
            warnings=tuple(read.warnings),
        )


@dataclass(frozen=True, slots=True)
class EngagementNote:
    """A note, call, SMS or email logged on an engagement (`engagement_note`); `creator` with `include=creator`."""

    id: str
    content: str | None = None
    note_type: EngagementNoteType | None = None  # the attribute is `type`, which would shadow the JSON:API type
    creator_id: str | None = None
    inserted_at: datetime | None = None
    updated_at: datetime | None = None
    creator: User | None = None
    warnings: tuple[str, ...] = ()

    @classmethod
    def from_payload(cls, payload: Mapping[str, Any], included: Included | None = None) -> EngagementNote:
        read = RecordReader(payload, "engagement_note", included)
        return cls(
            id=read.record_id(),
            content=read.text("content"),
            note_type=read.enum(EngagementNoteType, "type"),
            creator_id=read.ref_id("creator"),
            inserted_at=read.moment("inserted_at"),
            updated_at=read.moment("updated_at"),
            creator=read.nested("creator", User.from_payload),
            warnings=tuple(read.warnings),
        )


@dataclass(frozen=True, slots=True)
class EngagementRequirement:
    """A credentialing requirement of an engagement; `expires_on` is a date in `expires_on_time_zone`.

    The snapshot fields (`requirement_type`, `required_before_status`, `employer_only`, `talent_instructions`)
    come only with the engagement requirement event; the REST resource leaves them null.
    """

    id: str
    engagement_id: str | None = None
    name: str | None = None
    status: RequirementStatus | None = None
    comments: str | None = None
    due_date: date | None = None
    expires_on: date | None = None
    expires_on_time_zone: str | None = None
    months_valid: int | None = None
    assignee_id: str | None = None
    verifier_id: str | None = None
    verified_at: datetime | None = None
    dismisser_id: str | None = None
    dismissed_at: datetime | None = None
    requirement_type: CredentialingRequirementType | None = None
    required_before_status: RequiredBeforeStatus | None = None
    employer_only: bool | None = None
    talent_instructions: str | None = None
    inserted_at: datetime | None = None
    updated_at: datetime | None = None
    warnings: tuple[str, ...] = ()

    @classmethod
    def from_payload(cls, payload: Mapping[str, Any], included: Included | None = None) -> EngagementRequirement:
        read = RecordReader(payload, "engagement_requirement", included)
        snapshot = _part(read, "credentialing_requirement_snapshot")
        connection = _part(read, "credentialing_requirement_connection_snapshot")
        requirement_type = snapshot.enum(CredentialingRequirementType, "type") if snapshot else None
        required_before = connection.enum(RequiredBeforeStatus, "required_before_status") if connection else None
        employer_only = connection.flag("employer_only") if connection else None
        talent_instructions = connection.text("talent_instructions") if connection else None
        for part in (snapshot, connection):
            if part is not None:
                read.warnings.extend(part.warnings)
        return cls(
            id=read.record_id(),
            engagement_id=read.ref_id("engagement"),
            name=read.text("name"),
            status=read.enum(RequirementStatus, "status"),
            comments=read.text("comments"),
            due_date=read.day("due_date"),
            expires_on=read.day("expires_on"),
            expires_on_time_zone=read.text("expires_on_time_zone") or None,
            months_valid=read.integer("months_valid"),
            assignee_id=read.ref_id("assignee"),
            verifier_id=read.ref_id("verifier"),
            verified_at=read.moment("verified_at"),
            dismisser_id=read.ref_id("dismisser"),
            dismissed_at=read.moment("dismissed_at"),
            requirement_type=requirement_type,
            required_before_status=required_before,
            employer_only=employer_only,
            talent_instructions=talent_instructions,
            inserted_at=read.moment("inserted_at"),
            updated_at=read.moment("updated_at"),
            warnings=tuple(read.warnings),
        )


def _part(read: RecordReader, key: str) -> RecordReader | None:
    """A nested object without an id of its own (the requirement's snapshots), read with the same tolerance."""
    value = read.raw(key)
    if value is None:
        return None
    if not isinstance(value, Mapping):
        read.drop(key, value, "an object")
        return None
    return RecordReader(value, f"{read.kind}.{key}")


@dataclass(frozen=True, slots=True)
class Engagement:
    """A talent's engagement on a job requisition: pipeline status, dates, pay package and shift hours."""

    id: str
    status: EngagementStatus | None = None
    sub_status: EngagementSubStatus | None = None
    status_reason: str | None = None
    profile_id: str | None = None
    job_requisition_id: str | None = None
    relationship_id: str | None = None
    client_contract_id: str | None = None
    facility_id: str | None = None
    assignee_id: str | None = None
    subscriber_ids: tuple[str, ...] = ()
    starts_on: date | None = None
    ends_on: date | None = None
    contract_length: int | None = None
    hours_per_week: int | None = None
    shift_start_time: int | None = None
    shift_end_time: int | None = None
    regular_hourly_rate: Decimal | None = None
    weekly_gross_pay: Decimal | None = None
    weekly_housing_stipend: Decimal | None = None
    weekly_per_diem: Decimal | None = None
    travel_reimbursement: Decimal | None = None
    compensation_comments: str | None = None
    inserted_at: datetime | None = None
    updated_at: datetime | None = None
    facility: Facility | None = None
    client_contract: ClientContract | None = None
    relationship: Relationship | None = None
    job_requisition: JobRequisition | None = None
    requirements: tuple[EngagementRequirement, ...] = ()
    warnings: tuple[str, ...] = ()

    @classmethod
    def from_payload(cls, payload: Mapping[str, Any], included: Included | None = None) -> Engagement:
        read = RecordReader(payload, "engagement", included)
        return cls(
            id=read.record_id(),
            status=read.enum(EngagementStatus, "status"),
            sub_status=read.enum(EngagementSubStatus, "sub_status"),
            status_reason=read.text("status_reason"),
            profile_id=read.ref_id("profile"),
            job_requisition_id=read.ref_id("job_requisition"),
            relationship_id=read.ref_id("relationship"),
            client_contract_id=read.ref_id("client_contract"),
            facility_id=read.ref_id("client_location") or read.ref_id("facility"),
            assignee_id=read.ref_id("assignee"),
            subscriber_ids=read.ref_ids("subscriber"),
            starts_on=read.day("starts_on"),
            ends_on=read.day("ends_on"),
            contract_length=read.integer("contract_length"),
            hours_per_week=read.integer("hours_per_week"),
            shift_start_time=read.integer("shift_start_time"),
            shift_end_time=read.integer("shift_end_time"),
            regular_hourly_rate=read.decimal("regular_hourly_rate"),
            weekly_gross_pay=read.decimal("weekly_gross_pay"),
            weekly_housing_stipend=read.decimal("weekly_housing_stipend"),
            weekly_per_diem=read.decimal("weekly_per_diem"),
            travel_reimbursement=read.decimal("travel_reimbursement"),
            compensation_comments=read.text("compensation_comments"),
            inserted_at=read.moment("inserted_at"),
            updated_at=read.moment("updated_at"),
            facility=read.nested("client_location", Facility.from_payload)
            or read.nested("facility", Facility.from_payload),
            client_contract=read.nested("client_contract", ClientContract.from_payload),
            relationship=read.nested("relationship", Relationship.from_payload),
            job_requisition=read.nested("job_requisition", JobRequisition.from_payload),
            requirements=read.nested_all("requirements", EngagementRequirement.from_payload),
            warnings=tuple(read.warnings),
        )
