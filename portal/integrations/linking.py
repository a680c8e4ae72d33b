"""How a reader's records name the local rows they point at: a read helper for vendor mappings, which write
nothing themselves (the sync writer, `portal.integrations.sync`, stores what they map)."""

from __future__ import annotations

from collections.abc import Iterable

from django.apps import apps

__all__ = ["local_ids"]


def local_ids(label: str, connection_id: int, ids: Iterable[str | None], column: str = "pk") -> dict[str, int]:
    """`{external_id: column}` of the `label` rows of one connection that these vendor ids name, in one query;
    how a reader links a record to the local rows it mentions (blank ids are skipped, no ids make no query)."""
    wanted = {i for i in ids if i}
    if not wanted:
        return {}
    rows = apps.get_model(label).objects.filter(connection_id=connection_id, external_id__in=wanted)
    return dict(rows.values_list("external_id", column))
