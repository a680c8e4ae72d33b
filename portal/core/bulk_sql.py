"""Hand-written bulk writes on PostgreSQL: values bound apart from the SQL, and a page of new rows by `COPY`.

A first sync's pages (issue 4's benchmark) spent most of their time building model instances, in
`Field.get_db_prep_save` for every value, and in psycopg quoting each value into the SQL text (Django's cursors
bind on the client). `CopyRows` takes a value as it is where Django would send it unchanged and sends a page with
`COPY ... FROM STDIN` (psycopg formats the rows in C, PostgreSQL reads each column with its own input function);
the statement still goes through Django's execute wrappers, query capture and error translation, as `bulk_create`
does. Until issue 16 a page travelled as one JSON document (`jsonb_populate_recordset`): PostgreSQL parsed every
row's columns as JSON before reading them, ~15 us a row more than COPY (bench/README.md, "sync_throughput").
"""

from __future__ import annotations

import contextlib
import datetime as dt
import decimal
import functools
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

import orjson
from django.db import models
from django.db.backends.utils import CursorDebugWrapper

__all__ = ["CopyRows", "bound_cursor", "plain_type", "preparer"]

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
    """The Python type whose values `field` sends unchanged (a foreign key: its target's), or None if none is.

    An IP address field counts as sending its text: Django wraps it for psycopg (`Inet`) only for PostgreSQL's
    inet input to read the same text, and PostgreSQL normalises it as Django would, unless IPv4 is to be unpacked.
    """
    if field.is_relation:
        if type(field) not in (models.ForeignKey, models.OneToOneField):
            return None
        field = field.target_field
    if type(field) is models.GenericIPAddressField and not field.unpack_ipv4:
        return str
    return _AS_IS.get(type(field))


def preparer(field: models.Field) -> Callable[[models.Field, Any, Any], Any]:
    """How a value of `field` that is not sent as it is gets prepared: a plain JSONField's as JSON text
    (`_json_text`), any other's as Django would (`_db_value`)."""
    return _json_text if type(field) is models.JSONField and field.encoder is None else _db_value


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


# `pre_save` that only stamps `auto_now` times: a field with another (files, a custom field) is not for CopyRows.
_PLAIN_PRE_SAVE = {models.Field.pre_save, models.DateField.pre_save, models.DateTimeField.pre_save}
# Callable defaults whose every result is the same value, so a statement's base row may hold one for all its rows.
_SHARED_DEFAULTS = {dict, list, str, int, bool}


# Dates, dataclasses and subclasses are refused by orjson rather than written its own way (Django's path decides).
_AS_JSON_DUMPS = orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_DATACLASS | orjson.OPT_PASSTHROUGH_SUBCLASS


def _json_text(field: models.Field, value: Any, db) -> Any:
    """A plain JSONField's value as the JSON text `COPY` hands to jsonb's input, where Django would send
    `json.dumps` of it: orjson writes it ~8x faster and PostgreSQL stores the same document (issue 16 item 8: the
    sync's `vendor_data`). What orjson refuses (a non-text key, a huge integer, a subclass, a date) goes Django's
    way, and fails as Django would. Where the two differ: a NaN, which jsonb refuses from `json.dumps`, is written
    null, and a UUID or an Enum, which `json.dumps` refuses, is written (neither comes from a vendor's JSON)."""
    try:
        return orjson.dumps(value, option=_AS_JSON_DUMPS).decode()
    except orjson.JSONEncodeError:
        return _db_value(field, value, db)


def _db_value(field: models.Field, value: Any, db) -> Any:
    """What Django would send for `value` (`bulk_create`'s `get_db_prep_save`), a choice as its plain value: Django
    sends the enum member, whose text psycopg finds only by walking the member's classes, each statement anew
    (~8 us for the receiver's `state`)."""
    if value is None:
        return None
    if field.is_relation and isinstance(value, models.Model):
        value = value.pk
    value = field.get_db_prep_save(value, db)
    return value.value if isinstance(value, models.Choices) else value


