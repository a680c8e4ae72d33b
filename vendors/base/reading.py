"""Tolerant reading of vendor payloads: an odd spelling is still read, a value that cannot be read costs that one
field (None plus a warning), never the record or the page.

Every vendor we connect sends the same kinds of mess: numbers and ids as strings (`"140"`, `"2,450.00"`), flags
as `"1"`/`"yes"`, predicate keys with a trailing `?` (`do_not_hire?`), one record with a date nobody can read.
`FieldReader` reads those value kinds once. A vendor's reader subclasses it only for what is its own: where a
key is found (Alaunus compares keys loosely), how a warning is recorded (Alaunus keeps paths), which extra
spellings it accepts (Alaunus epochs and `{"$date": ...}`, Ceki's bare clock times, Kamana's JSON:API
relationships) and how it names what it expected in the warnings its tests and users already know.

Rules every reader shares:
- A missing key, `null`, or a string of only white space is absent: None and no warning. Text is the exception:
  a blank string is a value the vendor chose (`""` stays `""`) unless the vendor's reader trims.
- A value that is present but unreadable is None plus one warning naming the field, what was expected and what
  came (a `ReadWarning`: still the text, plus its key and raw value), so a mapping can tell the sync which
  fields to leave as the portal holds them (`unreadable_fields`) and the run can show what was dropped.
- Timestamps with an offset come back aware in UTC. Naive ones mean what the vendor says they mean: UTC for
  Ecto/Laravel timestamps (`naive_is_utc`), the account's or record's wall clock otherwise, which only the
  caller knows, so the default is to keep them naive rather than shift a visit by hours.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, date, datetime, time
from decimal import Decimal
from enum import StrEnum
from typing import Any, ClassVar, TypeVar

__all__ = ["FieldReader", "ReadWarning", "iso_datetime", "unreadable_fields"]

E = TypeVar("E", bound=StrEnum)
T = TypeVar("T")

# "2,450.00": US thousands grouping only, so "1,5" is not silently read as 15.
_GROUPED = re.compile(r"^-?\d{1,3}(,\d{3})+(\.\d+)?$")
# What a converter raises for a value it cannot read; OSError: an epoch beyond the platform's range.
_UNREADABLE = (TypeError, ValueError, ArithmeticError, OSError)


class ReadWarning(str):
    """A reader's warning about one value it dropped: the text people read, plus where and what for the sync.

    A `str`, so every page and test that shows warnings as text keeps working; `key` is `kind.key` as in the
    text, `raw` the value as sent (shortened repr), `message` the text itself.
    """

    key: str
    raw: str

    def __new__(cls, text: str, key: str, raw: str) -> ReadWarning:
        warning = super().__new__(cls, text)
        warning.key, warning.raw = key, raw
        return warning

    def __getnewargs__(self) -> tuple[str, str, str]:  # copies and pickles keep key and raw
        return str(self), self.key, self.raw

    @property
    def message(self) -> str:
        return str(self)


def unreadable_fields(
    warnings: Iterable[Any], fields: Mapping[str, Any], *, prefix: str = "", renamed: Mapping[str, str] | None = None
) -> dict[str, dict[str, str]]:
    """Domain field -> `{"raw", "message"}` for each field the mapping wrote from a value the reader dropped.

    `warnings` are anything with `key`, `raw` and `message` (`ReadWarning`, Alaunus' and CareerBuilder's
    `ParseWarning`); plain texts (a nested record's, re-worded) are not about the record's own fields. `prefix`
    is the reader's `kind.`; `renamed` maps a payload key to the domain field it feeds where the names differ.
    """
    problems: dict[str, dict[str, str]] = {}
    for warning in warnings:
        key = getattr(warning, "key", None)
        if not key or not key.startswith(prefix):
            continue
        key = key[len(prefix) :]
        name = (renamed or {}).get(key, key)
        if name in fields and name not in problems:
            problems[name] = {"raw": warning.raw, "message": warning.message}
    return problems


def iso_datetime(value: Any) -> datetime:
    """ISO 8601 (with `Z`, or Laravel's `Y-m-d H:i:s`) as sent, zone untouched; raises for anything else.

    MySQL's zero date `0000-00-00`, which Laravel passes through, fails here too (year 0 is out of range).
    """
    if isinstance(value, datetime):
        return value
    if isinstance(value, date):
        return datetime.combine(value, time())
    if isinstance(value, str):
        return datetime.fromisoformat(value.strip())
    raise TypeError(f"{type(value).__name__} is not a date-time")


def _text(value: Any) -> str:
    if isinstance(value, bool | Mapping | list):
        raise TypeError("not text")
    return str(value)


class FieldReader:
    """Reads the fields of one payload, collecting a warning for every value it had to drop."""

    truthy: ClassVar[frozenset[str]] = frozenset({"1", "true", "yes"})
    falsy: ClassVar[frozenset[str]] = frozenset({"0", "false", "no"})
    naive_is_utc: ClassVar[bool] = False
    wording: ClassVar[Mapping[str, str]] = {
        "text": "text",
        "integer": "a whole number",
        "decimal": "a number",
        "flag": "a boolean",
        "date": "a date",
        "datetime": "a date-time",
    }
    """How each kind is named in a warning (`…: expected a whole number, got 'two'`)."""

    def __init__(self, fields: Mapping[str, Any], kind: str, warnings: list[Any] | None = None) -> None:
        self.fields = fields
        self.kind = kind
        self.warnings: list[Any] = [] if warnings is None else warnings

    # -- lookup and warnings ----------------------------------------------------------------------------------
    def find(self, keys: tuple[str, ...]) -> tuple[str, Any]:
        """The first of `keys` present, also spelled `key?` (Elixir and Laravel predicates); `(keys[0], None)`."""
        for key in keys:
            if key in self.fields:
                return key, self.fields[key]
            if f"{key}?" in self.fields:
                return key, self.fields[f"{key}?"]
        return keys[0], None

    def raw(self, *keys: str) -> Any:
        """The value as sent (None when absent)."""
        return self.find(keys)[1]

    def drop(self, key: str, value: Any, expected: str) -> None:
        path = f"{self.kind}.{key}"
        text = f"{path}: expected {expected}, got {value!r}; read as null"
        self.warnings.append(ReadWarning(text, path, repr(value)[:200]))

    def read(
        self, keys: tuple[str, ...], convert: Callable[[Any], T], expected: str, *, keep_blank: bool = False
    ) -> T | None:
        """`convert` the value under `keys`; absent is None, unreadable is None plus a warning."""
        key, value = self.find(keys)
        if value is None or (not keep_blank and isinstance(value, str) and not value.strip()):
            return None
        try:
            return convert(value)
        except _UNREADABLE:
            self.drop(key, value, expected)
            return None

    # -- value kinds ------------------------------------------------------------------------------------------
    def text(self, *keys: str) -> str | None:
        """Strings as sent; numbers are written out, booleans and containers refused."""
        return self.read(keys, _text, self.wording["text"], keep_blank=True)

    def integer(self, *keys: str) -> int | None:
        """Whole numbers, also sent as `"20"`, `20.0` or `"1,000"`; `1.5` is refused, not rounded."""
        return self.read(keys, self.integer_from, self.wording["integer"])

    def decimal(self, *keys: str) -> Decimal | None:
        """Money and counts as Decimal, so totals add up to the cent; NaN and infinities are refused."""
        return self.read(keys, self.decimal_from, self.wording["decimal"])

    def flag(self, *keys: str) -> bool | None:
        """Booleans, also `1`/`0` and the reader's `truthy`/`falsy` words in any case."""
        return self.read(keys, self.flag_from, self.wording["flag"])

    def day(self, *keys: str) -> date | None:
        """A calendar date; a date-time keeps its own date part (a birthday is not an instant, so no shift)."""
        return self.read(keys, self.date_from, self.wording["date"])

    def moment(self, *keys: str, naive_is_utc: bool | None = None) -> datetime | None:
        """A timestamp: aware ones converted to UTC, naive ones UTC or kept naive (the class's or the call's)."""
        parsed = self.read(keys, self.datetime_from, self.wording["datetime"])
        if parsed is None:
            return None
        if parsed.tzinfo is not None:
            return parsed.astimezone(UTC)
        as_utc = self.naive_is_utc if naive_is_utc is None else naive_is_utc
        return parsed.replace(tzinfo=UTC) if as_utc else parsed

    def enum(self, enum: type[E], *keys: str) -> E | None:
        """A documented enum value, matched as the vendor's `member_of` allows."""
        return self.read(keys, lambda value: self.member_of(enum, value), f"one of {', '.join(enum)}")

    # -- converters: raise for a value they cannot read; a vendor's reader extends these ------------------------
    def decimal_from(self, value: Any) -> Decimal:
        if isinstance(value, bool | Mapping | list):
            raise TypeError("not a number")
        text = str(value).strip()
        number = Decimal(text.replace(",", "") if _GROUPED.match(text) else text)
        if not number.is_finite():
            raise ValueError("not a finite number")
        return number

    def integer_from(self, value: Any) -> int:
        number = self.decimal_from(value)
        if number != number.to_integral_value():
            raise ValueError("not a whole number")
        return int(number)

    def flag_from(self, value: Any) -> bool:
        if isinstance(value, bool):
            return value
        if isinstance(value, int | float) and value in (0, 1):
            return bool(value)
        if isinstance(value, str) and value.strip().lower() in self.truthy | self.falsy:
            return value.strip().lower() in self.truthy
        raise ValueError("not a boolean")

    def date_from(self, value: Any) -> date:
        if isinstance(value, str):
            text = value.strip()
            return date.fromisoformat(text[:10] if len(text) > 10 and text[10] in "T " else text)
        return self.datetime_from(value).date()

    def datetime_from(self, value: Any) -> datetime:
        return iso_datetime(value)

    def member_of(self, enum: type[E], value: Any) -> E:
        """Exact values; a whole float is its integer (`100.0` is status `"100"`)."""
        text = str(int(value)) if isinstance(value, float) and value.is_integer() else str(value).strip()
        return enum(text)
