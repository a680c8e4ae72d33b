"""Every value set the Kamana V2 doc lists, named as the doc names the field, values verbatim.

The doc repeats a value in two schemas (`"custom"` twice in client `type`, `"open"` twice in job requisition
`status`); each appears once here. Numeric value sets (contract length, hours per week, shift hours) are
tuples, because the doc gives them as JSON numbers, not strings.
"""

from __future__ import annotations

from enum import StrEnum

__all__ = [
    "CONTRACT_LENGTHS",
    "HOURS_PER_WEEK",
    "SHIFT_HOURS",
    "YEARS_OF_EXPERIENCE",
    "ClientType",
    "CredentialingRequirementType",
    "EngagementNoteType",
    "EngagementStatus",
    "EngagementSubStatus",
    "JobRequisitionStatus",
    "JobType",
    "RelationshipStatus",
    "RequiredBeforeStatus",
    "RequirementStatus",
    "UserStatus",
]

# "contract_length": the schema's enum 1..26 (the webhook notes say "in months"; see README, quirks).
CONTRACT_LENGTHS: tuple[int, ...] = tuple(range(1, 27))
# "hours_per_week": the doc's list, not a range: 20 or 44 is refused.
HOURS_PER_WEEK: tuple[int, ...] = (8, 12, 16, 24, 32, 36, 40, 48, 56, 58, 60)
# "shift_start_time" / "shift_end_time": an hour of the facility's day.
SHIFT_HOURS: tuple[int, ...] = tuple(range(24))
# Job requisition event: "minimum years of experience, whole number between 0 and 20".
YEARS_OF_EXPERIENCE: tuple[int, ...] = tuple(range(21))


class ClientType(StrEnum):
    """Create Client `type`."""

    MSP = "msp"
    IDN = "idn"
    FACILITY = "facility"
    CUSTOM = "custom"


class RelationshipStatus(StrEnum):
    """Update an Account -> Profile Relationship, `status`."""

    INTERESTED = "interested"
    PROSPECT = "prospect"
    ENGAGED = "engaged"
    REVIEW = "review"
    ARCHIVED = "archived"


class JobType(StrEnum):
    """Create a Job Requisition, `job_type`."""

    FULL_TIME = "Full Time"
    PART_TIME = "Part Time"
    TRAVEL_CONTRACT = "Travel Contract"
    PER_DIEM = "Per Diem"


class JobRequisitionStatus(StrEnum):
    """Job requisition `status` (schema and list filter; the webhook notes write `Open`, `Closed`)."""

    OPEN = "open"
    CLOSED = "closed"
    ON_HOLD = "on_hold"
    HISTORICAL = "historical"


class EngagementStatus(StrEnum):
    """Engagement event `status`, in the doc's order (the pipeline's order)."""

    PENDING = "pending"
    QUALIFYING = "qualifying"
    READY = "ready"
    SUBMITTED = "submitted"
    INTERVIEWING = "interviewing"
    OFFERED = "offered"
    PLACED = "placed"
    CREDENTIALING = "credentialing"
    CREDENTIALED = "credentialed"
    CLEARED = "cleared"
    ACTIVE = "active"
    COMPLETE = "complete"


class EngagementSubStatus(StrEnum):
    """Engagement event `sub_status`: why an engagement ended."""

    ASSIGNMENT_COMPLETE = "Assignment Complete"
    CANCELLED_BY_CLIENT = "Cancelled By Client"
    CANCELLED_BY_AGENCY = "Cancelled By Agency"
    CANCELLED_BY_TALENT = "Cancelled By Talent"
    DECLINED_BY_CLIENT = "Declined By Client"
    DECLINED = "Declined"
    DECLINED_BY_TALENT = "Declined By Talent"
    TERMINATED_BY_CLIENT = "Terminated By Client"
    TERMINATED_BY_AGENCY = "Terminated By Agency"
    TERMINATED_BY_TALENT = "Terminated By Talent"
    OTHER = "Other"


class EngagementNoteType(StrEnum):
    """Engagement note attribute `type` (from the list example: the doc gives no schema)."""

    NOTE = "note"
    CALL = "call"
    SMS = "sms"
    EMAIL = "email"


class RequirementStatus(StrEnum):
    """Engagement requirement `status`."""

    NEEDED = "needed"
    MAPPED = "mapped"
    VERIFIED = "verified"
    DISMISSED = "dismissed"


class CredentialingRequirementType(StrEnum):
    """`credentialing_requirement_snapshot.type` of an engagement requirement event."""

    CERTIFICATION = "certification"
    EDUCATION = "education"
    EHR = "ehr"
    ESIGN = "esign"
    GENERIC = "generic"
    LICENSE = "license"
    MEDICAL_HISTORY = "medical_history"
    REFERENCE = "reference"
    SKILLS_CHECKLIST = "skills_checklist"


class RequiredBeforeStatus(StrEnum):
    """`credentialing_requirement_connection_snapshot.required_before_status`: engagement statuses it gates."""

    READY = "ready"
    CREDENTIALING = "credentialing"
    CREDENTIALED = "credentialed"


class UserStatus(StrEnum):
    """A Kamana user's `status` (job requisition event, `creator.status`)."""

    ACTIVE = "active"
    SUSPENDED = "suspended"
