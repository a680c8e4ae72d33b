"""The envelopes around Ceki records: Laravel pages, 422 validation errors, plain messages, the OTP login.

None of these shapes is fully shown by the doc (its samples collapse nested values); what is read here is the
Laravel convention the doc names ("422 Validation error — check the errors field", `current_page` / `last_page`
/ `per_page` / `data`), read tolerantly so that an unexpected envelope degrades to warnings, not an exception.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Generic, Self, TypeVar

from vendors.ceki.schemas.reading import RecordReader
from vendors.ceki.schemas.resources import CekiRecord, Event

__all__ = [
    "AuthSession",
    "ErrorBody",
    "LaravelPage",
    "LoginChallenge",
    "ValidationErrorBody",
    "parse_records",
    "parse_transactions",
]

R = TypeVar("R", bound=CekiRecord)


def parse_records(items: Any, record_type: type[R], kind: str) -> tuple[tuple[R, ...], tuple[str, ...]]:
    """Records of a list, skipping (with a warning) entries that are not objects; warnings of each record kept."""
    if not isinstance(items, list):
        return (), (f"{kind}: expected a list of {record_type.KIND} objects, got {type(items).__name__}",)
    records, warnings = [], []
    for position, item in enumerate(items):
        if not isinstance(item, Mapping):
            warnings.append(f"{kind}[{position}]: skipped {item!r}, not a JSON object")
            continue
        record = record_type.from_payload(item)
        records.append(record)
        warnings.extend(f"{kind}[{position}] {warning}" for warning in record.warnings)
    return tuple(records), tuple(warnings)


@dataclass(frozen=True, slots=True, kw_only=True)
class LaravelPage(Generic[R]):
    """One page of a Laravel paginator: `data` plus `current_page`, `last_page`, `per_page`, `total`.

    Some Ceki lists (the agent ones in the doc's samples) omit `last_page`; then `total` and `per_page` decide,
    and failing those, `next_page_url`. A bare JSON list is read as the only page.
    """

    items: tuple[R, ...]
    current_page: int
    last_page: int | None = None
    per_page: int | None = None
    total: int | None = None
    next_page_url: str | None = None
    warnings: tuple[str, ...] = field(default=(), compare=False)

    @classmethod
    def from_payload(cls, payload: Any, record_type: type[R]) -> Self:
        if isinstance(payload, list):
            items, warnings = parse_records(payload, record_type, "data")
            return cls(items=items, current_page=1, last_page=1, total=len(items), warnings=warnings)
        reader = RecordReader(payload, "page")
        items, warnings = parse_records(reader.raw("data") or [], record_type, "data")
        return cls(
            items=items,
            current_page=reader.integer("current_page") or 1,
            last_page=reader.integer("last_page"),
            per_page=reader.integer("per_page"),
            total=reader.integer("total"),
            next_page_url=reader.text("next_page_url"),
            warnings=(*reader.warnings, *warnings),
        )

    @property
    def has_next(self) -> bool:
        if self.last_page is not None:
            return self.current_page < self.last_page
        if self.total is not None and self.per_page:
            return self.current_page * self.per_page < self.total
        return bool(self.next_page_url)

    @property
    def next_page(self) -> int | None:
        return self.current_page + 1 if self.has_next else None


@dataclass(frozen=True, slots=True, kw_only=True)
class ErrorBody:
    """`{"message": ...}`, what Laravel answers with 401/402/403/404/429 and with plain successes ("Bill deleted")."""

    message: str

    @classmethod
    def from_payload(cls, payload: Any) -> Self:
        if isinstance(payload, Mapping) and isinstance(payload.get("message"), str):
            return cls(message=payload["message"])
        return cls(message="" if payload is None else str(payload))


@dataclass(frozen=True, slots=True, kw_only=True)
class ValidationErrorBody:
    """A 422: `{"message": ..., "errors": {"field": ["why", ...]}}`; `errors` is the same shape as `PayloadInvalid`."""

    message: str
    errors: dict[str, list[str]]

    @classmethod
    def from_payload(cls, payload: Any) -> Self:
        message = ErrorBody.from_payload(payload).message
        raw_errors = payload.get("errors") if isinstance(payload, Mapping) else None
        errors: dict[str, list[str]] = {}
        if isinstance(raw_errors, Mapping):
            for name, reasons in raw_errors.items():
                listed = reasons if isinstance(reasons, list) else [reasons]
                errors[str(name)] = [str(reason) for reason in listed]
        elif message:
            errors["__all__"] = [message]
        return cls(message=message, errors=errors)


@dataclass(frozen=True, slots=True, kw_only=True)
class LoginChallenge:
    """The answer to `/api/loginrequest`: the OTP is on its way; `countdown` seconds before another may be asked."""

    message: str | None = None
    countdown: int | None = None
    warnings: tuple[str, ...] = field(default=(), compare=False)

    @classmethod
    def from_payload(cls, payload: Any) -> Self:
        reader = RecordReader(payload if isinstance(payload, Mapping) else {}, "loginrequest")
        return cls(
            message=reader.text("message"), countdown=reader.integer("countdown"), warnings=tuple(reader.warnings)
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class AuthSession:
    """The answer to `/api/login`: "user profile with token". The doc's sample is `[null]`, so the token is looked
    for where Laravel Sanctum apps put it: `token`, `access_token`, or inside `data` / `user`.
    """

    token: str | None
    user: Mapping[str, Any] | None = field(default=None, repr=False)
    warnings: tuple[str, ...] = field(default=(), compare=False)

    @classmethod
    def from_payload(cls, payload: Any) -> Self:
        if not isinstance(payload, Mapping):
            return cls(token=None, warnings=(f"login: expected an object, got {type(payload).__name__}",))
        places = [payload, *(payload.get(key) for key in ("data", "user"))]
        token = next(
            (
                place[key]
                for place in places
                if isinstance(place, Mapping)
                for key in ("token", "access_token", "plainTextToken")
                if isinstance(place.get(key), str) and place[key]
            ),
            None,
        )
        user = payload.get("user")
        warnings = () if token else ("login: no token in the response",)
        return cls(token=token, user=user if isinstance(user, Mapping) else None, warnings=warnings)


def parse_transactions(payload: Any) -> tuple[tuple[Event, ...], tuple[str, ...]]:
    """The approve/pay answer: a list of transactions (the doc shows `[ { } ]`), read as events."""
    return parse_records(payload, Event, "transactions")
