"""A choice list of vendor records that tells apart records with the same name (issue 17: "ICU" twice in the
specialty list, with no hint which one Kamana knows)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from typing import Any

from django import forms

__all__ = ["SourceLabelledChoiceField", "source_label"]


def source_label(record: Any) -> str:
    """Where a vendor record comes from: its connection, a bare vendor id, or the portal alone."""
    if record.connection_id:
        return record.connection.name
    return f"vendor id {record.external_id}" if record.external_id else "portal only"


class _SourceLabelledIterator(forms.models.ModelChoiceIterator):
    def __iter__(self) -> Iterator[tuple[Any, str]]:
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        records = list(self.queryset.select_related("connection"))
        repeated = Counter(str(record) for record in records)
        for record in records:
            label = str(record)
            if repeated[label] > 1:
                label = f"{label} ({source_label(record)})"
            yield (self.choice(record)[0], label)

    def __len__(self) -> int:
        return self.queryset.count() + (1 if self.field.empty_label is not None else 0)


class SourceLabelledChoiceField(forms.ModelChoiceField):
    """A `ModelChoiceField` of `VendorRecord`s: a name shared by several records gets its source beside it,
    "ICU (Kamana West)" and "ICU (portal only)"; one query, connections joined."""

    iterator = _SourceLabelledIterator
