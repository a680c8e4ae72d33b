"""Kamana's reference records: provinces, professions, specialties, users, clients, contacts and facilities.

Each `from_payload` takes a JSON:API resource object or a flat webhook object (see `reading`), plus the
document's `included` index so that relationships (a facility's `province`) come back resolved.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, ClassVar, Self

from vendors.kamana.schemas.enums import ClientType, UserStatus
from vendors.kamana.schemas.reading import Included, RecordReader

__all__ = [
    "Client",
    "ClientContact",
    "ClientContract",
    "Facility",
    "Profession",
    "Province",
    "Specialty",
    "User",
]


@dataclass(frozen=True, slots=True)
class Province:
    """A state (`province`, included with facilities; nested as `client_location.province` in webhooks)."""

    id: str
    name: str | None = None
    abbreviation: str | None = None
    country: str | None = None
    inserted_at: datetime | None = None
    updated_at: datetime | None = None
    warnings: tuple[str, ...] = ()

    @classmethod
    def from_payload(cls, payload: Mapping[str, Any], included: Included | None = None) -> Province:
        read = RecordReader(payload, "province", included)
        return cls(
            id=read.record_id(),
            name=read.text("name"),
            abbreviation=read.text("abbreviation"),
            country=read.text("country"),
            inserted_at=read.moment("inserted_at"),
            updated_at=read.moment("updated_at"),
            warnings=tuple(read.warnings),
        )


@dataclass(frozen=True, slots=True)
class _NamedReference:
    """A record that is only a name (professions and specialties), read under its JSON:API `TYPE`."""

    TYPE: ClassVar[str]

    id: str
    name: str | None = None
    inserted_at: datetime | None = None
    updated_at: datetime | None = None
    warnings: tuple[str, ...] = ()

    @classmethod
    def from_payload(cls, payload: Mapping[str, Any], included: Included | None = None) -> Self:
        read = RecordReader(payload, cls.TYPE, included)
        return cls(
            id=read.record_id(),
            name=read.text("name"),
            inserted_at=read.moment("inserted_at"),
            updated_at=read.moment("updated_at"),
            warnings=tuple(read.warnings),
        )


@dataclass(frozen=True, slots=True)
class Profession(_NamedReference):
    """A profession such as "Registered Nurse" (List All Professions; `profession` in webhooks)."""

    TYPE = "profession"


@dataclass(frozen=True, slots=True)
class Specialty(_NamedReference):
    """A specialty such as "Step Down" (List All Specialties; `specialty`/`primary_specialty` elsewhere)."""

    TYPE = "specialty"


@dataclass(frozen=True, slots=True)
class User:
    """A Kamana user: a requisition's `creator`, a relationship's `primary_contact` or `do_not_hire_user`."""

    id: str
    email: str | None = None
    status: UserStatus | None = None
    inserted_at: datetime | None = None
    updated_at: datetime | None = None
    warnings: tuple[str, ...] = ()

    @classmethod
    def from_payload(cls, payload: Mapping[str, Any], included: Included | None = None) -> User:
        read = RecordReader(payload, "user", included)
        return cls(
            id=read.record_id(),
            email=read.text("email"),
            status=read.enum(UserStatus, "status"),
            inserted_at=read.moment("inserted_at"),
            updated_at=read.moment("updated_at"),
            warnings=tuple(read.warnings),
        )


@dataclass(frozen=True, slots=True)
class Client:
    """A client (List/Show Client). The doc's Create Client response is a relationship by mistake (README)."""

    id: str
    name: str | None = None
    type: ClientType | None = None
    updated_at: datetime | None = None
    warnings: tuple[str, ...] = ()

    @classmethod
    def from_payload(cls, payload: Mapping[str, Any], included: Included | None = None) -> Client:
        read = RecordReader(payload, "client", included)
        return cls(
            id=read.record_id(),
            name=read.text("name"),
            type=read.enum(ClientType, "type"),
            updated_at=read.moment("updated_at"),
            warnings=tuple(read.warnings),
        )


@dataclass(frozen=True, slots=True)
class ClientContact:
    """A person at a client (`client_contact`); phone numbers stay text, as the doc sends them."""

    id: str
    first_name: str | None = None
    last_name: str | None = None
    email: str | None = None
    phone_number: str | None = None
    phone_number_extension: str | None = None
    mobile_number: str | None = None
    notes: str | None = None
    warnings: tuple[str, ...] = ()

    @classmethod
    def from_payload(cls, payload: Mapping[str, Any], included: Included | None = None) -> ClientContact:
        read = RecordReader(payload, "client_contact", included)
        return cls(
            id=read.record_id(),
            first_name=read.text("first_name"),
            last_name=read.text("last_name"),
            email=read.text("email"),
            phone_number=read.text("phone_number"),
            phone_number_extension=read.text("phone_number_extension"),
            mobile_number=read.text("mobile_number"),
            notes=read.text("notes"),
            warnings=tuple(read.warnings),
        )


@dataclass(frozen=True, slots=True)
class ClientContract:
    """A client contract, known only from the engagement event (`client_contract`); no endpoint lists them."""

    id: str
    name: str | None = None
    client_id: str | None = None
    inserted_at: datetime | None = None
    updated_at: datetime | None = None
    warnings: tuple[str, ...] = ()

    @classmethod
    def from_payload(cls, payload: Mapping[str, Any], included: Included | None = None) -> ClientContract:
        read = RecordReader(payload, "client_contract", included)
        return cls(
            id=read.record_id(),
            name=read.text("name"),
            client_id=read.ref_id("client"),
            inserted_at=read.moment("inserted_at"),
            updated_at=read.moment("updated_at"),
            warnings=tuple(read.warnings),
        )


@dataclass(frozen=True, slots=True)
class Facility:
    """A facility (`facility`; `client_location` in webhooks). `static_id` set means "linked mode"."""

    id: str
    name: str | None = None
    street: str | None = None
    city: str | None = None
    postal_code: str | None = None
    province_id: str | None = None
    static_id: str | None = None
    time_zone: str | None = None
    inserted_at: datetime | None = None
    updated_at: datetime | None = None
    province: Province | None = None
    warnings: tuple[str, ...] = ()

    @property
    def linked(self) -> bool:
        """Created in linked mode: shared across accounts by `static_id`, so the API will not delete it."""
        return self.static_id is not None

    @classmethod
    def from_payload(cls, payload: Mapping[str, Any], included: Included | None = None) -> Facility:
        read = RecordReader(payload, "facility", included)
        return cls(
            id=read.record_id(),
            name=read.text("name"),
            street=read.text("street"),
            city=read.text("city"),
            # Postal codes are text: "02134" must keep its zero even when a vendor sends a number.
            postal_code=read.text("postal_code"),
            province_id=read.ref_id("province"),
            static_id=read.text("static_id") or None,
            time_zone=read.text("time_zone") or None,
            inserted_at=read.moment("inserted_at"),
            updated_at=read.moment("updated_at"),
            province=read.nested("province", Province.from_payload),
            warnings=tuple(read.warnings),
        )
