"""List responses and error bodies. The doc shows neither, so both readers accept the common shapes.

A list may arrive bare (`[...]`) or in an envelope (`{"data": [...], "page": 2, "limit": 50, "total": 120}` or
with a `next` cursor). A record that is not an object is skipped with a page warning; every other problem stays
on its record, so one bad record never costs the rest of the page.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from vendors.alaunus.schemas.reader import ParseWarning, PayloadReader
from vendors.alaunus.schemas.record import Record

__all__ = ["ErrorBody", "Page", "parse_page"]

R = TypeVar("R", bound=Record)
_LIST_KEYS = ("data", "items", "results", "records", "docs")


@dataclass(frozen=True, slots=True)
class Page(Generic[R]):
    """One page of records; `has_more` says whether to ask for the next one."""

    records: tuple[R, ...]
    warnings: tuple[ParseWarning, ...] = ()
    page: int | None = None
    limit: int | None = None
    total: int | None = None
    next_cursor: str | None = None

    @property
    def has_more(self) -> bool:
        """A cursor says so; else the total does; else a full page probably has a successor."""
        if self.next_cursor:
            return True
        if self.total is not None and self.page is not None and self.limit:
            return self.page * self.limit < self.total
        return bool(self.limit) and len(self.records) >= (self.limit or 0)


def parse_page(schema: type[R], payload: Any, collection: str | None = None) -> Page[R]:
    """Parse a list response of `schema` records; `collection` (e.g. "events") is also tried as the list key."""
    warnings: list[ParseWarning] = []
    envelope: PayloadReader | None = None
    items: Any = payload
    if isinstance(payload, Mapping):
        envelope = PayloadReader(payload, "", warnings)
        keys = (*_LIST_KEYS, collection) if collection else _LIST_KEYS
        items = envelope.raw(*keys)
    if not isinstance(items, list):
        warnings.append(ParseWarning("", repr(payload)[:200], "no list of records found"))
        items = []
    records = []
    for position, item in enumerate(items):
        if isinstance(item, Mapping):
            records.append(schema.from_payload(item))
        else:
            warnings.append(ParseWarning(f"[{position}]", repr(item)[:200], "a record is not an object; skipped"))
    if envelope is None:
        return Page(tuple(records), tuple(warnings))
    return Page(
        records=tuple(records),
        page=envelope.integer("page", "current_page"),
        limit=envelope.integer("limit", "per_page", "page_size"),
        total=envelope.integer("total", "count", "total_count"),
        next_cursor=envelope.text("next_cursor", "next", "cursor"),
        warnings=tuple(warnings),
    )


@dataclass(frozen=True, slots=True)
class ErrorBody:
    """What an error response says: `{"error": ...}`, `{"message": ...}` or `{"errors": {field: [...]}}`."""

    message: str
    code: str | None = None
    fields: Mapping[str, tuple[str, ...]] | None = None

    @classmethod
    def from_payload(cls, payload: Any, status: int | None = None) -> ErrorBody:
        """Never fails: an unreadable body still yields a message naming the HTTP status."""
        fallback = f"Alaunus answered HTTP {status}" if status else "Alaunus reported an error"
        if isinstance(payload, str) and payload.strip():
            return cls(message=payload.strip()[:500])
        if not isinstance(payload, Mapping):
            return cls(message=fallback)
        reader = PayloadReader(payload)
        error = payload.get("error")
        if isinstance(error, Mapping):
            reader = reader.child("error", error)
        message = reader.text("message", "error_description", "detail") or (error if isinstance(error, str) else None)
        fields = _field_errors(payload.get("errors"))
        return cls(message=message or fallback, code=reader.text("code", "type", "name"), fields=fields or None)


def _field_errors(value: Any) -> dict[str, tuple[str, ...]]:
    if not isinstance(value, Mapping):
        return {}
    found = {}
    for field_name, messages in value.items():
        listed = messages if isinstance(messages, list) else [messages]
        found[str(field_name)] = tuple(str(message) for message in listed)
    return found