class CopyRows:
    """One model's new rows for `COPY table FROM STDIN` (PostgreSQL), with ids taken from its sequence first.

    What a row does not give comes from the statement's base row: each field's default, and a fresh `auto_now`
    time per statement, as `bulk_create` would fill them in. Rows are keyed by column; a key that is not a field
    raises TypeError as a model's constructor would.
    """

    def __init__(self, model: type[models.Model]) -> None:
        meta = model._meta
        self.model = model
        self.fields = [f for f in meta.concrete_fields if not f.primary_key and not f.generated]
        self.plan: dict[str, tuple[str, type | None, models.Field, Callable]] = {}
        for f in self.fields:
            self.plan[f.name] = self.plan[f.attname] = (f.column, plain_type(f), f, preparer(f))
        self.stamped = [f for f in self.fields if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)]
        self._blank = model()
        self._defaults: dict[str, dict[str, Any]] = {}  # by database alias: every unstamped field's default

    @staticmethod
    @functools.cache
    def of(model: type[models.Model]) -> CopyRows | None:
        """The model's CopyRows, or None when a field does more on save than stamp a time (files, custom fields),
        has a database default, or a default that differs per row (uuid4), or whose pk is not numbered by the
        database (its ids are taken from its sequence): those models keep `bulk_create`."""
        if not isinstance(model._meta.pk, models.AutoField):
            return None
        for f in model._meta.concrete_fields:
            if type(f).pre_save not in _PLAIN_PRE_SAVE or f.db_default is not models.NOT_PROVIDED:
                return None
            if f.has_default() and callable(f.default) and f.default not in _SHARED_DEFAULTS:
                return None
        return CopyRows(model)

    def values(self, db, **given: Any) -> dict[str, Any]:
        """A row's own values, keyed by column, each as Django would send it."""
        row = {}
        for key, value in given.items():
            try:
                column, as_is, field, prepared = self.plan[key]
            except KeyError:
                raise TypeError(f"{self.model.__name__}() got unexpected keyword arguments: '{key}'") from None
            row[column] = value if value is None or type(value) is as_is else prepared(field, value, db)
        return row

    def insert(self, db, rows: Sequence[Mapping[str, Any]], base: Mapping[str, Any]) -> list[int]:
        """Insert `rows` (each from `values`) over the base row (`values` of what every row shares); returns
        their new pks, in the order of `rows`."""
        defaults = self._defaults.get(db.alias)
        if defaults is None:
            defaults = self._defaults[db.alias] = {
                f.column: _db_value(f, f.get_default(), db) for f in self.fields if f not in self.stamped
            }
        base_row = dict(defaults)
        for field in self.stamped:
            base_row[field.column] = _db_value(field, field.pre_save(self._blank, True), db)
        base_row.update(base)
        quote, meta = db.ops.quote_name, self.model._meta
        table, columns = quote(meta.db_table), [f.column for f in self.fields]
        with db.cursor() as cursor:
            cursor.execute(
                "SELECT nextval(s.seq) FROM (SELECT pg_get_serial_sequence(%s, %s)::regclass AS seq) AS s, "
                "generate_series(1, %s) ORDER BY 1",
                [table, meta.pk.column, len(rows)],
            )
            pks = [pk for (pk,) in cursor.fetchall()]
        # Only the model's own table and column names are formatted in; every value travels as data.
        copy = f"COPY {table} ({', '.join(quote(column) for column in [meta.pk.column, *columns])}) FROM STDIN"
        shared = [base_row[c] for c in columns]
        filled = ([pk, *map(row.get, columns, shared)] for pk, row in zip(pks, rows, strict=True))
        _copy_in(db, copy, filled)
        return pks


def _copy_in(db, sql: str, rows: Iterator[Sequence[Any]]) -> None:
    """Run `COPY ... FROM STDIN` with these rows through Django's execute wrappers, query log and error
    translation, as `execute` would run a statement."""
    with bound_cursor(db) as cursor:

        def write(sql: str, rows: Iterator[Sequence[Any]], many: bool, context: dict) -> None:
            db.validate_no_broken_transaction()
            with db.wrap_database_errors, cursor.cursor.copy(sql) as copy:
                for row in rows:
                    copy.write_row(row)

        logged = cursor.debug_sql(sql) if isinstance(cursor, CursorDebugWrapper) else contextlib.nullcontext()
        with logged:
            cursor._execute_with_wrappers(sql, rows, many=True, executor=write)
