"""Kamana records <-> portal domain fields, one function per resource (allauth `extract_common_fields`).

Incoming: a typed record (`schemas`) plus the local primary keys its Kamana ids resolve to (`Links`, filled a page
at a time by `resources`, or for one event by `handlers`) -> a `MappedRecord` for the generic diff. Mapping is a
pure function: no queries here. Outgoing: a domain row -> the values `schemas` bodies check before sending.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from portal.core.pay import PAY_AMOUNTS
from portal.integrations.provider import MappedRecord
from vendors.base.reading import unreadable_fields
from vendors.kamana import schemas

__all__ = [
    "Links",
    "client_contact_record",
    "client_record",
    "engagement_record",
    "engagement_values",
    "extension_record",
    "extension_values",
    "facility_record",
    "job_requisition_record",
    "job_requisition_values",
    "opportunity_preference_record",
    "profession_record",
    "province_record",
    "relationship_record",
    "relationship_status_values",
    "requirement_record",
    "specialty_record",
    "talent_profile_fields",
]

DEFAULT_TIME_ZONE = "America/New_York"  # jobs.models.DEFAULT_TIME_ZONE; Kamana omits a zone on create


@dataclass
class Links:
    """Kamana id -> local pk, per kind, for the records of one page or one event."""

    provinces: dict[str, int] = field(default_factory=dict)
    professions: dict[str, int] = field(default_factory=dict)
    specialties: dict[str, int] = field(default_factory=dict)
    facilities: dict[str, int] = field(default_factory=dict)
    clients: dict[str, int] = field(default_factory=dict)
    talents: dict[str, int] = field(default_factory=dict)  # Kamana profile id -> TalentProfile pk
    requisitions: dict[str, int] = field(default_factory=dict)
    engagements: dict[str, int] = field(default_factory=dict)
    client_id: int | None = None  # the client whose contacts a page lists
    talent_reference_id: int | None = None  # the Kamana talent (TalentReference pk) whose preferences these are
    account_ref: str = ""


def _text(value: str | None) -> str:
    return value or ""


def _mapped(
    record: Any, raw: Mapping[str, Any], fields: dict[str, Any], kind: str, renamed: Mapping[str, str] | None = None
) -> MappedRecord:
    """`kind` is the record's reader kind (`schemas`), which prefixes its warnings; `renamed` maps a Kamana key to
    the field it fills where the names differ, so an unreadable value is kept out of that field's update."""
    return MappedRecord(
        # Client contacts carry no `updated_at` at all.
        external_id=record.id,
        fields=fields,
        vendor_updated_at=getattr(record, "updated_at", None),
        vendor_data=dict(raw),
        problems=unreadable_fields(record.warnings, fields, prefix=f"{kind}.", renamed=renamed),
    )


def province_record(province: schemas.Province, raw: Mapping[str, Any], links: Links) -> MappedRecord:
    return _mapped(
        province,
        raw,
        {
            "name": _text(province.name),
            "abbreviation": _text(province.abbreviation),
            "country": province.country or "US",
        },
        "province",
    )


def profession_record(profession: schemas.Profession, raw: Mapping[str, Any], links: Links) -> MappedRecord:
    return _mapped(profession, raw, {"name": _text(profession.name)}, "profession")


def specialty_record(specialty: schemas.Specialty, raw: Mapping[str, Any], links: Links) -> MappedRecord:
    return _mapped(specialty, raw, {"name": _text(specialty.name)}, "specialty")


def opportunity_preference_record(
    preference: schemas.OpportunityPreference, raw: Mapping[str, Any], links: Links
) -> MappedRecord:
    """`talent.OpportunityPreference`, under the talent's Kamana reference (`links.talent_reference_id`)."""
    if links.talent_reference_id is None:
        raise ValueError(f"opportunity preference {preference.id}: its talent is not in the portal")
    limits = {"desired_contract_length": 32767, "hours_per_week": 32767, "minimum_weekly_gross_pay": 10**8 - 1}
    for name, high in limits.items():  # what the columns hold: a wild value fails this record, not the page
        value = getattr(preference, name)
        if value is not None and not 0 <= value <= high:
            raise ValueError(f"opportunity preference {preference.id}: {name} {value} is out of range")
    return _mapped(
        preference,
        raw,
        {
            "reference_id": links.talent_reference_id,
            "name": _text(preference.name)[:255],
            "available_on": preference.available_on,
            "desired_contract_length": preference.desired_contract_length,
            "hours_per_week": preference.hours_per_week,
            "minimum_weekly_gross_pay": preference.minimum_weekly_gross_pay,
            "shift_days": preference.shift_days,
            "shift_mids": preference.shift_mids,
            "shift_nights": preference.shift_nights,
        },
        "opportunity_preference",
    )


