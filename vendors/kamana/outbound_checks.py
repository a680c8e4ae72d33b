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
}
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


CHECKS: dict[str, Callable[[Any], dict[str, list[str]]]] = {
    "create_job_requisition": _requisition(create=True),
    "update_job_requisition": _requisition(create=False),
    "update_relationship_status": check_relationship_status,
    "update_engagement": check_engagement,
    "create_engagement_extension": check_extension,
}
