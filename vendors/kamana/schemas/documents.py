"""Kamana's JSON:API documents: a list page, a single resource, and the error objects that replace them.

A page never fails for one record: a record without an id (or not an object) is skipped with a warning,
a bad value inside a record costs that field (see `reading`). Every warning is prefixed with the record's
position (`data[3]`) so the sync run can show where it came from.

The doc shows no error response at all; `read_errors` reads the JSON:API error objects the spec defines
(`{"errors": [{"status", "code", "title", "detail", "source": {"pointer"}}]}`), and tolerates a bare
`{"error": "..."}` or `{"errors": {"field": ["message"]}}`, the two other shapes Phoenix apps send.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from vendors.kamana.schemas.reading import Included, PayloadUnreadable, index_included

__all__ = ["ErrorObject", "Page", "read_errors", "read_page", "read_single"]

T = TypeVar("T")

Parser = Callable[[Mapping[str, Any], Included], T]


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    """One page of a list. `cursor` is `meta.cursor`, to be sent back as `after`; None means the last page.

    Lists paged by `page[number]` (clients, client contacts) carry no cursor: their end is a short page.
    """

    records: tuple[T, ...]
    cursor: str | None = None
    warnings: tuple[str, ...] = ()


def _document(body: Any) -> Mapping[str, Any]:
    if not isinstance(body, Mapping):
        raise PayloadUnreadable(f"a Kamana response must be a JSON object, got {type(body).__name__}")
    return body


def read_page(body: Any, parse: Parser[T]) -> Page[T]:
    """A list document read into typed records, `included` resolved; unreadable records skipped with a warning."""
    document = _document(body)
    data = document.get("data")
    if not isinstance(data, list):
        raise PayloadUnreadable(f"a Kamana list must have a `data` array, got {type(data).__name__}")
    included = index_included(document.get("included"))
    records: list[T] = []
    warnings: list[str] = []
    for position, item in enumerate(data):
        try:
            record = parse(item, included)
        except PayloadUnreadable as unreadable:
            warnings.append(f"data[{position}]: {unreadable}; skipped")
            continue
        records.append(record)
        warnings.extend(f"data[{position}]: {warning}" for warning in getattr(record, "warnings", ()))
    meta = document.get("meta")
    cursor = meta.get("cursor") if isinstance(meta, Mapping) else None
    if cursor is not None and (isinstance(cursor, bool | dict | list) or not str(cursor).strip()):
        warnings.append(f"meta.cursor: expected text, got {cursor!r}; read as the last page")
        cursor = None
    return Page(records=tuple(records), cursor=None if cursor is None else str(cursor), warnings=tuple(warnings))


def read_single(body: Any, parse: Parser[T]) -> T:
    """A single-resource document (show, create, update, delete responses) read into its typed record."""
    document = _document(body)
    data = document.get("data")
    if not isinstance(data, Mapping):
        raise PayloadUnreadable(f"a Kamana resource document must have a `data` object, got {type(data).__name__}")
    return parse(data, index_included(document.get("included")))


@dataclass(frozen=True, slots=True)
class ErrorObject:
    """One JSON:API error. `field` is the last segment of `source.pointer` (`/data/attributes/name` -> `name`)."""

    detail: str
    status: str | None = None
    code: str | None = None
    title: str | None = None
    field: str | None = None


def read_errors(body: Any) -> tuple[ErrorObject, ...]:
    """The errors of a failed response, in whichever of the known shapes it came; () when there are none."""
    if not isinstance(body, Mapping):
        return ()
    errors = body.get("errors")
    if isinstance(errors, list):
        return tuple(_error_object(item) for item in errors if isinstance(item, Mapping))
    if isinstance(errors, Mapping):  # Ecto changeset errors: {"field": ["message", ...]}
        return tuple(
            ErrorObject(detail=str(message), field=str(field))
            for field, messages in errors.items()
            for message in (messages if isinstance(messages, list) else [messages])
        )
    if body.get("error") is not None:
        return (ErrorObject(detail=str(body["error"])),)
    return ()


def _error_object(item: Mapping[str, Any]) -> ErrorObject:
    source = item.get("source")
    pointer = source.get("pointer") if isinstance(source, Mapping) else None
    field = str(pointer).rstrip("/").rsplit("/", 1)[-1] if pointer else None
    detail = item.get("detail") or item.get("title") or "Kamana refused the request."
    return ErrorObject(
        detail=str(detail),
        status=None if item.get("status") is None else str(item["status"]),
        code=None if item.get("code") is None else str(item["code"]),
        title=None if item.get("title") is None else str(item["title"]),
        field=field or None,
    )