def client_record(client: schemas.Client, raw: Mapping[str, Any], links: Links) -> MappedRecord:
    fields = {"name": _text(client.name), "vendor_type": _text(client.type and str(client.type))}
    return _mapped(client, raw, fields, "client", renamed={"type": "vendor_type"})


def client_contact_record(contact: schemas.ClientContact, raw: Mapping[str, Any], links: Links) -> MappedRecord:
    """Contacts carry no `updated_at`: the fingerprint alone decides whether one changed."""
    if links.client_id is None:
        raise ValueError(f"client contact {contact.id}: its client is not in the portal")
    return _mapped(
        contact,
        raw,
        {
            "client_id": links.client_id,
            "first_name": _text(contact.first_name),
            "last_name": _text(contact.last_name),
            "email": _text(contact.email),
            "phone_number": _text(contact.phone_number),
            "phone_extension": _text(contact.phone_number_extension),
            "mobile_number": _text(contact.mobile_number),
            "notes": _text(contact.notes),
        },
        "client_contact",
        renamed={"phone_number_extension": "phone_extension"},
    )


def facility_record(facility: schemas.Facility, raw: Mapping[str, Any], links: Links) -> MappedRecord:
    return _mapped(
        facility,
        raw,
        {
            "name": _text(facility.name),
            "street": _text(facility.street),
            "city": _text(facility.city),
            "postal_code": _text(facility.postal_code),
            "time_zone": facility.time_zone or DEFAULT_TIME_ZONE,
            "province_id": links.provinces.get(facility.province_id or ""),
            "static_id": _text(facility.static_id),
        },
        "facility",
    )


def _money(value: Decimal | None) -> Decimal | None:
    return None if value is None else value.quantize(Decimal("0.01"))


def _pay_package_read(record: schemas.JobRequisition | schemas.Engagement) -> dict[str, Any]:
    """The pay package of a requisition or engagement: Kamana's names are the portal's on both."""
    return {name: _money(getattr(record, name)) for name in PAY_AMOUNTS} | {
        "compensation_comments": _text(record.compensation_comments)
    }


def _pay_package_values(row: Any) -> dict[str, Any]:
    """The pay package the portal sends back on a requisition or engagement update."""
    return {name: getattr(row, name) for name in PAY_AMOUNTS} | {
        "compensation_comments": row.compensation_comments or None
    }


# Kamana keys whose requisition field has another name (an unreadable one keeps that field's value).
_REQUISITION_KEYS = {
    "contract_length": "contract_length_weeks",
    "shift_start_time": "shift_start_hour",
    "shift_end_time": "shift_end_hour",
}


def job_requisition_record(requisition: schemas.JobRequisition, raw: Mapping[str, Any], links: Links) -> MappedRecord:
    """`contract_length` goes to `contract_length_weeks` as sent: the doc calls it months in one place and gives
    it a 1-26 enum (usual week counts) in another (README, quirks); we do not convert a number we cannot place."""
    r = requisition
    return _mapped(
        r,
        raw,
        {
            "name": _text(r.name),
            "reference_number": _text(r.reference_number),
            "status": str(r.status) if r.status else "open",
            "job_type": str(r.job_type) if r.job_type else "",
            "facility_id": links.facilities.get(r.facility_id or ""),
            "profession_id": links.professions.get(r.profession_id or ""),
            "specialty_id": links.specialties.get(r.specialty_id or ""),
            "client_contract_ref": _text(r.client_contract_id),
            "description": _text(r.description),
            "number_of_openings": r.number_of_openings if r.number_of_openings is not None else 1,
            "years_of_experience": r.years_of_experience,
            "starts_on": r.starts_on,
            "asap": bool(r.asap),
            "contract_length_weeks": r.contract_length,
            "hours_per_week": r.hours_per_week,
            "shift_start_hour": r.shift_start_time,
            "shift_end_hour": r.shift_end_time,
            "shift_description": _text(r.shift_description),
            "compact_license": bool(r.compact_license),
            "has_pay_package": bool(r.has_pay_package),
            **_pay_package_read(r),
            "origin": _text(r.origin),
            "origin_reference_number": _text(r.origin_reference_number),
            "source_reference_number": _text(r.source_reference_number),
        },
        "job_requisition",
        renamed=_REQUISITION_KEYS,
    )


def talent_profile_fields(profile: schemas.TalentProfile) -> dict[str, Any]:
    """Keyword arguments for `portal.talent.services.match_or_create_profile` (without connection and time).

    The displayed `email` is the person's; the login (`user.email`) stands in when a profile shows none.
    """
    email = profile.email or (profile.login.email if profile.login else None)
    fields = {
        "email": _text(email),
        "first_name": _text(profile.first_name),
        "last_name": _text(profile.last_name),
        "phone": _text(profile.phone_number),
    }
    renamed = {"phone_number": "phone"}
    problems = unreadable_fields(profile.warnings, fields, prefix="profile.", renamed=renamed)
    if email:  # the login's address stood in for an unreadable one
        problems.pop("email", None)
    return {**fields, "external_id": profile.id, "problems": problems}


