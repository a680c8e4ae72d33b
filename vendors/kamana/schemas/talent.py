"""Kamana talent: profiles, their opportunity preferences, and an account's relationship with a profile.

A profile comes from Show Talent (`/talents/{profile_id}`, relationships resolved from `included`) or nested
in a talent profile or relationship event. The event's `ssn` is deliberately not read into the typed record:
nothing in the portal needs it, and a typed field is one step from a model column (the raw payload is kept
by the integration core, which decides what it stores).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from vendors.kamana.schemas.enums import RelationshipStatus
from vendors.kamana.schemas.reading import Included, RecordReader
from vendors.kamana.schemas.reference import Profession, Specialty, User

__all__ = ["OpportunityPreference", "Relationship", "TalentInvite", "TalentProfile"]


@dataclass(frozen=True, slots=True)
class OpportunityPreference:
    """What a talent is looking for (`opportunity_preference`, included with a talent)."""

    id: str
    name: str | None = None
    available_on: date | None = None
    desired_contract_length: int | None = None
    hours_per_week: int | None = None
    minimum_weekly_gross_pay: Decimal | None = None
    shift_days: bool | None = None
    shift_mids: bool | None = None
    shift_nights: bool | None = None
    inserted_at: datetime | None = None
    updated_at: datetime | None = None
    warnings: tuple[str, ...] = ()

    @classmethod
    def from_payload(cls, payload: Mapping[str, Any], included: Included | None = None) -> OpportunityPreference:
        read = RecordReader(payload, "opportunity_preference", included)
        return cls(
            id=read.record_id(),
            name=read.text("name"),
            available_on=read.day("available_on"),
            desired_contract_length=read.integer("desired_contract_length"),
            hours_per_week=read.integer("hours_per_week"),
            minimum_weekly_gross_pay=read.decimal("minimum_weekly_gross_pay"),
            shift_days=read.flag("shift_days"),
            shift_mids=read.flag("shift_mids"),
            shift_nights=read.flag("shift_nights"),
            inserted_at=read.moment("inserted_at"),
            updated_at=read.moment("updated_at"),
            warnings=tuple(read.warnings),
        )


@dataclass(frozen=True, slots=True)
class TalentProfile:
    """A talent's profile (`profile`). `claimed` is false for a profile the agency created for the talent."""

    id: str
    first_name: str | None = None
    middle_name: str | None = None
    last_name: str | None = None
    no_middle_name: bool | None = None
    email: str | None = None
    phone_number: str | None = None
    notification_preference: str | None = None
    claimed: bool | None = None
    gender: str | None = None
    date_of_birth: date | None = None
    years_of_experience: int | None = None
    tax_home_city: str | None = None
    tax_home_province: str | None = None
    tax_home_postal_code: str | None = None
    profession_id: str | None = None
    primary_specialty_id: str | None = None
    profession: Profession | None = None
    primary_specialty: Specialty | None = None
    login: User | None = None  # the event's `user`: "this contains the user's login email"
    opportunity_preferences: tuple[OpportunityPreference, ...] = ()
    inserted_at: datetime | None = None
    updated_at: datetime | None = None
    warnings: tuple[str, ...] = ()

    @classmethod
    def from_payload(cls, payload: Mapping[str, Any], included: Included | None = None) -> TalentProfile:
        read = RecordReader(payload, "profile", included)
        return cls(
            id=read.record_id(),
            first_name=read.text("first_name"),
            middle_name=read.text("middle_name"),
            last_name=read.text("last_name"),
            no_middle_name=read.flag("no_middle_name"),
            email=read.text("email"),
            phone_number=read.text("phone_number"),
            notification_preference=read.text("notification_preference"),
            claimed=read.flag("claimed"),  # `claimed?` in the create body; `raw` reads both spellings
            gender=read.text("gender"),
            date_of_birth=read.day("date_of_birth"),
            years_of_experience=read.integer("years_of_experience"),
            tax_home_city=read.text("tax_home_city"),
            tax_home_province=read.text("tax_home_province"),
            tax_home_postal_code=read.text("tax_home_postal_code"),
            profession_id=read.ref_id("profession"),
            primary_specialty_id=read.ref_id("primary_specialty"),
            profession=read.nested("profession", Profession.from_payload),
            primary_specialty=read.nested("primary_specialty", Specialty.from_payload),
            login=read.nested("user", User.from_payload),
            opportunity_preferences=read.nested_all("opportunity_preferences", OpportunityPreference.from_payload),
            inserted_at=read.moment("inserted_at"),
            updated_at=read.moment("updated_at"),
            warnings=tuple(read.warnings),
        )


