"""CareerBuilder Candidate Status payloads as typed objects (vendor-docs/careerbuilder-candidate-status.md).

What CareerBuilder sends is read tolerantly: one unreadable value never fails a page; the record keeps that field
empty and carries a `ParseWarning`. What the portal sends is checked against the doc's field table before it leaves,
and refused with one `PayloadInvalid` holding every field's messages, so a bad status never reaches the vendor.

Times: the doc says every `status_date` is UTC (`YYYY-MM-DDTHH:MM:SSZ`). Parsed values are therefore aware UTC
datetimes; a value that arrives without an offset is read as UTC, because that is what the doc means by it.

`fields` holds what both directions share (limits, enum, unique key, time format), `received` what CareerBuilder
answers, `sent` the bodies and query the portal sends.
"""

from vendors.careerbuilder.schemas.fields import (
    DEFAULT_RESULTS_PER_PAGE,
    FIELD_LIMITS,
    NON_FIELD_ERRORS,
    STATUS_SAVED_MESSAGE,
    CandidateStatusKey,
    ParseWarning,
    PayloadInvalid,
    StatusLevel,
    candidate_status_key,
    format_status_date,
    parse_status_date,
)
from vendors.careerbuilder.schemas.received import (
    AccessToken,
    CandidateStatus,
    CandidateStatusList,
    StatusInsertReceipt,
)
from vendors.careerbuilder.schemas.sent import EmailStatusQuery, StatusInsert, StatusSearch, sendable_email

__all__ = [
    "DEFAULT_RESULTS_PER_PAGE",
    "FIELD_LIMITS",
    "NON_FIELD_ERRORS",
    "STATUS_SAVED_MESSAGE",
    "AccessToken",
    "CandidateStatus",
    "CandidateStatusKey",
    "CandidateStatusList",
    "EmailStatusQuery",
    "ParseWarning",
    "PayloadInvalid",
    "StatusInsert",
    "StatusInsertReceipt",
    "StatusLevel",
    "StatusSearch",
    "candidate_status_key",
    "format_status_date",
    "parse_status_date",
    "sendable_email",
]