def relationship_record(relationship: schemas.Relationship, raw: Mapping[str, Any], links: Links) -> MappedRecord:
    r = relationship
    profile_pk = links.talents.get(r.profile_id or "")
    if profile_pk is None:
        raise ValueError(f"relationship {r.id}: its talent profile {r.profile_id} is not in the portal")
    return _mapped(
        r,
        raw,
        {
            "profile_id": profile_pk,
            "account_ref": links.account_ref,
            "status": str(r.status) if r.status else "interested",
            "sub_status": _text(r.sub_status),
            "status_reason": _text(r.status_reason),
            "status_changed_at": r.status_changed_at,
            "primary_contact_ref": _text(r.primary_contact_id),
            "primary_contact_email": _text(r.primary_contact.email if r.primary_contact else None),
            "do_not_hire": bool(r.do_not_hire),
            "do_not_hire_user_ref": _text(r.do_not_hire_user_id),
            "source": _text(r.source),
        },
        "relationship",
    )


def engagement_record(engagement: schemas.Engagement, raw: Mapping[str, Any], links: Links) -> MappedRecord:
    """Engagements arrive one per event, so a link the portal cannot resolve is left out rather than cleared:
    a talent or requisition set locally stays until Kamana names one the portal knows."""
    e = engagement
    profile_id = e.profile_id or (e.relationship.profile_id if e.relationship else None)
    resolved = {
        "talent_id": links.talents.get(profile_id or ""),
        "job_requisition_id": links.requisitions.get(e.job_requisition_id or ""),
        "facility_id": links.facilities.get(e.facility_id or ""),
    }
    return _mapped(
        e,
        raw,
        {
            **{name: pk for name, pk in resolved.items() if pk is not None},
            "status": str(e.status) if e.status else "pending",
            "sub_status": str(e.sub_status) if e.sub_status else "",
            "status_reason": _text(e.status_reason),
            "starts_on": e.starts_on,
            "ends_on": e.ends_on,
            "contract_length": e.contract_length,
            "hours_per_week": e.hours_per_week,
            "shift_start_time": e.shift_start_time,
            "shift_end_time": e.shift_end_time,
            **_pay_package_read(e),
            "client_contract_id": _text(e.client_contract_id),
        },
        "engagement",
    )


def _engagement_pk(record: Any, links: Links) -> int:
    pk = links.engagements.get(record.engagement_id or "")
    if pk is None:
        raise ValueError(f"{type(record).__name__} {record.id}: engagement {record.engagement_id} is not in the portal")
    return pk


def extension_record(extension: schemas.EngagementExtension, raw: Mapping[str, Any], links: Links) -> MappedRecord:
    if extension.starts_on is None or extension.ends_on is None:
        raise ValueError(f"engagement extension {extension.id} without both dates")
    return _mapped(
        extension,
        raw,
        {
            "engagement_id": _engagement_pk(extension, links),
            "starts_on": extension.starts_on,
            "ends_on": extension.ends_on,
        },
        "engagement_extension",
    )


def requirement_record(
    requirement: schemas.EngagementRequirement, raw: Mapping[str, Any], links: Links
) -> MappedRecord:
    """`expires_on` is a day in `expires_on_time_zone`; the portal keeps the instant that day ends."""
    from portal.contracts.models import CredentialingRequirement

    r = requirement
    zone = r.expires_on_time_zone or DEFAULT_TIME_ZONE
    return _mapped(
        r,
        raw,
        {
            "engagement_id": _engagement_pk(r, links),
            "name": _text(r.name) or "Requirement",
            "kind": str(r.requirement_type) if r.requirement_type else "generic",
            "status": str(r.status) if r.status else "needed",
            "due_on": r.due_date,
            "expires_at": CredentialingRequirement.expiry_instant(r.expires_on, zone) if r.expires_on else None,
            "expires_on_time_zone": zone,
            "verified_at": r.verified_at,
            "dismissed_at": r.dismissed_at,
            "comments": _text(r.comments),
        },
        "engagement_requirement",
        renamed={"due_date": "due_on", "expires_on": "expires_at"},
    )


# -- outgoing ------------------------------------------------------------------------------------------------
def _ref(obj: Any) -> str | None:
    return (obj.external_id or None) if obj is not None else None


