"""Checking an outgoing body against the Kamana doc before it is sent, so a form shows the problem, not a 422.

A body is described as `{wire field name: Field}`; `check_fields` reads a mapping of submitted values (a
form's cleaned data, a core outbox row), converts each to what goes on the wire and collects every problem
as `{field: [message, ...]}` in one `PayloadInvalid`. Unknown keys are refused too: the doc's own update
example sends `"contract-length"`, which Kamana would silently ignore.

None and blank strings mean "not sent" for an optional field: the doc's schemas let each be omitted, and a
form's empty input must not overwrite a value in Kamana with "".
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from portal.integrations.errors import PayloadInvalid

__all__ = [
    "REQUIRED",
    "CheckedBody",
    "Field",
    "PayloadInvalid",
    "check_fields",
    "choice",
    "day",
    "email",
    "flag",
    "jsonapi_errors",
    "money",
    "one_of",
    "text",
    "time_zone",
    "whole",
]

REQUIRED = "This field is required."
# Deliberately loose (one @, a dot in the domain): Kamana is the judge, this catches the obvious typo early.
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def jsonapi_errors(invalid: PayloadInvalid) -> list[dict[str, Any]]:
    """A refusal as JSON:API error objects, one a problem: what Kamana (and so its sandbox) answers with a 422."""
    return [
        {"status": "422", "title": "Invalid value", "detail": message, "source": {"pointer": f"/{name}"}}
        for name, messages in invalid.errors.items()
        for message in messages
    ]


class _Refused(ValueError):
    """Raised by a `Field` converter with the message for the form."""


Field = Callable[[Any], Any]
"""Converts one submitted value to its wire form, or raises `_Refused` with the reason."""


def _is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _number(value: Any) -> Decimal:
    if isinstance(value, bool | dict | list):
        raise _Refused("Enter a number.")
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        raise _Refused("Enter a number.") from None
    if not number.is_finite():
        raise _Refused("Enter a number.")
    return number


def text() -> Field:
    """A string field; the doc states no length limits, so none are enforced (README, decisions)."""

    def convert(value: Any) -> str:
        if isinstance(value, bool | dict | list):
            raise _Refused("Enter text.")
        return str(value).strip()

    return convert


def email() -> Field:
    def convert(value: Any) -> str:
        address = str(value).strip()
        if not _EMAIL.match(address):
            raise _Refused("Enter a valid email address.")
        return address

    return convert


def choice(enum: type[StrEnum]) -> Field:
    """One of a documented string enum, written exactly as the doc writes it (`Travel Contract`)."""

    def convert(value: Any) -> str:
        wanted = str(value).strip().casefold()
        for member in enum:
            if member.value.casefold() == wanted:
                return member.value
        raise _Refused(f"Choose one of: {', '.join(enum)}.")

    return convert


def one_of(allowed: Collection[int], what: str) -> Field:
    """One of a documented numeric enum (contract length, hours per week, shift hour); sent as a JSON integer.

    The doc's `anyOf` also allows one numeric string per field ("20", "32"); a form sends strings, so any
    numeric string whose value is allowed is taken, and the integer goes on the wire.
    """

    def convert(value: Any) -> int:
        number = _number(value)
        if number != number.to_integral_value() or int(number) not in allowed:
            ordered = sorted(allowed)
            listed = (
                f"{ordered[0]} to {ordered[-1]}"
                if ordered == list(range(ordered[0], ordered[-1] + 1))
                else ", ".join(map(str, ordered))
            )
            raise _Refused(f"{what} must be one of {listed}.")
        return int(number)

    return convert


def whole(minimum: int | None = None, maximum: int | None = None) -> Field:
    def convert(value: Any) -> int:
        number = _number(value)
        if number != number.to_integral_value():
            raise _Refused("Enter a whole number.")
        if minimum is not None and number < minimum:
            raise _Refused(f"Ensure this value is at least {minimum}.")
        if maximum is not None and number > maximum:
            raise _Refused(f"Ensure this value is at most {maximum}.")
        return int(number)

    return convert


def money(*, as_string: bool) -> Field:
    """A non-negative amount. The doc types pay as JSON numbers for requisitions, strings for engagements."""

    def convert(value: Any) -> int | float | str:
        number = _number(value)
        if number < 0:
            raise _Refused("Ensure this amount is not negative.")
        if as_string:
            return format(number, "f")
        return int(number) if number == number.to_integral_value() else float(number)

    return convert


def day() -> Field:
    """A calendar date, sent as `YYYY-MM-DD` (the doc's own `"2023-010-01"` is refused)."""

    def convert(value: Any) -> str:
        if isinstance(value, datetime):  # a moment is not a day: its date in its own zone is all that is sent
            return value.date().isoformat()
        if isinstance(value, date):
            return value.isoformat()
        try:
            return date.fromisoformat(str(value).strip()).isoformat()
        except ValueError:
            raise _Refused("Enter a valid date (YYYY-MM-DD).") from None

    return convert


def flag() -> Field:
    def convert(value: Any) -> bool:
        if isinstance(value, bool):
            return value
        raise _Refused("Must be true or false.")

    return convert


def time_zone() -> Field:
    """An IANA zone name such as `Pacific/Honolulu` (the facility update example)."""

    def convert(value: Any) -> str:
        name = str(value).strip()
        try:
            ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            raise _Refused("Enter an IANA time zone such as America/New_York.") from None
        return name

    return convert


@dataclass(frozen=True, slots=True)
class CheckedBody:
    """The wire body built so far and the problems found; body functions add their cross-field rules."""

    body: dict[str, Any]
    errors: dict[str, list[str]]

    def refuse(self, name: str, message: str) -> None:
        self.errors.setdefault(name, []).append(message)

    def result(self) -> dict[str, Any]:
        if self.errors:
            raise PayloadInvalid(self.errors)
        return self.body


def check_fields(
    values: Mapping[str, Any],
    fields: Mapping[str, Field],
    *,
    required: Iterable[str] = (),
    aliases: Mapping[str, str] | None = None,
) -> CheckedBody:
    """Each submitted value converted by its `Field`; missing required ones and unknown keys recorded."""
    aliases = aliases or {}
    checked = CheckedBody(body={}, errors={})
    for submitted, value in values.items():
        name = aliases.get(submitted, submitted)
        convert = fields.get(name)
        if convert is None:
            checked.refuse(submitted, f"Kamana has no field {submitted!r} here.")
            continue
        if _is_blank(value):
            continue
        try:
            checked.body[name] = convert(value)
        except _Refused as refused:
            checked.refuse(name, str(refused))
    for name in required:
        if name not in checked.body and name not in checked.errors:
            checked.refuse(name, REQUIRED)
    return checked
