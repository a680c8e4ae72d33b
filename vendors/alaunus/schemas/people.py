"""Candidates, users (caregivers and staff) and patients: the three Alaunus objects that describe a person.

They share most attributes (name, phones, locations, languages, pets, smoking, work status...), so one
`Person` base reads those and each object adds its own. Attributes whose name the doc leaves out (it prints
only their description) are read from the key chosen in the README's "unnamed attributes" table.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from vendors.alaunus.schemas.common import (
    AvailabilityWindow,
    BillingSettings,
    DeletedDate,
    EmergencyContact,
    Language,
    Location,
    Name,
    Period,
    Phone,
    Reference,
    Service,
    parse_availability,
)
from vendors.alaunus.schemas.enums import CandidateStatus, WorkStatus
from vendors.alaunus.schemas.reader import PayloadReader, enum_member
from vendors.alaunus.schemas.record import Record

__all__ = ["Candidate", "Patient", "Person", "User", "parse_work_status"]


def parse_work_status(reader: PayloadReader) -> frozenset[WorkStatus]:
    """`work_status` subdocument -> the statuses that apply.

    Accepted: flags (`{"full_time": true, "temp": false}`), a list (`["part_time"]`) or one string.
    """
    value = reader.raw("work_status")
    if value is None:
        return frozenset()
    if isinstance(value, Mapping):
        flags = reader.child("work_status", value)
        candidates = [key for key in value if flags.boolean(key)]
    else:
        candidates = value if isinstance(value, list) else [value]
    found = set()
    for candidate in candidates:
        member = enum_member(WorkStatus, candidate)
        if member is None:
            reader.warn("work_status", candidate, f"not one of {', '.join(WorkStatus)}")
        else:
            found.add(member)
    return frozenset(found)


@dataclass(frozen=True, slots=True, kw_only=True)
class Person(Record):
    """What candidates, users and patients have in common."""

    ext_id: str | None = None
    name: Name | None = None
    email: str | None = None
    phones: tuple[Phone, ...] = ()
    locations: tuple[Location, ...] = ()
    date_of_birth: date | None = None
    gender: str | None = None
    languages: tuple[Language, ...] = ()
    has_pets: bool | None = None
    type_of_pets: str | None = None
    is_smoker: bool | None = None
    travel_passport: bool | None = None
    us_visa: bool | None = None
    will_travel: bool | None = None
    work_status: frozenset[WorkStatus] = frozenset()
    cleaning_skills: str | None = None
    cooking_skills: str | None = None
    swimming_skills: str | None = None
    education: str | None = None
    experience_years: float | None = None
    living_status: str | None = None
    transportation: str | None = None
    deleted: bool | None = None
    deleted_dates: tuple[DeletedDate, ...] = ()

    @classmethod
    def read_fields(cls, reader: PayloadReader) -> dict[str, Any]:
        return {
            "ext_id": reader.text("ext_id"),
            "name": reader.one(Name, "name"),
            "email": reader.text("email"),
            "phones": reader.many(Phone, "phones"),
            "locations": reader.many(Location, "locations"),
            "date_of_birth": reader.date("date_of_birth", "dob"),
            "gender": reader.ident("gender"),
            "languages": reader.many(Language, "languages"),
            "has_pets": reader.boolean("has_pets"),
            "type_of_pets": reader.ident("type_of_pets"),
            "is_smoker": reader.boolean("is_smoker"),
            "travel_passport": reader.boolean("travel_passport"),
            "us_visa": reader.boolean("us_visa"),
            "will_travel": reader.boolean("will_travel"),
            "work_status": parse_work_status(reader),
            "cleaning_skills": reader.ident("cleaning_skills", "cleaning"),
            "cooking_skills": reader.ident("cooking_skills", "cooking"),
            "swimming_skills": reader.ident("swimming_skills", "swimming"),
            "education": reader.ident("education", "education_level"),
            "experience_years": reader.number("experience", "years_of_experience", "experience_years"),
            "living_status": reader.ident("living_status"),
            "transportation": reader.ident("transportation", "transportation_method"),
            "deleted": reader.boolean("_deleted", "deleted"),
            "deleted_dates": reader.many(DeletedDate, "_deleted_dates"),
        }

    @property
    def is_deleted(self) -> bool:
        """Archived locally when Alaunus says so: `_deleted`, or else any `_deleted_dates` entry (issue 9)."""
        return self.deleted if self.deleted is not None else bool(self.deleted_dates)


@dataclass(frozen=True, slots=True, kw_only=True)
class _Worker(Person):
    """Candidates and users: the caregiver side (availability, skills, history, work permit)."""

    availability: tuple[AvailabilityWindow, ...] = ()
    skills: tuple[Reference, ...] = ()
    certifications: tuple[dict[str, Any], ...] = ()
    employment_history: tuple[dict[str, Any], ...] = ()
    criminal_offender: bool | None = None
    criminal_offender_reason: str | None = None
    drivers_licence: dict[str, Any] | None = None
    manager: str | None = None
    nearest_intersection: str | None = None
    source: str | None = None
    work_permit: str | None = None

    @classmethod
    def read_fields(cls, reader: PayloadReader) -> dict[str, Any]:
        return Person.read_fields(reader) | {
            "availability": parse_availability(reader),
            "skills": _skills(reader),
            "certifications": reader.raw_many("certifications"),
            "employment_history": reader.raw_many("employment_history"),
            "criminal_offender": reader.boolean("criminal_offender"),
            "criminal_offender_reason": reader.text("criminal_offender_reason"),
            "drivers_licence": reader.mapping("drivers_licence", "drivers_license"),
            "manager": reader.ident("manager"),
            "nearest_intersection": reader.text("nearest_intersection"),
            "source": reader.ident("source"),
            "work_permit": reader.ident("work_permit"),
        }


def _skills(reader: PayloadReader) -> tuple[Reference, ...]:
    """`skills` subdocuments; a bare skill id in the list is accepted as a reference without a name."""
    skills = []
    for path, element in reader.items("skills"):
        if isinstance(element, Mapping):
            child = reader.child(path, element)
            title = child.text("title", "name")
            skills.append(Reference(id=child.ident("_id", "id", "skill"), name=Name(full=title) if title else None))
        elif isinstance(element, str | int) and not isinstance(element, bool):
            skills.append(Reference(id=str(element)))
    return tuple(skills)


@dataclass(frozen=True, slots=True, kw_only=True)
class Candidate(_Worker):
    """`candidates`: applicants; a hired one gets a `users` record (`_hired_user` is who hired them)."""

    status: CandidateStatus | None = None
    hired: bool | None = None
    hired_date: datetime | None = None
    hired_user: str | None = None
    candidate_notes: tuple[dict[str, Any], ...] = ()
    cover_letter: str | None = None
    resume: str | None = None
    rating: int | None = None

    @classmethod
    def read_fields(cls, reader: PayloadReader) -> dict[str, Any]:
        return _Worker.read_fields(reader) | {
            "status": reader.enum(CandidateStatus, "status", "_status", "stage"),
            "hired": reader.boolean("_hired", "hired"),
            "hired_date": reader.datetime("_hired_date"),
            "hired_user": reader.ident("_hired_user"),
            "candidate_notes": reader.raw_many("candidate_notes"),
            "cover_letter": reader.text("cover_letter"),
            "resume": reader.text("resume"),
            "rating": reader.integer("rating"),
        }


@dataclass(frozen=True, slots=True, kw_only=True)
class User(_Worker):
    """`users`: caregivers and office staff (`role`/`role_type` tell which)."""

    candidate: str | None = None
    accounting_id: str | None = None
    role: str | None = None
    role_type: str | None = None
    services: tuple[Service, ...] = ()
    files: tuple[dict[str, Any], ...] = ()
    timezone: str | None = None
    start_date: date | None = None
    setup_date: datetime | None = None
    is_setup: bool | None = None
    invited_date: datetime | None = None
    last_login_date: datetime | None = None
    suspended: bool | None = None
    suspended_date: datetime | None = None
    suspended_user: str | None = None
    ssn: str | None = None
    ssn_expiry_date: date | None = None

    @classmethod
    def read_fields(cls, reader: PayloadReader) -> dict[str, Any]:
        return _Worker.read_fields(reader) | {
            "candidate": reader.ident("_candidate"),
            "accounting_id": reader.text("accounting_id"),
            "role": reader.ident("role"),
            "role_type": reader.ident("role_type"),
            "services": reader.many(Service, "services"),
            "files": reader.raw_many("files"),
            "timezone": reader.ident("timezone"),
            "start_date": reader.date("start_date"),
            "setup_date": reader.datetime("_setup_date"),
            "is_setup": reader.boolean("is_setup"),
            "invited_date": reader.datetime("invited_date"),
            "last_login_date": reader.datetime("last_login_date"),
            "suspended": reader.boolean("_suspended"),
            "suspended_date": reader.datetime("_suspended_date"),
            "suspended_user": reader.ident("_suspended_user"),
            "ssn": reader.text("ssn"),
            "ssn_expiry_date": reader.date("ssn_expiry_date"),
        }


@dataclass(frozen=True, slots=True, kw_only=True)
class Patient(Person):
    """`patients`: home-care clients; their "skills"/"education" attributes are what they expect of a caregiver."""

    account: str | None = None
    accounting_id: str | None = None
    chart_id: str | None = None
    status: str | None = None
    case_coordinator: str | None = None
    contacts: tuple[EmergencyContact, ...] = ()
    billing: tuple[BillingSettings, ...] = ()
    services: tuple[Service, ...] = ()
    service_date: Period | None = None
    ethnicity: str | None = None
    religion: str | None = None
    marital_status: str | None = None
    referred_by: str | None = None
    legal_rep: str | None = None
    major_intersection: str | None = None
    general_notes: str | None = None
    important_notes: str | None = None
    notes: tuple[dict[str, Any], ...] = ()
    problems: tuple[dict[str, Any], ...] = ()
    files: tuple[dict[str, Any], ...] = ()
    ssn: str | None = None
    ssn_expiry_date: date | None = None

    @classmethod
    def read_fields(cls, reader: PayloadReader) -> dict[str, Any]:
        return Person.read_fields(reader) | {
            "account": reader.ident("_account"),
            "accounting_id": reader.text("accounting_id"),
            "chart_id": reader.text("chart_id"),
            "status": reader.ident("status"),
            "case_coordinator": reader.ident("case_coordinator", "coordinator"),
            "contacts": reader.many(EmergencyContact, "contacts"),
            "billing": reader.many(BillingSettings, "billing"),
            "services": reader.many(Service, "services"),
            "service_date": reader.one(Period, "service_date"),
            "ethnicity": reader.ident("ethnicity"),
            "religion": reader.ident("religion"),
            "marital_status": reader.ident("marital_status"),
            "referred_by": reader.ident("referred_by"),
            "legal_rep": reader.text("legal_rep"),
            "major_intersection": reader.text("major_intersection"),
            "general_notes": reader.text("general_notes"),
            "important_notes": reader.text("important_notes"),
            "notes": reader.raw_many("notes"),
            "problems": reader.raw_many("problems"),
            "files": reader.raw_many("files"),
            "ssn": reader.text("ssn"),
            "ssn_expiry_date": reader.date("ssn_expiry_date"),
        }
