"""Audit history: every change to a record, by whom or by what, old -> new.

Models inherit `AuditedModel`; the actor and source of a change come from `audit_context` (set by the view
middleware for people, by tasks for sync and webhooks). Bulk writes, which bypass `save()`, call
`record_bulk_changes` themselves; a bulk writer's creates name their fields without copying the values
(`record_creates`), which readers show through `with_creation_values` (bench/README.md, "sync_throughput").
"""

from __future__ import annotations

import contextlib
import contextvars
import datetime as dt
import decimal
import itertools
import json
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any, ClassVar

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import connections, models, router
from django.utils import timezone

__all__ = [
    "AuditActor",
    "AuditedModel",
    "InvalidTransition",
    "audit_context",
    "current_audit_actor",
    "jsonable",
    "next_change",
    "record_bulk_changes",
    "record_change",
    "record_creates",
    "set_audit_actor",
    "value_at_creation",
    "with_creation_values",
]


@dataclass(frozen=True)
class AuditActor:
    source: str = "system"
    user_id: int | None = None
    detail: str = ""


SYSTEM_ACTOR = AuditActor()
_actor: contextvars.ContextVar[AuditActor] = contextvars.ContextVar("audit_actor", default=SYSTEM_ACTOR)


@contextlib.contextmanager
def audit_context(source: str, user: Any = None, detail: str = "") -> Iterator[AuditActor]:
    actor = AuditActor(source=source, user_id=getattr(user, "pk", user), detail=detail[:255])
    token = _actor.set(actor)
    try:
        yield actor
    finally:
        _actor.reset(token)


def current_audit_actor() -> AuditActor:
    return _actor.get()


def set_audit_actor(source: str, user: Any = None, detail: str = "") -> None:
    """For code that learns who acts only after the request began (token authentication)."""
    _actor.set(AuditActor(source=source, user_id=getattr(user, "pk", user), detail=detail[:255]))


class InvalidTransition(ValidationError):
    """A status change the domain does not allow, e.g. paying a transaction that was never approved."""


