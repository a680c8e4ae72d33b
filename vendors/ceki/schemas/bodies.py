"""Bodies the portal sends for login, contracts, participants, events and kals, checked against the doc first.

Each builder takes Python values (aware datetimes, ints, enums or their doc strings), raises `PayloadInvalid`
with every field problem at once, and returns the JSON body with unset (None) fields left out. Limits quoted
in comments are the doc's; where a builder asks for more than the doc, it says so and why.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from vendors.ceki.schemas.enums import (
    SETTABLE_EVENT_STATUSES,
    ContractRole,
    EventSortField,
    EventStatus,
    EventType,
    PaymentStatus,
    Permission,
)
from vendors.ceki.schemas.money import MIN_DURATION_MINUTES
from vendors.ceki.schemas.validation import FieldChecks, PayloadInvalid, compact

__all__ = [
    "contract_body",
    "contract_event_body",
    "contract_user_body",
    "correction_body",
    "correction_vote_body",
    "event_list_query",
    "hand_answer_body",
    "hand_body",
    "hand_role_body",
    "kal_body",
    "login_body",
    "login_request_body",
]


def login_request_body(email: str) -> dict[str, Any]:
    """`/api/loginrequest`: ask Ceki to mail the OTP."""
    checks = FieldChecks()
    body = {"email": checks.email("email", email, required=True, max_length=100)}
    checks.raise_if_invalid()
    return body


def login_body(email: str, otp: str) -> dict[str, Any]:
    """`/api/login`: the OTP goes in `password` ("string [ 6 .. 255 ] characters")."""
    checks = FieldChecks()
    body = {
        "email": checks.email("email", email, required=True, max_length=100),
        "password": checks.text("password", otp, required=True, min_length=6, max_length=255),
    }
    checks.raise_if_invalid()
    return body


def contract_body(
    *,
    creating: bool,
    label: str | None = None,
    currency: str | None = None,
    start: datetime | None = None,
    end: datetime | None = None,
    timezone: str | None = None,
    amount: int | None = None,
    description: str | None = None,
    private: bool | None = None,
    credit: bool | None = None,
    parent_id: int | None = None,
    settings: Mapping[str, Any] | None = None,
    files: Iterable[int] | None = None,
) -> dict[str, Any]:
    """Create (`label` and `currency` required) or update (all optional) a contract; `parent_id` only on create."""
    checks = FieldChecks()
    if parent_id is not None and not creating:
        checks.add("parent_id", "The parent id field is only accepted when creating a contract.")
    body = {
        "label": checks.text("label", label, required=creating),
        "currency": checks.text("currency", currency, required=creating),
        "start": checks.moment("start", start),
        "end": checks.moment("end", end),
        "timezone": checks.timezone("timezone", timezone),
        "amount": checks.integer("amount", amount),
        "description": checks.text("description", description),
        "private": checks.flag("private", private),
        "credit": checks.flag("credit", credit),
        "parent_id": checks.integer("parent_id", parent_id, minimum=1) if creating else None,
        "settings": _object(checks, "settings", settings),
        "files": checks.ids("files", files),
    }
    checks.raise_if_invalid()
    return compact(body)


def contract_event_body(
    *,
    creating: bool,
    label: str | None = None,
    date: datetime | None = None,
    start: str | None = None,
    end: str | None = None,
    duration: int | None = None,
    timezone: str | None = None,
    amount: int | None = None,
    currency: str | None = None,
    description: str | None = None,
    private: bool | None = None,
    credit: bool | None = None,
    status: EventStatus | str | None = None,
    parent_id: int | None = None,
    benefitable: Mapping[str, Any] | None = None,
    files: Iterable[int] | None = None,
    attendees: Iterable[Mapping[str, Any]] | None = None,
) -> dict[str, Any]:
    """Create (`label` required) or update an event of a contract.

    Only an update may set `status_id`, and only to 100/400/444/777; only a create may send `end`, `currency`
    and `parent_id` (the two endpoints' field lists differ in the doc).
    """
    checks = FieldChecks()
    for name, value in (("end", end), ("currency", currency), ("parent_id", parent_id)):
        if value is not None and not creating:
            checks.add(name, f"The {name.replace('_', ' ')} field is only accepted when creating an event.")
    if status is not None and creating:
        checks.add("status_id", "The status id field is only accepted when updating an event.")
    body = {
        "label": checks.text("label", label, required=creating),
        "status_id": checks.choice("status_id", status, EventStatus, allowed=SETTABLE_EVENT_STATUSES),
        "date": checks.moment("date", date),
        "start": checks.text("start", start),
        "end": checks.text("end", end),
        "duration": checks.integer("duration", duration, minimum=MIN_DURATION_MINUTES),
        "timezone": checks.timezone("timezone", timezone),
        "amount": checks.integer("amount", amount),
        "currency": checks.text("currency", currency),
        "description": checks.text("description", description),
        "private": checks.flag("private", private),
        "credit": checks.flag("credit", credit),
        "parent_id": checks.integer("parent_id", parent_id, minimum=1),
        "benefitable": _object(checks, "benefitable", benefitable),
        "files": checks.ids("files", files),
        "attendees": _objects(checks, "attendees", attendees),
    }
    checks.raise_if_invalid()
    return compact(body)


def correction_body(
    *,
    timezone: str | None = None,
    date: datetime | None = None,
    start: str | None = None,
    end: str | None = None,
    duration: int | None = None,
    status: EventStatus | str | None = None,
    payment_status: PaymentStatus | str | None = None,
    label: str | None = None,
    description: str | None = None,
    amount: int | None = None,
    currency: str | None = None,
) -> dict[str, Any]:
    """Propose corrections to an event; at least one field (an empty proposal would be a no-op vote)."""
    checks = FieldChecks()
    body = compact(
        {
            "timezone": checks.timezone("timezone", timezone),
            "date": checks.moment("date", date),
            "start": checks.text("start", start),
            "end": checks.text("end", end),
            "duration": checks.integer("duration", duration, minimum=MIN_DURATION_MINUTES),
            "status_id": checks.choice("status_id", status, EventStatus),
            "payment_status_id": checks.choice("payment_status_id", payment_status, PaymentStatus),
            "label": checks.text("label", label),
            "description": checks.text("description", description),
            "amount": checks.integer("amount", amount),
            "currency": checks.text("currency", currency),
        }
    )
    checks.raise_if_invalid()
    if not body:
        raise PayloadInvalid({"__all__": ["A correction must change at least one field."]})
    return body


def correction_vote_body(*, vote: bool, ids: Iterable[int]) -> dict[str, Any]:
    """Approve (`vote=True`) or reject the proposed corrections `ids` of an event."""
    checks = FieldChecks()
    body = {"vote": checks.flag("vote", vote, required=True), "ids": checks.ids("ids", ids, required=True)}
    checks.raise_if_invalid()
    return body


def contract_user_body(
    *,
    role: ContractRole | str,
    user_id: int | None = None,
    read: Permission | str | None = None,
    write: Permission | str | None = None,
    schedule: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """Add a user to a contract with a `role_id` (1-6) and `read`/`write` levels (0-5)."""
    checks = FieldChecks()
    body = {
        "user_id": checks.integer("user_id", user_id, minimum=1),
        "role_id": checks.choice("role_id", role, ContractRole, required=True),
        "read": checks.choice("read", read, Permission),
        "write": checks.choice("write", write, Permission),
        "schedule": _object(checks, "schedule", schedule),
    }
    checks.raise_if_invalid()
    return compact(body)


def hand_body(
    *,
    schedule: Mapping[str, Any],
    user_id: int | None = None,
    email: str | None = None,
    role: str | None = None,
) -> dict[str, Any]:
    """Add a participant (hand) with a work schedule.

    The doc makes `user_id` and `email` each nullable; a hand with neither names nobody, so one is required here.
    """
    checks = FieldChecks()
    body = {
        "user_id": checks.integer("user_id", user_id, minimum=1),
        "email": checks.email("email", email),
        "role": checks.text("role", role),
        "schedule": _object(checks, "schedule", schedule, required=True),
    }
    if user_id is None and email is None:
        checks.add("user_id", "Either the user id or the email field is required.")
    checks.raise_if_invalid()
    return compact(body)


def hand_role_body(role: str) -> dict[str, Any]:
    checks = FieldChecks()
    body = {"role": checks.text("role", role, required=True)}
    checks.raise_if_invalid()
    return body


def hand_answer_body(*, answer: bool, correction_id: int | None = None) -> dict[str, Any]:
    """Accept (`answer=True`) or reject a participation request, or the schedule correction `correction_id`."""
    checks = FieldChecks()
    body = {
        "answer": checks.flag("answer", answer, required=True),
        "correction_id": checks.integer("correction_id", correction_id, minimum=1),
    }
    checks.raise_if_invalid()
    return compact(body)


def kal_body(
    *,
    label: str,
    private: bool,
    description: str | None = None,
    slug: str | None = None,
    timezone: str | None = None,
    files: Iterable[int] | None = None,
) -> dict[str, Any]:
    """Create or update a calendar: both endpoints require `label` and `private`."""
    checks = FieldChecks()
    body = {
        "label": checks.text("label", label, required=True),
        "private": checks.flag("private", private, required=True),
        "description": checks.text("description", description),
        "slug": checks.text("slug", slug),
        "timezone": checks.timezone("timezone", timezone),
        "files": checks.ids("files", files),
    }
    checks.raise_if_invalid()
    return compact(body)


def event_list_query(
    *,
    dates_from: datetime | None = None,
    dates_to: datetime | None = None,
    start: datetime | None = None,
    end: datetime | None = None,
    user_id: int | None = None,
    payment_status: PaymentStatus | str | None = None,
    status: EventStatus | str | None = None,
    event_type: EventType | str | None = None,
    per_page: int | None = None,
    page: int | None = None,
    sort_by: EventSortField | str | None = None,
    descending: bool | None = None,
    fields: Iterable[EventSortField | str] | None = None,
) -> dict[str, Any]:
    """Query parameters of the contract events list, with the doc's bracketed names (`dates[from]`, `nn[]`).

    Booleans go as "1"/"0", which Laravel's boolean rule accepts in a query string. `sortBy` is a free string in
    the doc; it is held to the `nn[]` field names here because those are the columns the list exposes.
    """
    checks = FieldChecks()
    chosen_fields = None
    if fields is not None:
        chosen_fields = [checks.choice(f"nn[{i}]", name, EventSortField) for i, name in enumerate(fields)] or None
    flag = checks.flag("descending", descending)
    query = {
        "dates[from]": checks.moment("dates[from]", dates_from),
        "dates[to]": checks.moment("dates[to]", dates_to),
        "start": checks.moment("start", start),
        "end": checks.moment("end", end),
        "user_id": checks.integer("user_id", user_id, minimum=1),
        "payment_status_id": checks.choice("payment_status_id", payment_status, PaymentStatus),
        "status_id": checks.choice("status_id", status, EventStatus),
        "type_id": checks.choice("type_id", event_type, EventType),
        "perPage": checks.integer("perPage", per_page, minimum=1),
        "page": checks.integer("page", page, minimum=1),
        "sortBy": checks.choice("sortBy", sort_by, EventSortField),
        "descending": None if flag is None else ("1" if flag else "0"),
        "nn[]": chosen_fields,
    }
    checks.raise_if_invalid()
    return compact(query)


def _object(checks: FieldChecks, name: str, value: Any, *, required: bool = False) -> dict[str, Any] | None:
    """A nested object the doc leaves unspecified (`object`): passed through, but it must be one."""
    if value is None or (isinstance(value, Mapping) and not value):
        if required:
            checks.add(name, f"The {name} field is required.")
        return None
    if not isinstance(value, Mapping):
        checks.add(name, f"The {name} field must be an object.")
        return None
    return dict(value)


def _objects(checks: FieldChecks, name: str, values: Any) -> list[dict[str, Any]] | None:
    if values is None:
        return None
    items = list(values) if isinstance(values, Iterable) and not isinstance(values, str | Mapping) else None
    if items is None or not all(isinstance(item, Mapping) for item in items):
        checks.add(name, f"The {name} field must be a list of objects.")
        return None
    return [dict(item) for item in items]
