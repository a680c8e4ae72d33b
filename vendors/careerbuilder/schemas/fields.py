"""The doc's field table, its enum, its unique key and its time format: what both directions share."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from types import MappingProxyType
from typing import Any, NamedTuple

from portal.integrations.errors import PayloadInvalid

__all__ = [
    "DEFAULT_RESULTS_PER_PAGE",
    "FIELD_LIMITS",
    "NON_FIELD_ERRORS",
    "OPTIONAL_TEXT_FIELDS",
    "STATUS_SAVED_MESSAGE",
    "CandidateStatusKey",
    "ParseWarning",
    "PayloadInvalid",
    "StatusLevel",
    "candidate_status_key",
    "format_status_date",
    "loose_keys",
    "parse_status_date",
    "status_level_or_none",
]

# "Candidate Status Fields": the String(n) of each field, counted in characters.
FIELD_LIMITS: Mapping[str, int] = MappingProxyType(
    {
        "account": 20,
        "candidate_email": 255,
        "vendor_key": 20,
        "client": 20,
        "requisition_id": 1024,
        "requisition_title": 256,
        "level_id": 64,
        "status": 100,
        "status_level": 20,
        "status_detail": 4096,
    }
)
DEFAULT_RESULTS_PER_PAGE = 10  # "Results_per_page - Defaults to 10"
STATUS_SAVED_MESSAGE = "Created/updated status."  # the whole documented answer to an insert
NON_FIELD_ERRORS = "non_field_errors"  # the key portal.core.api.errors uses for errors of a whole body

# The fields the table marks N (not required); status_date and status_level are required and typed.
OPTIONAL_TEXT_FIELDS = ("vendor_key", "client", "requisition_id", "requisition_title", "level_id", "status_detail")

_STATUS_DATE_FORMAT = "%Y-%m-%dT%H:%M:%SZ"
_DATE_THEN_T = re.compile(r"^(\d{4}-\d{2}-\d{2})\s*[Tt ]\s*")


class StatusLevel(StrEnum):
    """The doc's "Status Level": a status of the person, or of their application to one requisition.

    The doc's table spells the values "Application and Candidate"; every sample sends them lower-case, as we do,
    and we read either spelling.
    """

    APPLICATION = "application"
    CANDIDATE = "candidate"


@dataclass(frozen=True, slots=True)
class ParseWarning:
    """A value CareerBuilder sent that we could not use; the record was kept with that field empty."""

    field: str
    message: str
    value: str = ""  # repr of what was sent, cut short: enough to recognise it in a sync run's log

    @classmethod
    def about(cls, field_name: str, message: str, value: object) -> ParseWarning:
        return cls(field_name, message, repr(value)[:200])

    @property
    def key(self) -> str:
        """The field, under the name `vendors.base.reading.unreadable_fields` reads."""
        return self.field

    @property
    def raw(self) -> str:
        return self.value


def parse_status_date(value: str | datetime) -> datetime:
    """Read a `status_date` as an aware UTC datetime, or raise ValueError.

    Accepts the doc's own misspelt format with a space before the T (`YYYY-MM-DD THH:MM:SSZ`), a space instead of
    the T, fractional seconds and explicit offsets (converted to UTC). No offset means UTC, as the doc says.
    """
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, str):
        moment = datetime.fromisoformat(_DATE_THEN_T.sub(r"\1T", value.strip()))
    else:
        raise ValueError(f"expected an ISO 8601 date and time, got {type(value).__name__}")
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def format_status_date(moment: datetime) -> str:
    """The doc's wire format `YYYY-MM-DDTHH:MM:SSZ`, in UTC; fractions of a second are dropped."""
    if moment.utcoffset() is None:
        raise ValueError("status_date must be timezone-aware: the doc sends it in UTC")
    return moment.astimezone(UTC).strftime(_STATUS_DATE_FORMAT)


def loose_keys(payload: Mapping[Any, Any]) -> dict[str, Any]:
    """Keys compared without case, spaces or a trailing `?`: the doc itself writes both `Results_per_page` and
    `results_per_page`, and vendors send keys like `do_not_hire?`."""
    return {str(key).strip().rstrip("?").strip().lower(): value for key, value in payload.items()}


def status_level_or_none(value: object) -> StatusLevel | None:
    """Either spelling of a level ("Application", "application"), or None for anything else."""
    try:
        return StatusLevel(str(value).strip().lower())
    except ValueError:
        return None


class CandidateStatusKey(NamedTuple):
    """The doc's "Unique Key": inserting a status with the same key again updates the stored one."""

    account: str
    candidate_email: str
    vendor_key: str
    requisition_id: str
    status_level: str


def candidate_status_key(
    account: str,
    candidate_email: str,
    vendor_key: str | None,
    requisition_id: str | None,
    status_level: StatusLevel | str,
) -> CandidateStatusKey:
    """The documented unique key (account, candidate_email, vendor_key, requisition_id, status_level), normalised.

    Account and email compare without case: the doc's POST sample asks for account `aaaa_1234` and is answered with
    `AAAA_1234`, and mail systems treat addresses alike in practice. A missing vendor_key or requisition_id (a
    candidate-level status has none) becomes "", so two statuses that both lack it share the key.
    """
    return CandidateStatusKey(
        account.strip().casefold(),
        candidate_email.strip().casefold(),
        (vendor_key or "").strip(),
        (requisition_id or "").strip(),
        str(status_level).strip().lower(),
    )