@dataclass(frozen=True, slots=True)
class TalentInvite:
    """The invite that created a relationship (relationship event, `talent_invite`); its statuses are undocumented."""

    id: str
    status: str | None = None
    invite_sent_at: datetime | None = None
    invite_accepted_at: datetime | None = None
    invite_rejected_at: datetime | None = None
    inserted_at: datetime | None = None
    updated_at: datetime | None = None
    warnings: tuple[str, ...] = ()

    @classmethod
    def from_payload(cls, payload: Mapping[str, Any], included: Included | None = None) -> TalentInvite:
        read = RecordReader(payload, "talent_invite", included)
        return cls(
            id=read.record_id(),
            status=read.text("status"),
            invite_sent_at=read.moment("invite_sent_at"),
            invite_accepted_at=read.moment("invite_accepted_at"),
            invite_rejected_at=read.moment("invite_rejected_at"),
            inserted_at=read.moment("inserted_at"),
            updated_at=read.moment("updated_at"),
            warnings=tuple(read.warnings),
        )


@dataclass(frozen=True, slots=True)
class Relationship:
    """An account's relationship with a talent profile: status, do-not-hire flag and primary contact.

    The REST shape carries ids (`profile_id`, `primary_contact_id`, `do_not_hire_user_id`); the event nests the
    records (`profile`, `primary_contact`, `do_not_hire_user`), or only their ids in `changes`. Both fill the ids.
    """

    id: str
    profile_id: str | None = None
    primary_contact_id: str | None = None
    do_not_hire: bool | None = None
    do_not_hire_user_id: str | None = None
    source: str | None = None
    status: RelationshipStatus | None = None
    sub_status: str | None = None
    status_reason: str | None = None
    status_changed_at: datetime | None = None
    inserted_at: datetime | None = None
    updated_at: datetime | None = None
    profile: TalentProfile | None = None
    primary_contact: User | None = None
    do_not_hire_user: User | None = None
    talent_invite: TalentInvite | None = None
    warnings: tuple[str, ...] = ()

    @classmethod
    def from_payload(cls, payload: Mapping[str, Any], included: Included | None = None) -> Relationship:
        read = RecordReader(payload, "relationship", included)
        return cls(
            id=read.record_id(),
            profile_id=read.ref_id("profile"),
            primary_contact_id=read.ref_id("primary_contact"),
            do_not_hire=read.flag("do_not_hire"),
            do_not_hire_user_id=read.ref_id("do_not_hire_user"),
            source=read.text("source"),
            status=read.enum(RelationshipStatus, "status"),
            sub_status=read.text("sub_status"),
            status_reason=read.text("status_reason"),
            status_changed_at=read.moment("status_changed_at"),
            inserted_at=read.moment("inserted_at"),
            updated_at=read.moment("updated_at"),
            profile=read.nested("profile", TalentProfile.from_payload),
            primary_contact=read.nested("primary_contact", User.from_payload),
            do_not_hire_user=read.nested("do_not_hire_user", User.from_payload),
            talent_invite=read.nested("talent_invite", TalentInvite.from_payload),
            warnings=tuple(read.warnings),
        )
