"""The base of every top-level Alaunus object: its id, the payload as received and what could not be read."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Self

from vendors.alaunus.schemas.reader import ParseWarning, PayloadReader

__all__ = ["Record"]


@dataclass(frozen=True, slots=True, kw_only=True)
class Record:
    """`id` is the doc's unnamed "id number" attribute, read from `_id` (the document convention) or `id`.

    `created_at` is the doc's unnamed "created date" (`_created_date`); `raw` is kept because the portal stores
    every vendor payload whole, and `warnings` lists the values that became None.
    """

    id: str | None = None
    created_at: datetime | None = None
    raw: Mapping[str, Any] = field(default_factory=dict, repr=False, compare=False)
    warnings: tuple[ParseWarning, ...] = field(default=(), compare=False)

    @classmethod
    def read_fields(cls, reader: PayloadReader) -> dict[str, Any]:
        """The subclass's own fields, read from `reader`."""
        raise NotImplementedError

    @classmethod
    def from_payload(cls, payload: Mapping[str, Any]) -> Self:
        """Parse one record; raises TypeError only when `payload` is not a mapping at all."""
        if not isinstance(payload, Mapping):
            raise TypeError(f"an Alaunus record is an object, not {type(payload).__name__}")
        reader = PayloadReader(payload)
        fields = cls.read_fields(reader)
        record_id = reader.ident("_id", "id")
        created_at = reader.datetime("_created_date", "created_date", "_created", "created_at")
        return cls(id=record_id, created_at=created_at, raw=dict(payload), warnings=tuple(reader.warnings), **fields)
