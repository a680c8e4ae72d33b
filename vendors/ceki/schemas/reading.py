"""Tolerant reading of one Ceki record: a bad value costs that field (None plus a warning), never the whole page.

Ceki is a Laravel app and its doc shows what that means on the wire: ids and flags as strings (`"user_id":
"string"`, `"credit": "string"`), money as a decimal string (`"amount": "string"`), JSON columns sometimes
still encoded (`"settings": "string"`), `deleted_at` as `"string"` in one schema and a date-time in the next.

Datetimes: Laravel timestamps (`created_at`, `updated_at`, `deleted_at`) are UTC; the doc shows them with `Z`,
so they come back aware in UTC, and a naive one is read as UTC too (Laravel serialises in the app zone, UTC).
Wall-clock fields (an event's `date`, `start`, `end`) are typed plain "string" and travel with a `timezone`
field: a value with an offset is returned aware in UTC; a naive one is kept naive, meaning local time in that
record's `timezone` (see `localize`).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import UTC, date, datetime, time
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Any, TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

__all__ = ["RecordReader", "localize"]

E = TypeVar("E", bound=StrEnum)

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


def localize(value: datetime | None, timezone: str | None) -> datetime | None:
    """A naive wall-clock value made aware in the record's IANA zone (UTC when the zone is missing or unknown)."""
    if value is None or value.tzinfo is not None:
        return value
    try:
        zone = ZoneInfo(timezone) if timezone else UTC
    except (ZoneInfoNotFoundError, ValueError):
        zone = UTC
    return value.replace(tzinfo=zone)


class RecordReader:
    """Reads fields of one payload, collecting a warning for every value it had to drop."""

    def __init__(self, payload: Mapping[str, Any], kind: str) -> None:
        if not isinstance(payload, Mapping):
            raise TypeError(f"a Ceki {kind} must be a JSON object, got {type(payload).__name__}")
        self.payload = payload
        self.kind = kind
        self.warnings: list[str] = []

    def raw(self, key: str) -> Any:
        """The value under `key`, or under `key?` (some Laravel accessors are serialised with the `?`)."""
        if key in self.payload:
            return self.payload[key]
        return self.payload.get(f"{key}?")

    def _drop(self, key: str, value: Any, expected: str) -> None:
        self.warnings.append(f"{self.kind}.{key}: expected {expected}, got {value!r}; read as null")

    def text(self, key: str) -> str | None:
        value = self.raw(key)
        if value is None:
            return None
        if isinstance(value, bool | dict | list):
            self._drop(key, value, "text")
            return None
        return str(value)

    def integer(self, key: str) -> int | None:
        value = self.raw(key)
        if value is None or value == "":
            return None
        if isinstance(value, bool):
            self._drop(key, value, "an integer")
            return None
        if isinstance(value, int):
            return value
        try:
            number = Decimal(str(value).strip())
        except InvalidOperation:
            number = None
        if number is None or not number.is_finite() or number != number.to_integral_value():
            self._drop(key, value, "an integer")
            return None
        return int(number)

    def decimal(self, key: str) -> Decimal | None:
        value = self.raw(key)
        if value is None or value == "":
            return None
        if not isinstance(value, bool):
            try:
                number = Decimal(str(value).strip())
            except InvalidOperation:
                number = None
            if number is not None and number.is_finite():
                return number
        self._drop(key, value, "a number")
        return None

    def flag(self, key: str) -> bool | None:
        value = self.raw(key)
        if value is None or value == "":
            return None
        if isinstance(value, bool):
            return value
        if isinstance(value, int) and value in (0, 1):
            return bool(value)
        if isinstance(value, str) and value.strip().lower() in _TRUE | _FALSE:
            return value.strip().lower() in _TRUE
        self._drop(key, value, "a boolean")
        return None

    def moment(self, key: str, *, naive_is_utc: bool) -> datetime | None:
        """ISO 8601 or Laravel's `Y-m-d H:i:s`; aware values become UTC, naive ones per `naive_is_utc`."""
        value = self.raw(key)
        if value is None or value == "":
            return None
        parsed = _parse_datetime(value)
        if parsed is None:
            self._drop(key, value, "a date-time")
            return None
        if parsed.tzinfo is not None:
            return parsed.astimezone(UTC)
        return parsed.replace(tzinfo=UTC) if naive_is_utc else parsed

    def wall_time(self, key: str, on: datetime | None) -> datetime | None:
        """An event's `start`/`end`: a full date-time, or a bare `HH:MM[:SS]` placed on the day of `on`."""
        value = self.raw(key)
        if isinstance(value, str) and len(value.strip()) <= 8 and ":" in value:
            try:
                clock = time.fromisoformat(value.strip())
            except ValueError:
                clock = None
            if clock is not None:
                if on is None:
                    self._drop(key, value, "a date-time (a bare time needs the record's date)")
                    return None
                # Naive even when the date carried an offset: a bare clock time is the record's local time.
                return datetime.combine(on.date(), clock)
        return self.moment(key, naive_is_utc=False)

    def enum(self, enum: type[E], key: str) -> E | None:
        value = self.raw(key)
        if value is None or value == "":
            return None
        text = str(int(value)) if isinstance(value, float) and value.is_integer() else str(value).strip()
        try:
            return enum(text)
        except ValueError:
            self._drop(key, value, f"one of {', '.join(enum)}")
            return None

    def json(self, key: str) -> Any:
        """A JSON column, decoded when Laravel sent it still encoded as a string."""
        value = self.raw(key)
        if isinstance(value, str):
            if not value.strip():
                return None
            try:
                return json.loads(value)
            except ValueError:
                self._drop(key, value, "JSON")
                return None
        return value

    def ids(self, key: str) -> tuple[int, ...]:
        """A list of ids (`files`), tolerating an encoded list and dropping entries that are not ids."""
        value = self.json(key)
        if value is None:
            return ()
        if not isinstance(value, list):
            self._drop(key, value, "a list of ids")
            return ()
        ids = []
        for item in value:
            number = item if isinstance(item, int) and not isinstance(item, bool) else None
            if number is None and isinstance(item, str) and item.strip().isdigit():
                number = int(item)
            if number is None:
                self.warnings.append(f"{self.kind}.{key}: dropped {item!r}, not an id")
            else:
                ids.append(number)
        return tuple(ids)

    def objects(self, key: str) -> tuple[Mapping[str, Any], ...]:
        """Nested objects whose shape the doc does not give (its samples collapse them to `{ }`)."""
        value = self.json(key)
        if value is None:
            return ()
        if isinstance(value, Mapping):
            return (value,)
        if not isinstance(value, list):
            self._drop(key, value, "a list of objects")
            return ()
        kept = tuple(item for item in value if isinstance(item, Mapping))
        if len(kept) != len(value):
            self.warnings.append(f"{self.kind}.{key}: dropped {len(value) - len(kept)} entries that were not objects")
        return kept


def _parse_datetime(value: Any) -> datetime | None:
    if isinstance(value, datetime):
        return value
    if isinstance(value, date):
        return datetime.combine(value, time())
    if not isinstance(value, str):
        return None
    text = value.strip()
    if text.startswith("0000-00-00"):  # MySQL's zero date, which Laravel passes through
        return None
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        return None
