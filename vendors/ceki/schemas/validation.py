"""Checking a body against the doc before it leaves, so Ceki's 422 is the exception, not the way we find out.

`FieldChecks` collects every problem of one body and `PayloadInvalid` carries them field by field, in the same
shape as Ceki's own 422 `errors` (`{"field": ["message", ...]}`) and worded as Laravel words them, so a page can
show either the same way. Values are written to the wire here too: datetimes as UTC `Z` strings, enums as their
doc values, money as a JSON number.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable
from datetime import UTC, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any, TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from portal.integrations.errors import PayloadInvalid

__all__ = ["FieldChecks", "PayloadInvalid", "compact"]

E = TypeVar("E", bound=StrEnum)

# Deliberately loose (one @, a dot in the domain): Ceki is the judge; this only catches the obvious typo early.
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def compact(body: dict[str, Any]) -> dict[str, Any]:
    """Drop fields left unset: None means "not sent", since every optional field of the doc may be omitted."""
    return {name: value for name, value in body.items() if value is not None}


def _label(name: str) -> str:
    return name.replace("_", " ").replace("[", " ").replace("]", "")


class FieldChecks:
    """Checks the fields of one body; each method returns the value as it goes on the wire (None if invalid)."""

    def __init__(self) -> None:
        self.errors: dict[str, list[str]] = {}

    def add(self, name: str, message: str) -> None:
        self.errors.setdefault(name, []).append(message)

    def raise_if_invalid(self) -> None:
        if self.errors:
            raise PayloadInvalid(self.errors)

    def _missing(self, name: str, value: Any, required: bool) -> bool:
        """True when there is nothing to check further, recording the error if the field was required.

        A blank string counts as missing only for a required field; for an optional one it is a value (clearing
        a description is a real edit).
        """
        blank = isinstance(value, str) and not value.strip()
        if required and (value is None or blank):
            self.add(name, f"The {_label(name)} field is required.")
            return True
        return value is None

    def text(
        self,
        name: str,
        value: Any,
        *,
        required: bool = False,
        min_length: int | None = None,
        max_length: int | None = None,
    ) -> str | None:
        if self._missing(name, value, required):
            return None
        if not isinstance(value, str):
            self.add(name, f"The {_label(name)} field must be a string.")
            return None
        if min_length is not None and len(value) < min_length:
            self.add(name, f"The {_label(name)} field must be at least {min_length} characters.")
        if max_length is not None and len(value) > max_length:
            self.add(name, f"The {_label(name)} field must not be greater than {max_length} characters.")
        return value

    def email(self, name: str, value: Any, *, required: bool = False, max_length: int | None = None) -> str | None:
        checked = self.text(name, value, required=required, max_length=max_length)
        if checked is not None and not _EMAIL.match(checked):
            self.add(name, f"The {_label(name)} field must be a valid email address.")
        return checked

    def integer(
        self, name: str, value: Any, *, required: bool = False, minimum: int | None = None, maximum: int | None = None
    ) -> int | None:
        if self._missing(name, value, required):
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            self.add(name, f"The {_label(name)} field must be an integer.")
            return None
        self._range(name, value, minimum, maximum)
        return value

    def number(
        self, name: str, value: Any, *, required: bool = False, minimum: int | None = None
    ) -> int | float | None:
        """Money: a Decimal (or int) in, a JSON number out; integral amounts go as integers."""
        if self._missing(name, value, required):
            return None
        if isinstance(value, bool) or not isinstance(value, int | Decimal) or not Decimal(value).is_finite():
            self.add(name, f"The {_label(name)} field must be a number (int or Decimal).")
            return None
        self._range(name, value, minimum, None)
        amount = Decimal(value)
        return int(amount) if amount == amount.to_integral_value() else float(amount)

    def _range(self, name: str, value: int | Decimal, minimum: int | None, maximum: int | None) -> None:
        if minimum is not None and value < minimum:
            self.add(name, f"The {_label(name)} field must be at least {minimum}.")
        if maximum is not None and value > maximum:
            self.add(name, f"The {_label(name)} field must not be greater than {maximum}.")

    def flag(self, name: str, value: Any, *, required: bool = False) -> bool | None:
        if self._missing(name, value, required):
            return None
        if not isinstance(value, bool):
            self.add(name, f"The {_label(name)} field must be true or false.")
            return None
        return value

    def moment(self, name: str, value: Any, *, required: bool = False) -> str | None:
        """An aware datetime, sent in UTC with `Z` as the doc's samples show; a naive one is refused, not guessed."""
        if self._missing(name, value, required):
            return None
        if not isinstance(value, datetime):
            self.add(name, f"The {_label(name)} field must be a datetime.")
            return None
        if value.tzinfo is None or value.utcoffset() is None:
            self.add(name, f"The {_label(name)} field must carry a time zone.")
            return None
        return value.astimezone(UTC).isoformat().replace("+00:00", "Z")

    def choice(
        self, name: str, value: Any, enum: type[E], *, required: bool = False, allowed: Collection[E] | None = None
    ) -> E | None:
        if self._missing(name, value, required):
            return None
        permitted = [member for member in enum if allowed is None or member in allowed]
        try:
            member = enum(str(value))
        except ValueError:
            member = None
        if member is None or member not in permitted:
            self.add(name, f"The selected {_label(name)} is invalid (expected one of {', '.join(permitted)}).")
            return None
        return member

    def ids(self, name: str, values: Any, *, required: bool = False) -> list[int] | None:
        """A non-empty list of positive ids (the doc's "Array of integers non-empty"), duplicates dropped."""
        if isinstance(values, str | bytes) or (values is not None and not isinstance(values, Iterable)):
            self.add(name, f"The {_label(name)} field must be a list of ids.")
            return None
        items = [] if values is None else list(values)
        if not items:
            if required:
                self.add(name, f"The {_label(name)} field is required.")
            return None
        for position, value in enumerate(items):
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                self.add(f"{name}.{position}", f"The {_label(name)}.{position} field must be a positive integer id.")
        return list(dict.fromkeys(value for value in items if type(value) is int and value >= 1))

    def timezone(self, name: str, value: Any, *, required: bool = False) -> str | None:
        """An IANA zone name: wall-clock values travel with it, so a wrong one would shift every time we read."""
        checked = self.text(name, value, required=required)
        if checked is not None:
            try:
                ZoneInfo(checked)
            except (ZoneInfoNotFoundError, ValueError):
                self.add(name, f"The {_label(name)} field must be a valid time zone.")
                return None
        return checked
