"""What Kamana would refuse in a local record, found before a form saves it (issue #5: forms "validated as above").

Each check builds the same body the outbox will send (`mapping`, then the `schemas` body builder) and turns a
`PayloadInvalid` into messages keyed by the local model's field names, which the form shows next to its fields.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from vendors.kamana import mapping, schemas
from vendors.kamana.schemas.validation import PayloadInvalid

__all__ = ["CHECKS"]

# Wire names that differ from the local model's field names.
_LOCAL_NAMES = {
    "facility_id": "facility",
    "profession_id": "profession",
    "specialty_id": "specialty",
    "client_contract_id": "client_contract_ref",
    "contract_length": "contract_length_weeks",
    "shift_start_time": "shift_start_hour",
    "shift_end_time": "shift_end_hour",
    "type": "vendor_type",
    "phone_number_extension": "phone_extension",
    "province_id": "province",
}
# Create a Profile names the person's phone `phone_number`; the talent profile calls it `phone`.
_PROFILE_NAMES = {"phone_number": "phone", "primary_specialty_id": "specialty", "profession_id": "profession"}
_NOT_IN_KAMANA = "Not known to Kamana yet (it has no Kamana id): choose one synced from Kamana."


def _problems(build: Callable[[], Any], local_names: dict[str, str] | None = None) -> dict[str, list[str]]:
    try:
        build()
    except PayloadInvalid as invalid:
        names = local_names or {}
        return {names.get(name, name): list(messages) for name, messages in invalid.errors.items()}
    return {}


def _unknown_references(requisition: Any) -> dict[str, list[str]]:
    """A facility, profession or specialty made only locally has no Kamana id: say so rather than "Required"."""
    return {
        name: [_NOT_IN_KAMANA]
        for name in ("facility", "profession", "specialty")
        if getattr(requisition, name, None) is not None and not getattr(requisition, name).external_id
    }


def _requisition(create: bool) -> Callable[[Any], dict[str, list[str]]]:
    def check(requisition: Any) -> dict[str, list[str]]:
        values = mapping.job_requisition_values(requisition)
        problems = _problems(lambda: schemas.job_requisition_body(values, create=create), _LOCAL_NAMES)
        return {**problems, **_unknown_references(requisition)}

    return check


def check_relationship_status(relationship: Any) -> dict[str, list[str]]:
    values = mapping.relationship_status_values(relationship)
    return _problems(lambda: schemas.relationship_update_body(values))


def check_engagement(engagement: Any) -> dict[str, list[str]]:
    values = mapping.engagement_values(engagement)
    held = mapping.held_client_contract(engagement)
    return _problems(lambda: schemas.engagement_update_body(values, current_client_contract_id=held))


def check_extension(extension: Any) -> dict[str, list[str]]:
    values = mapping.extension_values(extension)
    return _problems(lambda: schemas.engagement_extension_body(values))


def _account_id(record: Any) -> str:
    connection = getattr(record, "connection", None)
    return str(((connection.credentials or {}) if connection is not None else {}).get("account_id", ""))


def check_client(client: Any) -> dict[str, list[str]]:
    """Create Client needs the connection's account id; without one the whole record is refused, said on top."""
    problems = _problems(lambda: schemas.client_body(mapping.client_values(client, _account_id(client))), _LOCAL_NAMES)
    if "account_id" in problems:
        problems["__all__"] = ["The connection has no Kamana account id (Integrations, connection settings)."]
        del problems["account_id"]
    return problems


def _contact(create: bool) -> Callable[[Any], dict[str, list[str]]]:
    def check(contact: Any) -> dict[str, list[str]]:
        values = mapping.client_contact_values(contact)
        return _problems(lambda: schemas.client_contact_body(values, create=create), _LOCAL_NAMES)

    return check


def _facility(create: bool) -> Callable[[Any], dict[str, list[str]]]:
    def check(facility: Any) -> dict[str, list[str]]:
        values = mapping.facility_values(facility, create=create)
        problems = _problems(lambda: schemas.facility_body(values, create=create), _LOCAL_NAMES)
        if facility.province is not None and values["province_id"] is None:
            problems["province"] = [_NOT_IN_KAMANA]
        return problems

    return check


def check_facility_delete(facility: Any) -> dict[str, list[str]]:
    """Kamana deletes only a facility made in "custom mode" (`static_id` null)."""
    return _problems(lambda: schemas.facility_delete_check(facility.static_id or None))


def check_profile(profile: Any) -> dict[str, list[str]]:
    """Create a Profile (and its relationship): a name and an email (README, decisions: the doc has no schema)."""
    connection = getattr(profile, "connection", None)  # set by the form on the unsaved profile it checks
    values = mapping.profile_values(profile, connection.pk if connection is not None else None)
    return _problems(lambda: schemas.profile_body(values), _PROFILE_NAMES)


CHECKS: dict[str, Callable[[Any], dict[str, list[str]]]] = {
    "create_client": check_client,
    "create_client_contact": _contact(create=True),
    "update_client_contact": _contact(create=False),
    "create_facility": _facility(create=True),
    "update_facility": _facility(create=False),
    "delete_facility": check_facility_delete,
    "add_talent": check_profile,
    "create_job_requisition": _requisition(create=True),
    "update_job_requisition": _requisition(create=False),
    "update_relationship_status": check_relationship_status,
    "update_engagement": check_engagement,
    "create_engagement_extension": check_extension,
}
