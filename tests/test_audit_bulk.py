"""Batched audit entries: on PostgreSQL a batch is one JSON document (a sync's creates, one statement), elsewhere
(and for a single change) it is `bulk_create`. Both must store the same entries, or the admin history and the
talent timeline would differ."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

import pytest
from django.db import connection as db_connection

from portal.core.audit import audit_context, record_bulk_changes, record_change, record_creates
from portal.core.models import AuditEntry
from portal.jobs.models import Profession

pytestmark = pytest.mark.django_db

PATHS = ["json", "orm"] if db_connection.vendor == "postgresql" else ["orm"]

VALUES = {
    "starts_on": dt.date(2026, 12, 7),
    "sent_at": dt.datetime(2026, 11, 2, 9, 30, tzinfo=dt.UTC),
    "rate": Decimal("61.50"),
    "token": uuid.UUID("12345678-1234-5678-1234-567812345678"),
    "note": 'nights "only" \\ l\'été',
    "openings": 2,
    "asap": False,
    "missing": None,
    "tags": ["icu", None],
}


def entries(model_ids: list[str]) -> list[tuple]:
    return [
        (e.object_id, e.action, e.changes, e.source, e.detail, e.actor_id)
        for e in AuditEntry.objects.filter(object_id__in=model_ids).order_by("id")
    ]


def write_with(path: str, monkeypatch, write) -> None:
    with monkeypatch.context() as patch:
        if path == "orm":
            patch.setattr(db_connection, "vendor", "other")
        with audit_context("sync", detail="sync run 3"):
            write()


def test_batched_changes_and_creates_store_what_bulk_create_stores(monkeypatch, coordinator):
    nurse = Profession.objects.create(name="Registered Nurse")
    stored = {}
    for path in PATHS:
        ids = [f"{path}-{k}" for k in range(4)]
        write_with(
            path,
            monkeypatch,
            lambda ids=ids: (
                record_bulk_changes(
                    Profession,
                    [
                        (
                            ids[0],
                            "update",
                            {key: [None, value] for key, value in VALUES.items()} | {"p": [nurse, None]},
                        ),
                        (ids[1], "delete", {}),
                    ],
                ),
                record_bulk_changes(
                    Profession,
                    [(ids[2], "create", {key: (None, value) for key, value in VALUES.items()}), (ids[3], "create", {})],
                ),
            ),
        )
        stored[path] = [entry[1:] for entry in entries(ids)]
    first = stored[PATHS[0]]
    assert all(state == first for state in stored.values())
    update, delete, create, empty = first
    assert update[1]["rate"] == [None, "61.50"] and update[1]["p"] == [nurse.pk, None]
    assert create == ("create", {key: [None, update[1][key][1]] for key in VALUES}, "sync", "sync run 3", None)
    assert create[1]["sent_at"] == [None, "2026-11-02T09:30:00+00:00"] and create[1]["tags"] == [None, ["icu", None]]
    assert delete[:2] == ("delete", {}) and empty[:2] == ("create", {})


@pytest.mark.parametrize("path", PATHS)
def test_a_single_change_and_a_batch_name_the_person_who_made_them(path, monkeypatch, coordinator):
    nurse = Profession.objects.create(name="Registered Nurse")
    with monkeypatch.context() as patch:
        if path == "orm":
            patch.setattr(db_connection, "vendor", "other")
        with audit_context("user", user=coordinator):
            record_change(nurse, "update", {"name": ["RN", "Registered Nurse"]})
            created = [("new-1", "create", {"name": [None, "A"]}), ("new-2", "create", {"name": [None, "B"]})]
            assert record_bulk_changes(Profession, created) == 2
    rows = entries([str(nurse.pk), "new-1", "new-2"])
    assert [(row[0], row[1], row[3], row[5]) for row in rows[-3:]] == [
        (str(nurse.pk), "update", "user", coordinator.pk),
        ("new-1", "create", "user", coordinator.pk),
        ("new-2", "create", "user", coordinator.pk),
    ]


def test_creates_that_name_their_fields_store_the_same_on_both_paths(monkeypatch):
    stored = {}
    for path in PATHS:
        ids = [f"{path}-named-{k}" for k in range(3)]
        created = [(ids[0], {"name": "A", "code": 1}), (ids[1], ["name", "code"]), (ids[2], {"name": "C"})]
        write_with(path, monkeypatch, lambda created=created: record_creates(Profession, created))
        stored[path] = [entry[1:] for entry in entries(ids)]
    first = stored[PATHS[0]]
    assert all(state == first for state in stored.values())
    assert first == [
        ("create", {"name": None, "code": None}, "sync", "sync run 3", None),
        ("create", {"name": None, "code": None}, "sync", "sync run 3", None),
        ("create", {"name": None}, "sync", "sync run 3", None),
    ]
