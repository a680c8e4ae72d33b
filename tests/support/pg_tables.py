"""What PostgreSQL keeps for a table (indexes, foreign keys) and whether a query's plan scans it whole: the
table tests pin each table's indexes to the queries that use them (issue 16 item 8)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import connection as db


def indexed_columns(table: str) -> set[tuple[str, ...]]:
    """Every index of `table`, by its columns in order."""
    with db.cursor() as cursor:
        cursor.execute(
            "SELECT array_agg(a.attname ORDER BY k.n) FROM pg_index i "
            "CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, n) "
            "JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum "
            "WHERE i.indrelid = %s::regclass GROUP BY i.indexrelid",
            [table],
        )
        return {tuple(columns) for (columns,) in cursor.fetchall()}


def foreign_keys(table: str, to: str) -> int:
    """How many foreign-key constraints of `table` point at `to`."""
    with db.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_constraint WHERE conrelid = %s::regclass AND contype = 'f' "
            "AND confrelid = %s::regclass",
            [table, to],
        )
        return cursor.fetchone()[0]


def scanning_whole(queries: Mapping[str, Any], scan: str = "Seq Scan") -> dict[str, str]:
    """The queries whose plan still reads a table whole once the planner may not choose to: no index serves them."""
    with db.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
    plans = {name: query.explain() for name, query in queries.items()}
    return {name: plan for name, plan in plans.items() if scan in plan}
