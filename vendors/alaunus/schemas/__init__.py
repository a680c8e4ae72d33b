"""Typed Alaunus payloads: one schema per object in the doc, tolerant readers, and checked outgoing drafts.

`SCHEMA_BY_COLLECTION` pairs each REST collection (see `vendors.alaunus.paths`) with the schema of its records.
"""

from __future__ import annotations

from vendors.alaunus.schemas.common import (
    AccountSettings,
    AvailabilityWindow,
    BillingSettings,
    Charge,
    DeletedDate,
    EmergencyContact,
    GeoPoint,
    Language,
    Location,
    Name,
    Period,
    Phone,
    Reference,
    Service,
    Tax,
)
from vendors.alaunus.schemas.drafts import (
    EventDraft,
    EventsGroupDraft,
    PatientProgressNoteDraft,
    PayloadInvalid,
    PunchcardDraft,
    UserNoteDraft,
)
from vendors.alaunus.schemas.enums import CandidateStatus, ContactType, Frequency, Weekday, WorkStatus
from vendors.alaunus.schemas.organisations import Account, Client, Company, Contact, ContactPerson
from vendors.alaunus.schemas.page import ErrorBody, Page, parse_page
from vendors.alaunus.schemas.people import Candidate, Patient, Person, User
from vendors.alaunus.schemas.reader import ParseWarning
from vendors.alaunus.schemas.record import Record
from vendors.alaunus.schemas.records import File, PatientProgressNote, Skill, UserNote
from vendors.alaunus.schemas.scheduling import Attendee, ByWeekday, Event, EventsGroup, Recurrence
from vendors.alaunus.schemas.timesheets import ActualTimes, Adjustment, Invoice, Payroll, PayrollUser, Punchcard

__all__ = [
    "SCHEMA_BY_COLLECTION",
    "Account",
    "AccountSettings",
    "ActualTimes",
    "Adjustment",
    "Attendee",
    "AvailabilityWindow",
    "BillingSettings",
    "ByWeekday",
    "Candidate",
    "CandidateStatus",
    "Charge",
    "Client",
    "Company",
    "Contact",
    "ContactPerson",
    "ContactType",
    "DeletedDate",
    "EmergencyContact",
    "ErrorBody",
    "Event",
    "EventDraft",
    "EventsGroup",
    "EventsGroupDraft",
    "File",
    "Frequency",
    "GeoPoint",
    "Invoice",
    "Language",
    "Location",
    "Name",
    "Page",
    "ParseWarning",
    "Patient",
    "PatientProgressNote",
    "PatientProgressNoteDraft",
    "PayloadInvalid",
    "Payroll",
    "PayrollUser",
    "Period",
    "Person",
    "Phone",
    "Punchcard",
    "PunchcardDraft",
    "Record",
    "Recurrence",
    "Reference",
    "Service",
    "Skill",
    "Tax",
    "User",
    "UserNote",
    "UserNoteDraft",
    "Weekday",
    "WorkStatus",
    "parse_page",
]

SCHEMA_BY_COLLECTION: dict[str, type[Record]] = {
    "accounts": Account,
    "candidates": Candidate,
    "clients": Client,
    "contacts": Contact,
    "events": Event,
    "eventsgroups": EventsGroup,
    "files": File,
    "invoices": Invoice,
    "patients": Patient,
    "patientsprogressnotes": PatientProgressNote,
    "payrolls": Payroll,
    "payrollsusers": PayrollUser,
    "punchcards": Punchcard,
    "skills": Skill,
    "users": User,
    "usersnotes": UserNote,
}
