"""Tolerant reading of one Kamana record: a bad value costs that field (None plus a warning), never the page.

Kamana sends the same resource in two shapes. The REST API wraps it as a JSON:API resource object
(`{"id", "type", "attributes", "relationships"}`, related records in the document's `included`); a webhook's
`object` is flat, with related records nested in place (`client_location: {...}`) and predicate keys spelled
the Elixir way (`asap?`, `do_not_hire?`). `RecordReader` reads both, so each resource has one reader.

Timestamps: the REST examples show `inserted_at`/`updated_at` without an offset (`"2023-01-19T18:56:51"`),
requirement stamps with `Z`. The doc's webhook notes say "All timestamp data is explicitly provided in
Coordinated Universal Time", and the naive ones are Ecto's UTC `timestamps()`, so every timestamp is returned
aware in UTC. Calendar dates (`starts_on`, `expires_on`) stay `date`s, and shift hours stay whole hours of the
facility's local day: neither has a zone to convert.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from enum import StrEnum
from typing import Any, ClassVar, Protocol, TypeVar

from vendors.base.reading import FieldReader

__all__ = ["Included", "PayloadUnreadable", "RecordReader", "index_included"]

E = TypeVar("E", bound=StrEnum)


class _Record(Protocol):
    @property
    def warnings(self) -> tuple[str, ...]: ...


R = TypeVar("R", bound=_Record)

Included = Mapping[tuple[str, str], Mapping[str, Any]]
"""A document's `included` resources by `(type, id)`."""

# The webhook doc quotes enum values with typographic quotes (`”pending”`); a copy of them must still read.
_QUOTES = "\"'\u201c\u201d\u2018\u2019` "


class PayloadUnreadable(ValueError):
    """A record that cannot be read at all (not an object, or no id): the caller skips it with a warning."""


def index_included(included: Any) -> dict[tuple[str, str], Mapping[str, Any]]:
    """`included` as a lookup by `(type, id)`; entries without both are ignored, as JSON:API allows no others."""
    index: dict[tuple[str, str], Mapping[str, Any]] = {}
    for item in included if isinstance(included, list) else ():
        if isinstance(item, Mapping) and item.get("type") and item.get("id") is not None:
            index[(str(item["type"]), str(item["id"]))] = item
    return index


class RecordReader(FieldReader):
    """Reads the fields of one record (either shape), collecting a warning for every value it had to drop.

    The value kinds are `FieldReader`'s; Kamana adds its two record shapes, related records and enum spelling.
    """

    naive_is_utc: ClassVar[bool] = True  # Ecto's UTC `timestamps()`, see the module docstring
    # The doc's own `"2023-010-01"` (engagement update) must say what was expected.
    wording: ClassVar[Mapping[str, str]] = {**FieldReader.wording, "date": "a date (YYYY-MM-DD)"}
    warnings: list[str]

    def __init__(self, payload: Any, kind: str, included: Included | None = None) -> None:
        if not isinstance(payload, Mapping):
            raise PayloadUnreadable(f"a Kamana {kind} must be a JSON object, got {type(payload).__name__}")
        attributes = payload.get("attributes")
        if isinstance(attributes, Mapping):  # a JSON:API resource object
            super().__init__({**attributes, "id": payload.get("id")}, kind)
            relationships = payload.get("relationships")
            self.relationships: Mapping[str, Any] = relationships if isinstance(relationships, Mapping) else {}
        else:  # a flat webhook object
            super().__init__(payload, kind)
            self.relationships = {}
        self.included: Included = included or {}

    def record_id(self) -> str:
        value = self.fields.get("id")
        if value is None or isinstance(value, bool | dict | list) or not str(value).strip():
            raise PayloadUnreadable(f"a Kamana {self.kind} without an id: {value!r}")
        return str(value).strip()

    def adopt(self, key: str, warnings: tuple[str, ...]) -> None:
        """Keep the warnings of a nested record, so they reach the page with the outer record's."""
        self.warnings.extend(f"{self.kind}.{key}: {warning}" for warning in warnings)

    def member_of(self, enum: type[E], value: Any) -> E:
        """Matched without regard to case or the doc's quotes (`Open` is `open`)."""
        if isinstance(value, str):
            wanted = value.strip(_QUOTES).casefold()
            for member in enum:
                if member.value.casefold() == wanted:
                    return member
        raise ValueError(f"{value!r} is not a {enum.__name__}")

    def ref_id(self, key: str) -> str | None:
        """A related record's id: `key_id`, a bare id or nested object under `key`, or the JSON:API relationship."""
        direct = self.raw(f"{key}_id")
        if direct is not None and not isinstance(direct, bool | dict | list) and str(direct).strip():
            return str(direct).strip()
        nested = self.raw(key)
        if isinstance(nested, Mapping) and nested.get("id") is not None:
            return str(nested["id"])
        if isinstance(nested, str | int) and not isinstance(nested, bool) and str(nested).strip():
            return str(nested).strip()  # webhook `changes` carry only the id of a related record
        linkage = self._linkage(key)
        if isinstance(linkage, Mapping) and linkage.get("id") is not None:
            return str(linkage["id"])
        return None

    def ref_ids(self, key: str) -> tuple[str, ...]:
        """Ids of a to-many relation (`subscriber_ids`, or a JSON:API list of identifiers)."""
        value = self.raw(f"{key}_ids")
        if value is None:
            value = self._linkage(key)
        if value is None:
            return ()
        if not isinstance(value, list):
            self.drop(f"{key}_ids", value, "a list of ids")
            return ()
        ids = []
        for item in value:
            item_id = item.get("id") if isinstance(item, Mapping) else item
            if item_id is None or isinstance(item_id, bool | dict | list):
                self.warnings.append(f"{self.kind}.{key}: dropped {item!r}, not an id")
            else:
                ids.append(str(item_id))
        return tuple(ids)

    def related(self, key: str) -> list[Mapping[str, Any]]:
        """Full related records: nested in a webhook object, or resolved from `included` for a resource object.

        A relation that is only an identifier (not included, or a webhook `changes` id) gives nothing here;
        `ref_id` still has its id.
        """
        nested = self.raw(key)
        if isinstance(nested, Mapping) and len(nested) > 1:
            return [nested]
        if isinstance(nested, list):
            return [item for item in nested if isinstance(item, Mapping)]
        linkage = self._linkage(key)
        identifiers = linkage if isinstance(linkage, list) else [linkage]
        found = []
        for identifier in identifiers:
            if isinstance(identifier, Mapping):
                record = self.included.get((str(identifier.get("type")), str(identifier.get("id"))))
                if record is not None:
                    found.append(record)
        return found

    def _linkage(self, key: str) -> Any:
        relation = self.relationships.get(key)
        return relation.get("data") if isinstance(relation, Mapping) else None

    def nested(self, key: str, parse: Callable[[Mapping[str, Any], Included], R]) -> R | None:
        """The first related record under `key`, parsed, its warnings kept (see `related`)."""
        records = self.nested_all(key, parse)
        return records[0] if records else None

    def nested_all(self, key: str, parse: Callable[[Mapping[str, Any], Included], R]) -> tuple[R, ...]:
        records = []
        for payload in self.related(key):
            try:
                record = parse(payload, self.included)
            except PayloadUnreadable as unreadable:
                self.warnings.append(f"{self.kind}.{key}: {unreadable}; skipped")
                continue
            self.adopt(key, record.warnings)
            records.append(record)
        return tuple(records)
