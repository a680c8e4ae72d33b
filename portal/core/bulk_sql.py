"""Hand-written bulk INSERTs on PostgreSQL: rows travel as one JSON document, bound apart from the SQL.

A first sync's pages (issue 4's benchmark) spent most of their time building model instances, in
`Field.get_db_prep_save` for every value, and in psycopg quoting each value into the SQL text (Django's cursors
bind on the client). `JsonRows` encodes each row in C (`json.dumps`), takes a value as it is
where Django would send it unchanged, and sends the page as one parameter to
`INSERT ... SELECT FROM jsonb_populate_recordset`; the statement still goes through Django's cursor wrapper, so
execute wrappers, query capture and error translation see it as they see `bulk_create`.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import decimal
import functools
import json
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from django.db import models

from portal.core.audit import jsonable

__all__ = ["JsonRows", "bound_cursor", "plain_type"]

# Stock field classes whose value, when already of this Python type, is what Django itself would send (their
# `get_db_prep_save` leaves it as is); anything else goes through `get_db_prep_save`.
_AS_IS: dict[type[models.Field], type] = {
    **dict.fromkeys((models.CharField, models.TextField, models.EmailField, models.URLField, models.SlugField), str),
    **dict.fromkeys(
        (
            models.IntegerField,
            models.SmallIntegerField,
            models.BigIntegerField,
            models.PositiveIntegerField,
            models.PositiveSmallIntegerField,
            models.PositiveBigIntegerField,
            models.AutoField,
            models.BigAutoField,
        ),
        int,
    ),
    models.BooleanField: bool,
    models.DecimalField: decimal.Decimal,
    models.DateField: dt.date,
}


def plain_type(field: models.Field) -> type | None:
    """The Python type whose values `field` sends unchanged (a foreign key: its target's), or None if none is."""
    if field.is_relation:
        if type(field) not in (models.ForeignKey, models.OneToOneField):
            return None
        field = field.target_field
    return _AS_IS.get(type(field))


@contextlib.contextmanager
def bound_cursor(db) -> Iterator[Any]:
    """A PostgreSQL cursor of `db` that sends parameters apart from the SQL (server-side binding).

    Django's cursors inline parameters into the SQL: psycopg quotes each value in Python, and for a statement that
    carries a page as one JSON document the server lexes a megabyte-long literal first (~10 us a record of a first
    sync). It is wrapped as Django wraps its own cursors, so execute wrappers, query capture and error translation
    see it the same."""
    from psycopg import Cursor

    db.ensure_connection()
    db.validate_thread_sharing()
    raw = Cursor(db.connection)
    cursor = db.make_debug_cursor(raw) if db.queries_logged else db.make_cursor(raw)
    try:
        yield cursor
    finally:
        cursor.close()


# `pre_save` that only stamps `auto_now` times: a field with another (files, a custom field) is not for JsonRows.
_PLAIN_PRE_SAVE = {models.Field.pre_save, models.DateField.pre_save, models.DateTimeField.pre_save}
# Callable defaults whose every result encodes the same, so a statement's base row may hold one for all its rows.
_SHARED_DEFAULTS = {dict, list, str, int, bool}


def _db_value(field: models.Field, value: Any, db) -> Any:
    """What Django would send for `value`, in a form JSON carries (`jsonable` encodes dates and decimals)."""
    if value is None:
        return None
    if isinstance(field, models.JSONField):
        return value if field.encoder is None else json.loads(json.dumps(value, cls=field.encoder))
    if isinstance(field, models.GenericIPAddressField):
        return field.get_prep_value(value)  # the normalized address; Django's adaptation wraps it for psycopg
    if field.is_relation and isinstance(value, models.Model):
        value = value.pk
    return field.get_db_prep_save(value, db)


class JsonRows:
    """One model's rows for `INSERT ... SELECT FROM jsonb_populate_recordset(base, rows)` (PostgreSQL).

    What a row does not give comes from the statement's base row: each field's default, and a fresh `auto_now`
    time per statement, as `bulk_create` would fill them in. Rows are keyed by column; a key that is not a field
    raises TypeError as a model's constructor would.
    """

    def __init__(self, model: type[models.Model]) -> None:
        meta = model._meta
        self.model = model
        self.fields = [f for f in meta.concrete_fields if not f.primary_key and not f.generated]
        self.plan: dict[str, tuple[str, type | None, models.Field]] = {}
        for f in self.fields:
            as_is = object if type(f) is models.JSONField and f.encoder is None else plain_type(f)
            self.plan[f.name] = self.plan[f.attname] = (f.column, as_is, f)
        self.stamped = [f for f in self.fields if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)]
        self._blank = model()
        self._defaults: dict[str, dict[str, Any]] = {}  # by database alias: every unstamped field's default

    @staticmethod
    @functools.cache
    def of(model: type[models.Model]) -> JsonRows | None:
        """The model's JsonRows, or None when a field does more on save than stamp a time (files, custom fields),
        has a database default, or a default that differs per row (uuid4): those models keep `bulk_create`."""
        for f in model._meta.concrete_fields:
            if type(f).pre_save not in _PLAIN_PRE_SAVE or f.db_default is not models.NOT_PROVIDED:
                return None
            if f.has_default() and callable(f.default) and f.default not in _SHARED_DEFAULTS:
                return None
        return JsonRows(model)

    def values(self, db, **given: Any) -> dict[str, Any]:
        """A row's own values, keyed by column, each as Django would send it."""
        row = {}
        for key, value in given.items():
            try:
                column, as_is, field = self.plan[key]
            except KeyError:
                raise TypeError(f"{self.model.__name__}() got unexpected keyword arguments: '{key}'") from None
            row[column] = (
                value if value is None or as_is is object or type(value) is as_is else _db_value(field, value, db)
            )
        return row

    def insert(
        self,
        db,
        rows: Sequence[str],
        base: Mapping[str, Any],
        returning: Sequence[str],
    ) -> list[tuple]:
        """Insert `rows` (each a JSON object from `encode`) over the base row (`values` of what every row shares);
        returns the `returning` columns of the inserted rows."""
        defaults = self._defaults.get(db.alias)
        if defaults is None:
            defaults = self._defaults[db.alias] = {
                f.column: _db_value(f, f.get_default(), db) for f in self.fields if f not in self.stamped
            }
        base_row = dict(defaults)
        for field in self.stamped:
            base_row[field.column] = field.pre_save(self._blank, True)
        base_row.update(base)
        quote = db.ops.quote_name
        table, columns = quote(self.model._meta.db_table), ", ".join(quote(f.column) for f in self.fields)
        # Only the model's own table and column names are formatted in; every value is a parameter.
        sql = (
            f"INSERT INTO {table} ({columns}) SELECT {columns} FROM jsonb_populate_recordset("  # noqa: S608
            f"jsonb_populate_record(NULL::{table}, %s::jsonb), %s::jsonb) "
            f"RETURNING {', '.join(quote(column) for column in returning)}"
        )
        with bound_cursor(db) as cursor:
            cursor.execute(sql, [self.encode(base_row), f"[{','.join(rows)}]"])
            return cursor.fetchall()

    @staticmethod
    def encode(row: Mapping[str, Any]) -> str:
        return json.dumps(row, default=jsonable)
