"""Files, skills and the two note objects (on users and on patients)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from vendors.alaunus.schemas.reader import PayloadReader
from vendors.alaunus.schemas.record import Record

__all__ = ["File", "PatientProgressNote", "Skill", "UserNote"]


@dataclass(frozen=True, slots=True, kw_only=True)
class File(Record):
    """`files`: an uploaded document; `file` is what Alaunus gives to fetch it (a URL or a key)."""

    name: str | None = None
    file: str | None = None
    content_type: str | None = None
    checksum: str | None = None
    type: str | None = None
    notes: str | None = None
    uploaded_date: datetime | None = None

    @classmethod
    def read_fields(cls, reader: PayloadReader) -> dict[str, Any]:
        return {
            "name": reader.text("name"),
            "file": reader.text("file", "url"),
            "content_type": reader.text("content_type"),
            "checksum": reader.text("checksum"),
            "type": reader.ident("type"),
            "notes": reader.text("notes"),
            "uploaded_date": reader.datetime("_uploaded_date"),
        }


@dataclass(frozen=True, slots=True, kw_only=True)
class Skill(Record):
    """`skills`: the account's skill list that users, candidates and patients refer to."""

    title: str | None = None
    description: str | None = None
    color: str | None = None

    @classmethod
    def read_fields(cls, reader: PayloadReader) -> dict[str, Any]:
        return {"title": reader.text("title"), "description": reader.text("description"), "color": reader.text("color")}


def _note_fields(reader: PayloadReader) -> dict[str, Any]:
    return {
        "title": reader.text("title"),
        "note": reader.text("note"),
        "priority": reader.ident("priority"),
        "deleted": reader.boolean("_deleted", "deleted"),
        "created_user": reader.ident("_created_user"),
        # Usersnotes spell it `last_updated_date`, progress notes `_last_updated_date` (doc): both read.
        "last_updated_date": reader.datetime("_last_updated_date", "last_updated_date"),
        "last_updated_user": reader.ident("_last_updated_user", "last_updated_user"),
    }


@dataclass(frozen=True, slots=True, kw_only=True)
class UserNote(Record):
    """`usersnotes`: a note on a user (caregiver)."""

    user: str | None = None
    title: str | None = None
    note: str | None = None
    priority: str | None = None
    deleted: bool | None = None
    created_user: str | None = None
    last_updated_date: datetime | None = None
    last_updated_user: str | None = None

    @classmethod
    def read_fields(cls, reader: PayloadReader) -> dict[str, Any]:
        return _note_fields(reader) | {"user": reader.ident("user")}


@dataclass(frozen=True, slots=True, kw_only=True)
class PatientProgressNote(Record):
    """`patientsprogressnotes`: a clinical progress note on a patient, optionally private or tagged."""

    patient: str | None = None
    title: str | None = None
    note: str | None = None
    priority: str | None = None
    private: bool | None = None
    service: str | None = None
    referrer: str | None = None
    approval: dict[str, Any] | None = None
    invoice_to: dict[str, Any] | None = None
    tags: tuple[dict[str, Any], ...] = ()
    users: tuple[str, ...] = ()
    deleted: bool | None = None
    created_user: str | None = None
    last_updated_date: datetime | None = None
    last_updated_user: str | None = None

    @classmethod
    def read_fields(cls, reader: PayloadReader) -> dict[str, Any]:
        return _note_fields(reader) | {
            "patient": reader.ident("patient"),
            "private": reader.boolean("private"),
            "service": reader.ident("service"),
            "referrer": reader.ident("referrer"),
            "approval": reader.mapping("approval"),
            "invoice_to": reader.mapping("invoice_to"),
            "tags": reader.raw_many("tags"),
            "users": reader.idents("users"),
        }
