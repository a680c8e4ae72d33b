"""Accounts (the agency using Alaunus), clients (who pays) and contacts (people and companies on file)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from vendors.alaunus.schemas.common import (
    AccountSettings,
    BillingSettings,
    Location,
    Name,
    Phone,
    Reference,
    Service,
    Tax,
    read_name,
)
from vendors.alaunus.schemas.enums import ContactType
from vendors.alaunus.schemas.reader import PayloadReader, SubDocument
from vendors.alaunus.schemas.record import Record

__all__ = ["Account", "Client", "Company", "Contact", "ContactPerson"]


@dataclass(frozen=True, slots=True, kw_only=True)
class Account(Record):
    """`accounts`: the agency's own Alaunus account. Its `settings.timezone` is how naive times are meant."""

    active: bool | None = None
    email: str | None = None
    ext_id: str | None = None
    hst_number: str | None = None
    name: Name | None = None
    website: str | None = None
    locations: tuple[Location, ...] = ()
    emergency_phones: tuple[Phone, ...] = ()
    settings: AccountSettings | None = None
    billing_settings: BillingSettings | None = None
    services: tuple[Service, ...] = ()
    taxes: tuple[Tax, ...] = ()
    sales_reps: tuple[Reference, ...] = ()
    roles: tuple[dict[str, Any], ...] = ()
    terms: tuple[dict[str, Any], ...] = ()

    @classmethod
    def read_fields(cls, reader: PayloadReader) -> dict[str, Any]:
        # candidate/invoice/payroll/role/scheduler/visit settings, telephony, logo and policy stay in `raw`:
        # the doc describes them only as "settings like ... and others" and no page needs them.
        return {
            # "active: integer" in the doc, though it answers a yes/no question: 0/1 and true/false both read.
            "active": reader.boolean("active"),
            "email": reader.text("email"),
            "ext_id": reader.text("ext_id"),
            "hst_number": reader.text("hst_number"),
            "name": read_name(reader),
            "website": reader.text("website"),
            "locations": reader.many(Location, "locations"),
            "emergency_phones": reader.many(Phone, "emergency_phones"),
            "settings": reader.one(AccountSettings, "settings"),
            "billing_settings": reader.one(BillingSettings, "billing_settings"),
            "services": reader.many(Service, "services"),
            "taxes": reader.many(Tax, "taxes"),
            "sales_reps": reader.many(Reference, "sales_reps"),
            "roles": reader.raw_many("roles"),
            "terms": reader.raw_many("terms"),
        }


@dataclass(frozen=True, slots=True)
class Company(SubDocument):
    """A client's/contact's `company`: "Company's name and website"."""

    name: str | None
    website: str | None = None

    @classmethod
    def from_reader(cls, reader: PayloadReader) -> Company:
        return cls(name=reader.text("name", "title"), website=reader.text("website", "url"))


@dataclass(frozen=True, slots=True)
class ContactPerson(SubDocument):
    """A client's/contact's `contact`: "Information on the client, like name, phones and gender"."""

    name: Name | None = None
    phones: tuple[Phone, ...] = ()
    gender: str | None = None
    email: str | None = None

    @classmethod
    def from_reader(cls, reader: PayloadReader) -> ContactPerson:
        return cls(
            name=read_name(reader),
            phones=reader.many(Phone, "phones"),
            gender=reader.ident("gender"),
            email=reader.text("email"),
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class Client(Record):
    """`clients`: who is invoiced (a company or a person); `employees` stay raw."""

    type: ContactType | None = None
    accounting_id: str | None = None
    color: str | None = None
    company: Company | None = None
    contact: ContactPerson | None = None
    email: str | None = None
    ext_id: str | None = None
    locations: tuple[Location, ...] = ()
    employees: tuple[dict[str, Any], ...] = ()

    @classmethod
    def read_fields(cls, reader: PayloadReader) -> dict[str, Any]:
        return {
            # The doc lists both `contact_type` and `type` with one description; either may be sent.
            "type": reader.enum(ContactType, "type", "contact_type", "_type"),
            "accounting_id": reader.text("accounting_id"),
            "color": reader.text("color"),
            "company": reader.one(Company, "company"),
            "contact": reader.one(ContactPerson, "contact"),
            "email": reader.text("email"),
            "ext_id": reader.text("ext_id"),
            "locations": reader.many(Location, "locations"),
            "employees": reader.raw_many("employees"),
        }

    @property
    def display_name(self) -> str:
        """The company name for a company, the person's name otherwise."""
        return _display(self.type, self.company, self.contact, self.email)


@dataclass(frozen=True, slots=True, kw_only=True)
class Contact(Record):
    """`contacts`: people and companies on file (case managers, family, referrers)."""

    type: ContactType | None = None
    accounting_id: str | None = None
    company: Company | None = None
    contact: ContactPerson | None = None
    email: str | None = None
    ext_id: str | None = None
    fax: str | None = None
    locations: tuple[Location, ...] = ()
    notes: str | None = None

    @classmethod
    def read_fields(cls, reader: PayloadReader) -> dict[str, Any]:
        fax = reader.raw("fax")
        return {
            "type": reader.enum(ContactType, "_type", "type", "contact_type"),
            "accounting_id": reader.text("accounting_id"),
            "company": reader.one(Company, "company"),
            "contact": reader.one(ContactPerson, "contact"),
            "email": reader.text("email"),
            "ext_id": reader.text("ext_id"),
            # `fax` is a subdocument in the doc ("Contains the fax number"); a bare number is accepted too.
            "fax": reader.child("fax", fax).text("number", "fax") if isinstance(fax, dict) else reader.text("fax"),
            "locations": reader.many(Location, "locations"),
            "notes": reader.text("notes"),
        }

    @property
    def display_name(self) -> str:
        return _display(self.type, self.company, self.contact, self.email)


def _display(kind: ContactType | None, company: Company | None, person: ContactPerson | None, email: str | None) -> str:
    company_name = company.name if company else None
    person_name = person.name.display if person and person.name else None
    first, second = (company_name, person_name) if kind == ContactType.COMPANY else (person_name, company_name)
    return first or second or email or ""
