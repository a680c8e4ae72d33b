"""What the portal sends, checked against the doc before it leaves: each body is a frozen object that cannot be
built invalid, and refuses with one `PayloadInvalid` naming every broken field. The strict `from_payload` /
`from_request` readers are the same rules seen from the vendor's side, for the sandbox."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, TypeVar

from vendors.careerbuilder.schemas.fields import (
    FIELD_LIMITS,
    NON_FIELD_ERRORS,
    OPTIONAL_TEXT_FIELDS,
    CandidateStatusKey,
    PayloadInvalid,
    StatusLevel,
    candidate_status_key,
    format_status_date,
    loose_keys,
    parse_status_date,
    status_level_or_none,
)

__all__ = ["EmailStatusQuery", "StatusInsert", "StatusSearch", "sendable_email"]

_STRICT_STATUS_DATE = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
_Built = TypeVar("_Built")


def sendable_email(value: str) -> bool:
    """Whether an address passes the check every outgoing body applies (so a batch can leave out the others)."""
    return len(value) <= FIELD_LIMITS["candidate_email"] and bool(_EMAIL.fullmatch(value))


class _Checks:
    """Collects the field messages of one outgoing body, so the caller hears of every problem at once."""

    def __init__(self) -> None:
        self.errors: dict[str, list[str]] = {}

    def add(self, name: str, message: str) -> None:
        self.errors.setdefault(name, []).append(message)

    def text(self, name: str, value: object, *, required: bool, limit: int) -> None:
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                self.add(name, "This field is required.")
        elif not isinstance(value, str):
            self.add(name, "Must be a string.")
        elif len(value) > limit:
            self.add(name, f"Ensure this value has at most {limit} characters (it has {len(value)}).")

    def email(self, name: str, value: object) -> None:
        self.text(name, value, required=True, limit=FIELD_LIMITS["candidate_email"])
        if name not in self.errors and not _EMAIL.fullmatch(str(value)):
            self.add(name, "Enter a valid email address.")

    def moment(self, name: str, value: object, *, required: bool) -> datetime | None:
        """An aware datetime, returned in UTC to the second (what the wire can carry)."""
        if value is None:
            if required:
                self.add(name, "This field is required.")
            return None
        if not isinstance(value, datetime) or value.utcoffset() is None:
            self.add(name, "Must be a timezone-aware datetime: the doc sends it in UTC.")
            return None
        return value.astimezone(UTC).replace(microsecond=0)

    def raise_if_any(self) -> None:
        if self.errors:
            raise PayloadInvalid(self.errors)


def _strict_moment(payload: Mapping[str, Any], name: str, errors: dict[str, list[str]]) -> datetime | None:
    """A received body's time must be exactly the doc's `YYYY-MM-DDTHH:MM:SSZ` (the sandbox's strictness)."""
    value = payload.get(name)
    if value is None:
        return None
    if isinstance(value, str) and _STRICT_STATUS_DATE.fullmatch(value):
        try:
            return parse_status_date(value)
        except ValueError:
            pass
    errors[name] = ["Use the doc's format YYYY-MM-DDTHH:MM:SSZ, in UTC."]
    return None


def _build_strictly(build: Callable[[], _Built], errors: dict[str, list[str]]) -> _Built:
    """Run a builder, adding the format errors found before it; raise them all together."""
    try:
        built = build()
    except PayloadInvalid as invalid:
        raise PayloadInvalid({**invalid.errors, **errors}) from None
    if errors:
        raise PayloadInvalid(errors)
    return built


def _require_object(payload: object) -> Mapping[str, Any]:
    if not isinstance(payload, Mapping):
        raise PayloadInvalid({NON_FIELD_ERRORS: ["Expected a JSON object."]})
    return payload


@dataclass(frozen=True, slots=True)
class StatusInsert:
    """The body of "Insert a status" (PUT), checked when built: an instance always satisfies the doc.

    `status_level` may be given as text ("Application"); blank optional texts are left off rather than sent empty.
    The level rule: `candidate` must leave requisition_id and requisition_title off; `application` needs a
    requisition_id.
    """

    account: str
    candidate_email: str
    status: str
    status_date: datetime
    status_level: StatusLevel
    vendor_key: str | None = None
    client: str | None = None
    requisition_id: str | None = None
    requisition_title: str | None = None
    level_id: str | None = None
    status_detail: str | None = None

    def __post_init__(self) -> None:
        checks = _Checks()
        for name in OPTIONAL_TEXT_FIELDS:
            value = getattr(self, name)
            if isinstance(value, str) and not value.strip():
                object.__setattr__(self, name, None)
            checks.text(name, getattr(self, name), required=False, limit=FIELD_LIMITS[name])
        checks.text("account", self.account, required=True, limit=FIELD_LIMITS["account"])
        checks.email("candidate_email", self.candidate_email)
        checks.text("status", self.status, required=True, limit=FIELD_LIMITS["status"])
        object.__setattr__(self, "status_date", checks.moment("status_date", self.status_date, required=True))
        level = status_level_or_none(self.status_level)
        if level is None:
            checks.add(
                "status_level",
                "This field is required." if self.status_level is None else "Must be one of: application, candidate.",
            )
        object.__setattr__(self, "status_level", level)
        if level is StatusLevel.CANDIDATE:
            for name in ("requisition_id", "requisition_title"):
                if getattr(self, name) is not None:
                    checks.add(name, "Must be left off when status_level is candidate.")
        if level is StatusLevel.APPLICATION and self.requisition_id is None:
            checks.add("requisition_id", "Required when status_level is application.")
        checks.raise_if_any()

    @classmethod
    def from_payload(cls, payload: object) -> StatusInsert:
        """Read a PUT body as strictly as the doc states it (what the sandbox accepts); raises PayloadInvalid."""
        data = _require_object(payload)
        errors: dict[str, list[str]] = {}
        status_date = _strict_moment(data, "status_date", errors)
        names = ("account", "candidate_email", "status", "status_level", *OPTIONAL_TEXT_FIELDS)
        fields = {name: data.get(name) for name in names}
        return _build_strictly(lambda: cls(status_date=status_date, **fields), errors)

    def to_payload(self) -> dict[str, str]:
        """The JSON body in the doc's key order, leaving off what is not set."""
        body = {
            "account": self.account,
            "candidate_email": self.candidate_email,
            "vendor_key": self.vendor_key,
            "client": self.client,
            "requisition_id": self.requisition_id,
            "requisition_title": self.requisition_title,
            "level_id": self.level_id,
            "status": self.status,
            "status_date": format_status_date(self.status_date),
            "status_level": self.status_level.value,
            "status_detail": self.status_detail,
        }
        return {name: value for name, value in body.items() if value is not None}

    @property
    def key(self) -> CandidateStatusKey:
        return candidate_status_key(
            self.account, self.candidate_email, self.vendor_key, self.requisition_id, self.status_level
        )


@dataclass(frozen=True, slots=True)
class StatusSearch:
    """The body of "Retrieve multiple emails or multiple requisition_ids" (POST), checked when built.

    The doc requires "either a list of candidate emails or a list of requisition ids" and does not say how the
    vendor would combine both, so exactly one of the two lists must be given.
    """

    account: str
    candidate_emails: tuple[str, ...] = ()
    requisition_ids: tuple[str, ...] = ()
    status_date: datetime | None = None

    def __post_init__(self) -> None:
        checks = _Checks()
        checks.text("account", self.account, required=True, limit=FIELD_LIMITS["account"])
        for attribute, wire in (("candidate_emails", "candidate_email"), ("requisition_ids", "requisition_id")):
            values = getattr(self, attribute)
            if isinstance(values, str) or not isinstance(values, list | tuple):
                checks.add(wire, "Must be a list.")
                object.__setattr__(self, attribute, ())
                continue
            object.__setattr__(self, attribute, tuple(values))
            for index, value in enumerate(values):
                if wire == "candidate_email":
                    checks.email(f"{wire}[{index}]", value)
                else:
                    checks.text(f"{wire}[{index}]", value, required=True, limit=FIELD_LIMITS[wire])
        if bool(self.candidate_emails) == bool(self.requisition_ids) and not checks.errors.keys() & {
            "candidate_email",
            "requisition_id",
        }:
            checks.add(NON_FIELD_ERRORS, "Give either a list of candidate_email or a list of requisition_id.")
        object.__setattr__(self, "status_date", checks.moment("status_date", self.status_date, required=False))
        checks.raise_if_any()

    @classmethod
    def from_payload(cls, payload: object) -> StatusSearch:
        """Read a POST body as strictly as the doc states it (what the sandbox accepts); raises PayloadInvalid."""
        data = _require_object(payload)
        errors: dict[str, list[str]] = {}
        status_date = _strict_moment(data, "status_date", errors)
        return _build_strictly(
            lambda: cls(
                account=data.get("account"),
                candidate_emails=data.get("candidate_email") or (),
                requisition_ids=data.get("requisition_id") or (),
                status_date=status_date,
            ),
            errors,
        )

    def to_payload(self) -> dict[str, Any]:
        body: dict[str, Any] = {"account": self.account}
        if self.candidate_emails:
            body["candidate_email"] = list(self.candidate_emails)
        else:
            body["requisition_id"] = list(self.requisition_ids)
        if self.status_date is not None:
            body["status_date"] = format_status_date(self.status_date)
        return body


@dataclass(frozen=True, slots=True)
class EmailStatusQuery:
    """The GET of "Retrieve all statuses for a single email": two path parts and two optional parameters.

    `results_per_page` None leaves the vendor's default of 10; the doc gives no maximum and no page parameter, so
    a longer history is read by pulling again with `status_date` set to the newest date already received.
    """

    account: str
    candidate_email: str
    results_per_page: int | None = None
    status_date: datetime | None = None

    def __post_init__(self) -> None:
        checks = _Checks()
        checks.text("account", self.account, required=True, limit=FIELD_LIMITS["account"])
        checks.email("candidate_email", self.candidate_email)
        per_page = self.results_per_page
        if per_page is not None and (isinstance(per_page, bool) or not isinstance(per_page, int) or per_page < 1):
            checks.add("results_per_page", "Must be a whole number of at least 1.")
        object.__setattr__(self, "status_date", checks.moment("status_date", self.status_date, required=False))
        checks.raise_if_any()

    @classmethod
    def from_request(cls, account: str, candidate_email: str, params: Mapping[str, str]) -> EmailStatusQuery:
        """Read a GET as the sandbox receives it; parameter names match without case (the doc writes both
        `Results_per_page` and `results_per_page`). Raises PayloadInvalid."""
        data = loose_keys(params)
        errors: dict[str, list[str]] = {}
        status_date = _strict_moment(data, "status_date", errors)
        per_page: Any = data.get("results_per_page")
        if isinstance(per_page, str) and per_page.strip().isdigit():
            per_page = int(per_page)
        return _build_strictly(lambda: cls(account, candidate_email, per_page, status_date), errors)

    def to_params(self) -> dict[str, str]:
        """Query parameters in lower case, as the doc's sample request sends them."""
        params: dict[str, str] = {}
        if self.results_per_page is not None:
            params["results_per_page"] = str(self.results_per_page)
        if self.status_date is not None:
            params["status_date"] = format_status_date(self.status_date)
        return params
