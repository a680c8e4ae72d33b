"""What CareerBuilder sends, read tolerantly: one unusable value becomes None plus a `ParseWarning`, never an
exception that would lose the rest of the page."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from vendors.careerbuilder.schemas.fields import (
    NON_FIELD_ERRORS,
    OPTIONAL_TEXT_FIELDS,
    STATUS_SAVED_MESSAGE,
    CandidateStatusKey,
    ParseWarning,
    PayloadInvalid,
    StatusLevel,
    candidate_status_key,
    loose_keys,
    parse_status_date,
    status_level_or_none,
)

__all__ = ["AccessToken", "CandidateStatus", "CandidateStatusList", "StatusInsertReceipt"]


class _Received:
    """Reads one received object, keeping a warning for each value it cannot use instead of raising."""

    def __init__(self, payload: Mapping[Any, Any]) -> None:
        self.data = loose_keys(payload)
        self.warnings: list[ParseWarning] = []

    def text(self, name: str, *, required: bool = False) -> str | None:
        """Numbers become text (an id sent as 123 is "123"); empty strings and null are None."""
        value = self.data.get(name)
        if isinstance(value, bool) or not isinstance(value, str | int | float | None):
            self.warnings.append(ParseWarning.about(name, "Expected text; ignored.", value))
            return None
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        text = None if value is None else str(value).strip() or None
        if text is None and required:
            self.warnings.append(ParseWarning.about(name, "Missing, though the doc requires it.", value))
        return text

    def status_date(self) -> datetime | None:
        value = self.data.get("status_date")
        try:
            return parse_status_date(value)
        except (TypeError, ValueError):
            self.warnings.append(ParseWarning.about("status_date", "Not a date and time; ignored.", value))
            return None

    def status_level(self) -> StatusLevel | None:
        value = self.data.get("status_level")
        level = status_level_or_none(value)
        if level is None:
            self.warnings.append(ParseWarning.about("status_level", "Neither application nor candidate.", value))
        return level


@dataclass(frozen=True, slots=True)
class CandidateStatus:
    """One status as either retrieve endpoint returns it."""

    account: str
    candidate_email: str
    status: str
    status_level: StatusLevel | None
    status_date: datetime | None
    vendor_key: str | None = None
    client: str | None = None
    requisition_id: str | None = None
    requisition_title: str | None = None
    level_id: str | None = None
    status_detail: str | None = None
    warnings: tuple[ParseWarning, ...] = ()
    raw: Mapping[str, Any] = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def from_payload(cls, payload: Mapping[Any, Any]) -> CandidateStatus:
        """Never raises for a bad value: it becomes None (or "" for a required text) plus a warning."""
        received = _Received(payload)
        account = received.text("account", required=True) or ""
        candidate_email = received.text("candidate_email", required=True) or ""
        status = received.text("status", required=True) or ""
        status_level = received.status_level()
        status_date = received.status_date()
        optional = {name: received.text(name) for name in OPTIONAL_TEXT_FIELDS}
        # The level rule of "Insert a status", seen from the other side: worth a warning, not a lost record.
        if status_level is StatusLevel.APPLICATION and optional["requisition_id"] is None:
            received.warnings.append(
                ParseWarning.about("requisition_id", "An application-level status without a requisition.", None)
            )
        if status_level is StatusLevel.CANDIDATE and optional["requisition_id"] is not None:
            received.warnings.append(
                ParseWarning.about(
                    "requisition_id", "A candidate-level status should have no requisition.", optional["requisition_id"]
                )
            )
        return cls(
            account=account,
            candidate_email=candidate_email,
            status=status,
            status_level=status_level,
            status_date=status_date,
            **optional,
            warnings=tuple(received.warnings),
            raw=dict(payload),
        )

    @property
    def key(self) -> CandidateStatusKey:
        return candidate_status_key(
            self.account, self.candidate_email, self.vendor_key, self.requisition_id, self.status_level or ""
        )


@dataclass(frozen=True, slots=True)
class CandidateStatusList:
    """The answer of either retrieve endpoint: the doc's bare JSON array of statuses, with no paging envelope."""

    statuses: tuple[CandidateStatus, ...]
    warnings: tuple[ParseWarning, ...] = ()

    @classmethod
    def from_payload(cls, payload: Any) -> CandidateStatusList:
        """`null` is no statuses; an entry that is not an object is skipped with a warning. Warnings of each record
        are repeated here with its index (`[2].status_date`). Raises PayloadInvalid if the body is not an array."""
        if payload is None:
            return cls(())
        if not isinstance(payload, list):
            raise PayloadInvalid(
                {NON_FIELD_ERRORS: [f"Expected a JSON array of statuses, got {type(payload).__name__}."]}
            )
        statuses: list[CandidateStatus] = []
        warnings: list[ParseWarning] = []
        for index, entry in enumerate(payload):
            if not isinstance(entry, Mapping):
                warnings.append(ParseWarning.about(f"[{index}]", "Not a status object; skipped.", entry))
                continue
            status = CandidateStatus.from_payload(entry)
            statuses.append(status)
            warnings.extend(ParseWarning(f"[{index}].{w.field}", w.message, w.value) for w in status.warnings)
        return cls(tuple(statuses), tuple(warnings))

    def __iter__(self) -> Iterator[CandidateStatus]:
        return iter(self.statuses)

    def __len__(self) -> int:
        return len(self.statuses)

    @property
    def latest_status_date(self) -> datetime | None:
        """The newest status_date received: the `status_date` of the next incremental pull."""
        return max((s.status_date for s in self.statuses if s.status_date is not None), default=None)


@dataclass(frozen=True, slots=True)
class StatusInsertReceipt:
    """The answer to an insert. The doc shows only the JSON string "Created/updated status." and says the answer
    may grow; anything else is kept in `raw` and is not `confirmed`."""

    message: str
    raw: Any = field(default=None, compare=False, repr=False)

    @classmethod
    def from_payload(cls, payload: Any) -> StatusInsertReceipt:
        return cls(payload.strip() if isinstance(payload, str) else "", payload)

    @property
    def confirmed(self) -> bool:
        return self.message.casefold() == STATUS_SAVED_MESSAGE.casefold()


@dataclass(frozen=True, slots=True)
class AccessToken:
    """A client-credentials token answer. The Candidate Status doc names only the flow; CareerBuilder's public
    OAuth.md (careerbuilder/CandidateDataServicesDocumentation) answers `{"data": {"access_token", "token_type",
    "expires_in": "2100"}}` with seconds as a string. A plain RFC 6749 body without `data` is read too."""

    access_token: str
    token_type: str
    expires_in: timedelta | None = None
    warnings: tuple[ParseWarning, ...] = ()

    @classmethod
    def from_payload(cls, payload: Mapping[Any, Any]) -> AccessToken:
        """Raises PayloadInvalid only when there is no token to use; a bad `expires_in` is None plus a warning."""
        data = loose_keys(payload)
        if isinstance(data.get("data"), Mapping):
            data = loose_keys(data["data"])
        received = _Received(data)
        access_token = received.text("access_token")
        if access_token is None:
            raise PayloadInvalid({"access_token": ["Missing from the token answer."]})
        expires_in = None
        lifetime = received.text("expires_in")
        if lifetime is not None:
            try:
                expires_in = timedelta(seconds=float(lifetime))
            except (ValueError, OverflowError):
                received.warnings.append(ParseWarning.about("expires_in", "Not a number of seconds.", lifetime))
        return cls(access_token, received.text("token_type") or "bearer", expires_in, tuple(received.warnings))
