"""Tolerant reading of Alaunus payloads: one bad value becomes None plus a warning, never a failed page.

The Alaunus doc gives types ("integer", "float", "datetime", "id") but no examples, and its backend is
document-shaped (`_id`, subdocuments, `_deleted_dates`), so values arrive in more than one spelling: numbers as
strings, Mongo extended JSON (`{"$date": ...}`, `{"$oid": ...}`), keys with a trailing `?`. Every schema reads
through a `PayloadReader`, which records what it could not understand on a shared warnings list that ends up
on the top-level record (`record.warnings`), so sync can store the record and still show what was dropped.

Datetimes with an offset or `Z` become aware UTC datetimes. Naive ones are kept naive: Alaunus then means the
account's wall-clock time (the account `settings.timezone`), which only the caller knows, so guessing UTC here
would silently shift a visit by hours.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any, ClassVar, Self, TypeVar

from vendors.base.reading import FieldReader

__all__ = ["ParseWarning", "PayloadReader", "SubDocument", "enum_member", "normalise_key"]

E = TypeVar("E", bound=StrEnum)
S = TypeVar("S", bound="SubDocument")

_MONEY_NOISE = re.compile(r"[,$\s]")
# Epoch numbers above this are milliseconds (JavaScript's Date.now()); below, seconds.
_EPOCH_MS_THRESHOLD = 100_000_000_000


@dataclass(frozen=True, slots=True)
class ParseWarning:
    """One value the reader could not understand; `path` is dotted from the record root."""

    path: str
    value: str
    message: str

    @property
    def key(self) -> str:
        """The path, under the name `vendors.base.reading.unreadable_fields` reads."""
        return self.path

    @property
    def raw(self) -> str:
        return self.value


def normalise_key(key: str) -> str:
    """Compare keys the way a person would: `Do-Not-Hire?`, `do_not_hire` and `_do_not_hire` are one key."""
    return key.strip().rstrip("?").strip().lstrip("_").lower().replace("-", "_").replace(" ", "_")


class PayloadReader(FieldReader):
    """Reads one (sub)document; lookups are exact first, then by `normalise_key`.

    The value kinds are `FieldReader`'s, under the names the Alaunus schemas use (`boolean`, `date`, `datetime`,
    `money`); Alaunus adds Mongo's spellings, loose keys, and warnings with the path from the record root that
    every subdocument reader shares with its parent.
    """

    truthy: ClassVar[frozenset[str]] = FieldReader.truthy | {"t", "y", "on"}
    falsy: ClassVar[frozenset[str]] = FieldReader.falsy | {"f", "n", "off"}
    wording: ClassVar[Mapping[str, str]] = {
        **FieldReader.wording,
        "flag": "true or false",
        "datetime": "a datetime",
    }
    warnings: list[ParseWarning]

    def __init__(self, payload: Mapping[str, Any], path: str = "", warnings: list[ParseWarning] | None = None):
        super().__init__(payload, path, warnings)
        self._index: dict[str, str] = {}
        for key in payload:
            if isinstance(key, str):
                self._index.setdefault(normalise_key(key), key)

    # -- lookup and warnings ----------------------------------------------------------------------------------
    def find(self, keys: tuple[str, ...]) -> tuple[str, Any]:
        for key in keys:
            if key in self.fields:
                return key, self.fields[key]
        for key in keys:
            original = self._index.get(normalise_key(key))
            if original is not None:
                return original, self.fields[original]
        return keys[0], None

    def _at(self, key: str) -> str:
        return f"{self.kind}.{key}" if self.kind else key

    def warn(self, key: str, value: Any, message: str) -> None:
        self.warnings.append(ParseWarning(self._at(key), repr(value)[:200], message))

    def drop(self, key: str, value: Any, expected: str) -> None:
        self.warn(key, value, f"not {expected}")

    # -- scalars ----------------------------------------------------------------------------------------------
    def text(self, *keys: str) -> str | None:
        """Alaunus strings are trimmed, and a blank one is absent."""
        value = super().text(*keys)
        return (value.strip() or None) if value is not None else None

    def ident(self, *keys: str) -> str | None:
        """An Alaunus id: a string, a number, `{"$oid": ...}` or a subdocument carrying `_id`/`id`."""

        def convert(value: Any) -> str:
            if isinstance(value, Mapping):
                for inner in ("$oid", "_id", "id"):
                    if inner in value:
                        return convert(value[inner])
                raise TypeError
            if isinstance(value, bool | list):
                raise TypeError
            result = str(value).strip()
            if not result:
                raise ValueError
            return result

        return self.read(keys, convert, "an id")

    def number(self, *keys: str) -> float | None:
        def convert(value: Any) -> float:
            if isinstance(value, bool):
                raise TypeError
            number = float(str(value).strip())
            if not math.isfinite(number):
                raise ValueError
            return number

        return self.read(keys, convert, "a number")

    def money(self, *keys: str) -> Decimal | None:
        """Amounts and rates as Decimal (the doc's "float"), so totals add up to the cent; `$1,200.50` is fine."""
        return self.read(keys, lambda value: self.decimal_from(_MONEY_NOISE.sub("", str(value))), "an amount")

    boolean = FieldReader.flag
    date = FieldReader.day
    datetime = FieldReader.moment  # naive values stay naive: the account's wall clock, see the module docstring

    def date_from(self, value: Any) -> date:
        if isinstance(value, Mapping) and "$date" in value:
            value = value["$date"]  # its own date part, as a string would give
        return super().date_from(value)

    def datetime_from(self, value: Any) -> datetime:
        """ISO 8601, `{"$date": ...}` or epoch seconds/milliseconds."""
        if isinstance(value, Mapping) and "$date" in value:
            return self.datetime_from(value["$date"])
        if isinstance(value, int | float) and not isinstance(value, bool):
            seconds = value / 1000 if abs(value) >= _EPOCH_MS_THRESHOLD else value
            return datetime.fromtimestamp(seconds, tz=UTC)
        return super().datetime_from(value)

    def member_of(self, enum: type[E], value: Any) -> E:
        member = enum_member(enum, value)
        if member is None:
            raise ValueError(f"{value!r} is not a {enum.__name__}")
        return member

    # -- containers -------------------------------------------------------------------------------------------
    def mapping(self, *keys: str) -> dict[str, Any] | None:
        key, value = self.find(keys)
        if value is None:
            return None
        if not isinstance(value, Mapping):
            self.warn(key, value, "not a subdocument")
            return None
        return dict(value)

    def items(self, *keys: str) -> Iterator[tuple[str, Any]]:
        """(path, element) of a list; a single subdocument where a list was documented counts as one element."""
        key, value = self.find(keys)
        if value is None:
            return
        if isinstance(value, Mapping):
            value = [value]
        if not isinstance(value, list):
            self.warn(key, value, "not a list")
            return
        for position, element in enumerate(value):
            yield f"{key}[{position}]", element

    def child(self, key: str, payload: Mapping[str, Any]) -> PayloadReader:
        return PayloadReader(payload, self._at(key), self.warnings)

    def one(self, schema: type[S], *keys: str) -> S | None:
        """A typed subdocument, or None."""
        key, value = self.find(keys)
        if value is None:
            return None
        if not isinstance(value, Mapping):
            self.warn(key, value, "not a subdocument")
            return None
        return schema.from_reader(self.child(key, value))

    def many(self, schema: type[S], *keys: str) -> tuple[S, ...]:
        """Typed subdocuments; an element that is not a subdocument is skipped with a warning."""
        parsed = []
        for path, element in self.items(*keys):
            if isinstance(element, Mapping):
                parsed.append(schema.from_reader(self.child(path, element)))
            else:
                self.warnings.append(ParseWarning(self._at(path), repr(element)[:200], "not a subdocument"))
        return tuple(parsed)

    def raw_many(self, *keys: str) -> tuple[dict[str, Any], ...]:
        """Subdocuments the portal keeps only in the raw payload, as plain dicts."""
        return tuple(dict(element) for _, element in self.items(*keys) if isinstance(element, Mapping))

    def idents(self, *keys: str) -> tuple[str, ...]:
        """A list of ids (or of subdocuments carrying them)."""
        found = []
        for path, element in self.items(*keys):
            reader = PayloadReader({path: element}, self.kind, self.warnings)
            value = reader.ident(path)
            if value is not None:
                found.append(value)
        return tuple(found)

    def integers(self, *keys: str) -> Iterator[tuple[str, int]]:
        """(path, whole number) of a list; an element that is not one is skipped with a warning."""
        for path, element in self.items(*keys):
            value = PayloadReader({path: element}, self.kind, self.warnings).integer(path)
            if value is not None:
                yield path, value


def enum_member(enum: type[E], value: Any) -> E | None:
    """Find the member whose value or name matches `value` loosely (`Phone screened` -> PHONE_SCREENED)."""
    if isinstance(value, enum):
        return value
    wanted = re.sub(r"[\s\-]+", "_", str(value).strip()).lower()
    for member in enum:
        if wanted in (member.value.lower(), member.name.lower()):
            return member
    try:
        return enum(wanted)  # lets an enum's own `_missing_` accept a vendor spelling
    except ValueError:
        return None


class SubDocument:
    """Base of subdocument schemas: they read from a parent's reader so warnings reach the record."""

    __slots__ = ()

    @classmethod
    def from_reader(cls, reader: PayloadReader) -> Self:
        raise NotImplementedError

    @classmethod
    def from_payload(cls, payload: Mapping[str, Any]) -> Self:
        """Parse a subdocument on its own (its warnings are then not kept anywhere)."""
        return cls.from_reader(PayloadReader(payload))