def job_requisition_values(requisition: Any) -> dict[str, Any]:
    """A `jobs.JobRequisition` as Create/Update Job Requisition values (checked by `job_requisition_body`)."""
    r = requisition
    return {
        "name": r.name,
        "facility_id": _ref(r.facility),
        "profession_id": _ref(r.profession),
        "specialty_id": _ref(r.specialty),
        "client_contract_id": r.client_contract_ref or None,
        "job_type": r.job_type or None,
        "number_of_openings": r.number_of_openings,
        "years_of_experience": r.years_of_experience,
        "status": r.status,
        "description": r.description or None,
        "origin": r.origin or None,
        "origin_reference_number": r.origin_reference_number or None,
        "source_reference_number": r.source_reference_number or None,
        "contract_length": r.contract_length_weeks,
        "hours_per_week": r.hours_per_week,  # the Decimal as stored: the check refuses 36.5 instead of sending 36
        "starts_on": r.starts_on,
        "asap": r.asap,
        "shift_start_time": r.shift_start_hour,
        "shift_end_time": r.shift_end_hour,
        "shift_description": r.shift_description or None,
        **_pay_package_values(r),
    }


def relationship_status_values(relationship: Any) -> dict[str, Any]:
    """Update Relationship: the status moves only with its sub-status and reason (doc, required together)."""
    return {
        "status": relationship.status,
        "sub_status": relationship.sub_status,
        "status_reason": relationship.status_reason,
    }


def engagement_values(engagement: Any) -> dict[str, Any]:
    """Update Engagement: the pay package, dates, shift hours and client contract the portal edits."""
    e = engagement
    return {
        "starts_on": e.starts_on,
        "ends_on": e.ends_on,
        "contract_length": e.contract_length,
        "hours_per_week": e.hours_per_week,
        "shift_start_time": e.shift_start_time,
        "shift_end_time": e.shift_end_time,
        **_pay_package_values(e),
        "client_contract_id": e.client_contract_id or None,
    }


def held_client_contract(engagement: Any) -> str | None:
    """The client contract Kamana holds, from the payload last seen (REST attributes or a webhook object)."""
    data = engagement.vendor_data or {}
    attributes = data.get("attributes") if isinstance(data.get("attributes"), dict) else data
    return attributes.get("client_contract_id") or None


def extension_values(extension: Any) -> dict[str, Any]:
    return {"starts_on": extension.starts_on, "ends_on": extension.ends_on}


def client_values(client: Any, account_id: str) -> dict[str, Any]:
    """Create Client: the account it belongs to (the connection's), its name and Kamana `type`."""
    return {"account_id": account_id or None, "name": client.name, "type": client.vendor_type or None}


def client_contact_values(contact: Any) -> dict[str, Any]:
    """Create/Update ClientContact. Update is a PATCH of every field the portal holds, so it is absolute too."""
    c = contact
    return {
        "first_name": c.first_name,
        "last_name": c.last_name,
        "email": c.email,
        "phone_number": c.phone_number,
        "phone_number_extension": c.phone_extension or None,
        "mobile_number": c.mobile_number or None,
        "notes": c.notes or None,
    }


def facility_values(facility: Any, *, create: bool) -> dict[str, Any]:
    """Create (no `time_zone`: its schema has none) or Update a Facility; the province by its Kamana id."""
    values = {
        "name": facility.name,
        "street": facility.street,
        "city": facility.city,
        "postal_code": facility.postal_code,
        "province_id": _ref_on(facility.province, facility.connection_id),
    }
    return values if create else {**values, "time_zone": facility.time_zone}


def _ref_on(obj: Any, connection_id: int) -> str | None:
    """A related record's id at this connection only: another vendor's profession id means nothing to Kamana."""
    return _ref(obj) if obj is not None and obj.connection_id == connection_id else None


def profile_values(profile: Any, connection_id: int) -> dict[str, Any]:
    """Create a Profile for a person Kamana does not know: unclaimed (the person has not signed up), their name,
    email and phone, and the profession and specialty when this connection's."""
    return {
        "claimed?": False,
        "email": profile.email,
        "first_name": profile.first_name,
        "last_name": profile.last_name,
        "phone_number": profile.phone or None,
        "profession_id": _ref_on(profile.profession, connection_id),
        "primary_specialty_id": _ref_on(profile.specialty, connection_id),
        "years_of_experience": profile.years_experience,
    }


def added_relationship_fields(relationship: schemas.Relationship, account_id: str) -> dict[str, Any]:
    """Create Relationship's answer as the local relationship's fields: its id and its initial status."""
    r = relationship
    return {
        "relationship_ref": r.id,
        "account_ref": account_id,
        "status": str(r.status) if r.status else "interested",
        "sub_status": _text(r.sub_status),
        "status_reason": _text(r.status_reason),
        "status_changed_at": r.status_changed_at or r.inserted_at,
        "primary_contact_ref": _text(r.primary_contact_id),
        "source": _text(r.source),
        "vendor_updated_at": r.updated_at,
    }
