"""The few value lists the Alaunus doc spells out, named as the doc names them.

Most Alaunus "id" attributes (gender, status, currency, period_type...) point at account-defined lists the doc
does not enumerate, so they stay strings. Only lists the doc states in words, and RFC 5545's own, are enums.
"""

from __future__ import annotations

from enum import StrEnum

__all__ = ["CandidateStatus", "ContactType", "Frequency", "Weekday", "WorkStatus"]


class CandidateStatus(StrEnum):
    """Candidates: "applied, phone screened, selected for interview, interviewd [sic] or hired"."""

    APPLIED = "applied"
    PHONE_SCREENED = "phone_screened"
    SELECTED_FOR_INTERVIEW = "selected_for_interview"
    INTERVIEWED = "interviewed"
    HIRED = "hired"

    @classmethod
    def _missing_(cls, value: object) -> CandidateStatus | None:
        # The doc itself spells it "interviewd"; accept the vendor's typo rather than drop the status.
        return cls.INTERVIEWED if str(value).strip().lower() == "interviewd" else None


class ContactType(StrEnum):
    """Clients `type`/`contact_type` and contacts `_type`: "if it is company or person"."""

    COMPANY = "company"
    PERSON = "person"


class WorkStatus(StrEnum):
    """Candidates/users/patients `work_status`: "full time, part time, temp or on call"."""

    FULL_TIME = "full_time"
    PART_TIME = "part_time"
    TEMP = "temp"
    ON_CALL = "on_call"


class Frequency(StrEnum):
    """Eventsgroups `freq`: RFC 5545 FREQ values (dateutil's constants follow the same order)."""

    YEARLY = "YEARLY"
    MONTHLY = "MONTHLY"
    WEEKLY = "WEEKLY"
    DAILY = "DAILY"
    HOURLY = "HOURLY"
    MINUTELY = "MINUTELY"
    SECONDLY = "SECONDLY"


class Weekday(StrEnum):
    """RFC 5545 weekday codes, Monday first (eventsgroups `byweekday`/`wkst`, availability days)."""

    MO = "MO"
    TU = "TU"
    WE = "WE"
    TH = "TH"
    FR = "FR"
    SA = "SA"
    SU = "SU"
