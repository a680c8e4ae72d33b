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
from datetime import UTC, datetime, time
from typing import Any, ClassVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from vendors.base.reading import FieldReader

__all__ = ["RecordReader", "localize"]


def localize(value: datetime | None, timezone: str | None) -> datetime | None:
    """A naive wall-clock value made aware in the record's IANA zone (UTC when the zone is missing or unknown)."""
    if value is None or value.tzinfo is not None:
        return value
    try:
        zone = ZoneInfo(timezone) if timezone else UTC
    except (ZoneInfoNotFoundError, ValueError):
        zone = UTC
    return value.replace(tzinfo=zone)


class RecordReader(FieldReader):
    """Reads fields of one payload, collecting a warning for every value it had to drop.

    The value kinds are `FieldReader`'s; Ceki adds bare clock times, JSON columns sent encoded and id lists.
    `moment` takes `naive_is_utc` per field: Laravel timestamps are UTC, wall-clock fields are not.
    """

    truthy: ClassVar[frozenset[str]] = FieldReader.truthy | {"on"}  # Laravel's checkbox values
    falsy: ClassVar[frozenset[str]] = FieldReader.falsy | {"off"}
    wording: ClassVar[Mapping[str, str]] = {**FieldReader.wording, "integer": "an integer"}
    warnings: list[str]

    def __init__(self, payload: Mapping[str, Any], kind: str) -> None:
        if not isinstance(payload, Mapping):
            raise TypeError(f"a Ceki {kind} must be a JSON object, got {type(payload).__name__}")
        super().__init__(payload, kind)

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
                    self.drop(key, value, "a date-time (a bare time needs the record's date)")
                    return None
                # Naive even when the date carried an offset: a bare clock time is the record's local time.
                return datetime.combine(on.date(), clock)
        return self.moment(key, naive_is_utc=False)

    def json(self, key: str) -> Any:
        """A JSON column, decoded when Laravel sent it still encoded as a string."""
        value = self.raw(key)
        if isinstance(value, str):
            if not value.strip():
                return None
            try:
                return json.loads(value)
            except ValueError:
                self.drop(key, value, "JSON")
                return None
        return value

    def ids(self, key: str) -> tuple[int, ...]:
        """A list of ids (`files`), tolerating an encoded list and dropping entries that are not ids."""
        value = self.json(key)
        if value is None:
            return ()
        if not isinstance(value, list):
            self.drop(key, value, "a list of ids")
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
            self.drop(key, value, "a list of objects")
            return ()
        kept = tuple(item for item in value if isinstance(item, Mapping))
        if len(kept) != len(value):
            self.warnings.append(f"{self.kind}.{key}: dropped {len(value) - len(kept)} entries that were not objects")
        return kept