def _jsonable(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    return value


def jsonable(value: Any) -> Any:
    """`json.dumps(..., default=jsonable)`: dates, times, decimals, UUIDs and records as the audit stores them."""
    converted = _jsonable(value)
    if converted is value:
        raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")
    return converted


def record_change(instance: models.Model, action: str, changes: dict[str, list[Any]]) -> None:
    record_bulk_changes(type(instance), [(instance.pk, action, changes)])


def record_bulk_changes(model: type[models.Model], rows: Iterable[tuple[Any, str, dict[str, list[Any]]]]) -> int:
    """One INSERT for many changes of one model: what a sync page calls after its bulk writes.

    Building and quoting one `AuditEntry` per row cost a sync most of its audit time (issue 4), so on PostgreSQL
    a batch travels as one JSON document (`_insert_from_json`); a single change (every `save()`) and other
    databases use `bulk_create`. Both store the same entries (tests/test_audit_bulk.py). A sync's creates go
    through `record_creates` instead.
    """
    rows = iter(rows)
    first = list(itertools.islice(rows, 2))
    rows = itertools.chain(first, rows)
    AuditEntry = apps.get_model("core", "AuditEntry")
    db = connections[router.db_for_write(AuditEntry)]
    if len(first) > 1 and db.vendor == "postgresql":
        return _insert_from_json(AuditEntry, db, model, rows)
    actor = current_audit_actor()
    content_type = ContentType.objects.get_for_model(model)
    entries = [
        AuditEntry(
            content_type=content_type,
            object_id=str(pk),
            action=action,
            changes={field: [_jsonable(old), _jsonable(new)] for field, (old, new) in changes.items()},
            actor_id=actor.user_id,
            source=actor.source,
            detail=actor.detail,
        )
        for pk, action, changes in rows
    ]
    AuditEntry.objects.bulk_create(entries)
    return len(entries)


def _insert_from_json(entry_model: type[models.Model], db, model: type[models.Model], rows: Iterator) -> int:
    """PostgreSQL: each entry's own columns as one JSON array, the shared ones (who, when, which model) as
    parameters; ids follow the order of `rows`, as with `bulk_create`. `jsonable` encodes values as `_jsonable`
    does for the ORM path.

    Entries are encoded one at a time, so a caller that hands over a generator (a sync page's creates) never
    holds a page's worth of `[old, new]` lists at once: holding them drove the garbage collector's full passes,
    ~20 us a record of a first sync."""
    encoded = [
        json.dumps({"object_id": str(pk), "action": action, "changes": changes}, default=jsonable)
        for pk, action, changes in rows
    ]
    actor = current_audit_actor()
    _insert_selected(
        db,
        entry_model._meta.db_table,
        "SELECT %s, e.entry->>'object_id', e.entry->>'action', e.entry->'changes', %s, %s, %s, %s "
        "FROM jsonb_array_elements(%s::jsonb) WITH ORDINALITY AS e(entry, n) ORDER BY e.n",
        [
            ContentType.objects.get_for_model(model).pk,
            actor.user_id,
            actor.source,
            actor.detail,
            timezone.now(),
            f"[{','.join(encoded)}]",
        ],
    )
    return len(encoded)


def record_creates(model: type[models.Model], created: Iterable[tuple[Any, Iterable[str]]]) -> int:
    """Create entries for rows a bulk writer inserted (a sync page): each names the fields it was given, valued
    null, and the actor (the run, in `detail`); readers show `{field: [None, value]}` for it.

    No value is copied (issue 16 item 8): a field held at creation what its next change entry calls old, or what
    the record holds now if nothing changed it since (`with_creation_values`), as long as every change is
    audited, which is the rule for every write. Records named by the same fields share one statement (a page:
    one), their names bound once for all of them.
    """
    by_fields: dict[tuple[str, ...], list[str]] = {}
    for pk, fields in created:
        by_fields.setdefault(tuple(fields), []).append(str(pk))
    AuditEntry = apps.get_model("core", "AuditEntry")
    db = connections[router.db_for_write(AuditEntry)]
    actor = current_audit_actor()
    content_type = ContentType.objects.get_for_model(model)
    for fields, pks in by_fields.items():
        changes = dict.fromkeys(fields)
        if db.vendor == "postgresql":
            _insert_creates(db, AuditEntry._meta.db_table, content_type.pk, actor, changes, pks)
            continue
        AuditEntry.objects.bulk_create(
            AuditEntry(
                content_type=content_type,
                object_id=pk,
                action="create",
                changes=changes,
                actor_id=actor.user_id,
                source=actor.source,
                detail=actor.detail,
            )
            for pk in pks
        )
    return sum(len(pks) for pks in by_fields.values())


def _insert_creates(db, table: str, content_type_id: int, actor: AuditActor, changes: dict, pks: list[str]) -> None:
    """PostgreSQL: one statement, the shared values (who, when, which fields) bound once, the ids as a JSON array."""
    _insert_selected(
        db,
        table,
        "SELECT %s, e.pk, 'create', %s::jsonb, %s, %s, %s, %s "
        "FROM jsonb_array_elements_text(%s::jsonb) WITH ORDINALITY AS e(pk, n) ORDER BY e.n",
        [
            content_type_id,
            json.dumps(changes),
            actor.user_id,
            actor.source,
            actor.detail,
            timezone.now(),
            json.dumps(pks),
        ],
    )


def _insert_selected(db, table: str, select: str, params: list) -> None:
    """`INSERT INTO` the audit table what `select` gives, in its column order, values bound apart from the SQL.
    Only this module's own SELECTs and the model's table name are formatted in."""
    from portal.core.bulk_sql import bound_cursor

    with bound_cursor(db) as cursor:
        cursor.execute(
            f"INSERT INTO {db.ops.quote_name(table)} "
            f"(content_type_id, object_id, action, changes, actor_id, source, detail, at) {select}",
            params,
        )


def _is_named_only(entry: Any) -> bool:
    """A create entry that names fields without their values (`record_creates`)."""
    return entry.action == "create" and any(pair is None for pair in entry.changes.values())


def value_at_creation(record: models.Model, field: str, next_pair: list[Any] | None) -> Any:
    """What `field` held when `record` was created: the old value of its next change entry (`next_pair`, that
    entry's `[old, new]`), else, unchanged since, the record's own value, as the audit stores values."""
    if next_pair is not None:
        return next_pair[0]
    return _jsonable(getattr(record, record._meta.get_field(field).attname))


def with_creation_values(entries: Iterable[Any], record: models.Model) -> list[Any]:
    """`record`'s entries, each create entry's named fields given their values at creation (`[None, value]`), in
    place; every entry of the record after a create must be among `entries` (a newest-first slice of
    `audit_history` is)."""
    entries = list(entries)
    ordered = sorted(entries, key=lambda entry: (entry.at, entry.pk))
    fields = {}
    for field in record._meta.concrete_fields:
        fields[field.name] = fields[field.attname] = field.name
    for n, entry in enumerate(ordered):
        if not _is_named_only(entry):
            continue
        later: dict[str, list[Any]] = {}  # field name: its first change after the create
        for after in ordered[n + 1 :]:
            for key, pair in after.changes.items():
                if pair is not None:
                    later.setdefault(fields.get(key, key), pair)
        entry.changes = {
            key: pair if pair is not None else [None, value_at_creation(record, key, later.get(fields.get(key, key)))]
            for key, pair in entry.changes.items()
        }
    return entries


def next_change(field: str) -> models.Subquery:
    """For a query of audit entries: the `[old, new]` of `field` in the same record's next entry that changes it
    (None where none does), so a create entry that only names `field` shows its value at creation
    (`value_at_creation`) in the same query."""
    AuditEntry = apps.get_model("core", "AuditEntry")
    later = AuditEntry.objects.filter(
        models.Q(at__gt=models.OuterRef("at")) | models.Q(at=models.OuterRef("at"), pk__gt=models.OuterRef("pk")),
        content_type=models.OuterRef("content_type"),
        object_id=models.OuterRef("object_id"),
        changes__has_key=field,
    ).order_by("at", "pk")
    return models.Subquery(later.values(f"changes__{field}")[:1], output_field=models.JSONField())


class AuditedModel(models.Model):
    """Remembers the values it was loaded with, refuses disallowed status changes, and records each save.

    `status_transitions = {"status": {"pending": {"approved", "deleted"}, ...}}` lists allowed moves per field.
    Moves reported by a vendor (sync, webhook) are recorded as reported: the vendor is the system of record for
    its own state, and stale deliveries are stopped earlier by timestamp checks.
    """

    status_transitions: ClassVar[dict[str, dict[str, set[str]]]] = {}
    audit_exclude: ClassVar[set[str]] = {"updated_at", "created_at", "vendor_data", "vendor_fingerprint"}

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        creating = self._state.adding
        self.check_transitions()
        changes = {} if creating else self.changed_fields()
        super().save(*args, **kwargs)
        if creating:
            record_change(
                self,
                "create",
                {
                    f.name: [None, getattr(self, f.attname)]
                    for f in self._audited_fields()
                    if getattr(self, f.attname) not in (None, "", [], {})
                },
            )
        elif changes:
            record_change(self, "update", changes)
        self._loaded_values = {f.attname: getattr(self, f.attname) for f in self._meta.concrete_fields}

    def delete(self, *args, **kwargs):
        pk = self.pk
        self._write_out_creation_values()
        result = super().delete(*args, **kwargs)
        record_bulk_changes(type(self), [(pk, "delete", {})])
        return result

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._loaded_values = dict(zip(field_names, values, strict=True))
        return instance

    def refresh_from_db(self, using=None, fields=None, from_queryset=None):
        """What was just loaded is the new baseline: a later save records only changes made after it.

        Django also calls this to load a deferred field; that field then joins the baseline.
        """
        super().refresh_from_db(using=using, fields=fields, from_queryset=from_queryset)
        names = set(fields) if fields else None
        baseline = dict(getattr(self, "_loaded_values", None) or {})
        for f in self._meta.concrete_fields:
            if names is None or f.name in names or f.attname in names:
                baseline[f.attname] = getattr(self, f.attname)
        self._loaded_values = baseline

    def _write_out_creation_values(self) -> None:
        """A create entry that names its fields only (`record_creates`) gets their values before the record they
        follow from is gone, so the history outlives the record as a full entry would."""
        entries = list(self.audit_history())
        named = [entry for entry in entries if _is_named_only(entry)]
        if named:
            with_creation_values(entries, self)
            for entry in named:
                type(entry).objects.filter(pk=entry.pk).update(changes=entry.changes)

    def audit_history(self):
        AuditEntry = apps.get_model("core", "AuditEntry")
        return AuditEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(type(self)), object_id=str(self.pk)
        ).select_related("actor")

    def _audited_fields(self) -> list[models.Field]:
        return [
            f
            for f in self._meta.concrete_fields
            if not f.primary_key and f.attname not in self.audit_exclude and f.name not in self.audit_exclude
        ]

    def changed_fields(self) -> dict[str, list[Any]]:
        loaded = getattr(self, "_loaded_values", None)
        if loaded is None:
            return {}
        changes: dict[str, list[Any]] = {}
        for field in self._audited_fields():
            if field.attname in loaded:
                old, new = loaded[field.attname], getattr(self, field.attname)
                if old != new:
                    changes[field.name] = [old, new]
        return changes

    def check_transitions(self) -> None:
        if current_audit_actor().source in {"sync", "webhook"}:
            return
        loaded = getattr(self, "_loaded_values", None) or {}
        for field, allowed in self.status_transitions.items():
            if field not in loaded:
                continue
            old, new = loaded[field], getattr(self, field)
            if old != new and new not in allowed.get(old, set()):
                label = self._meta.get_field(field).verbose_name
                raise InvalidTransition(
                    {field: f"Cannot change {label} from '{old}' to '{new}'."}, code="invalid_transition"
                )
