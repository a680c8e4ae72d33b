"""Every body and list query the portal sends to Kamana, checked against the doc before it leaves.

Each function takes the values by their wire names (a form's cleaned data, an outbox row's JSON) and returns
the flat JSON object the doc's examples send (Kamana takes plain objects, not JSON:API `data` envelopes),
or raises `PayloadInvalid` with every problem at once.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from vendors.kamana.schemas.enums import (
    CONTRACT_LENGTHS,
    HOURS_PER_WEEK,
    SHIFT_HOURS,
    YEARS_OF_EXPERIENCE,
    ClientType,
    JobRequisitionStatus,
    JobType,
    RelationshipStatus,
)
from vendors.kamana.schemas.validation import (
    CheckedBody,
    Field,
    PayloadInvalid,
    check_fields,
    choice,
    day,
    email,
    flag,
    money,
    one_of,
    text,
    time_zone,
    whole,
)

__all__ = [
    "client_body",
    "client_contact_body",
    "engagement_extension_body",
    "engagement_update_body",
    "facility_body",
    "facility_delete_check",
    "include_query",
    "job_requisition_body",
    "job_requisitions_query",
    "page_query",
    "profile_body",
    "relationship_create_body",
    "relationship_update_body",
]

_CLIENT: dict[str, Field] = {
    "account_id": text(),
    "name": text(),
    "type": choice(ClientType),
    "facility_id": text(),
    "integrated_delivery_network_id": text(),
    "managed_service_provider_id": text(),
}

_CLIENT_CONTACT: dict[str, Field] = {
    "first_name": text(),
    "last_name": text(),
    "email": email(),
    "phone_number": text(),
    "phone_number_extension": text(),
    "mobile_number": text(),
    "notes": text(),
}

_RELATIONSHIP_CREATE: dict[str, Field] = {
    "talent_profile_id": text(),
    "talent_profile_email": email(),
    "primary_contact_user_id": text(),
    "primary_contact_email": email(),
}

_RELATIONSHIP_UPDATE: dict[str, Field] = {
    "status": choice(RelationshipStatus),
    "sub_status": text(),
    "status_reason": text(),
    "do_not_hire?": flag(),
    "do_not_hire_user_id": text(),
    "primary_contact_user_id": text(),
    "primary_contact_email": email(),
}

_ENGAGEMENT: dict[str, Field] = {
    "client_contract_id": text(),
    "compensation_comments": text(),
    "contract_length": one_of(CONTRACT_LENGTHS, "Contract length"),
    "starts_on": day(),
    "ends_on": day(),
    "hours_per_week": one_of(HOURS_PER_WEEK, "Hours per week"),
    "shift_start_time": one_of(SHIFT_HOURS, "Shift start hour"),
    "shift_end_time": one_of(SHIFT_HOURS, "Shift end hour"),
    # The engagement schema types the rate as a number and the other amounts as strings.
    "regular_hourly_rate": money(as_string=False),
    "travel_reimbursement": money(as_string=True),
    "weekly_gross_pay": money(as_string=True),
    "weekly_housing_stipend": money(as_string=True),
    "weekly_per_diem": money(as_string=True),
}

_EXTENSION: dict[str, Field] = {"starts_on": day(), "ends_on": day()}

_FACILITY: dict[str, Field] = {
    "name": text(),
    "street": text(),
    "city": text(),
    "postal_code": text(),
    "province_id": text(),
    "time_zone": time_zone(),
}

_JOB_REQUISITION: dict[str, Field] = {
    "name": text(),
    "creator_id": text(),
    "profession_id": text(),
    "specialty_id": text(),
    "facility_id": text(),
    "client_contract_id": text(),
    "job_type": choice(JobType),
    # Not bounded by the doc; a requisition for no one is a mistake (README, decisions).
    "number_of_openings": whole(minimum=1),
    "years_of_experience": one_of(YEARS_OF_EXPERIENCE, "Years of experience"),
    "origin": text(),
    "origin_reference_number": text(),
    "source_reference_number": text(),
    "status": choice(JobRequisitionStatus),
    "description": text(),
    "source": text(),
    "contract_length": one_of(CONTRACT_LENGTHS, "Contract length"),
    "hours_per_week": one_of(HOURS_PER_WEEK, "Hours per week"),
    "starts_on": day(),
    "asap": flag(),
    "shift_start_time": one_of(SHIFT_HOURS, "Shift start hour"),
    "shift_end_time": one_of(SHIFT_HOURS, "Shift end hour"),
    "shift_description": text(),
    "weekly_gross_pay": money(as_string=False),
    "regular_hourly_rate": money(as_string=False),
    "weekly_housing_stipend": money(as_string=False),
    "weekly_per_diem": money(as_string=False),
    "travel_reimbursement": money(as_string=False),
    "compensation_comments": text(),
}
_JOB_REQUISITION_CREATE_REQUIRED = (
    "name",
    "profession_id",
    "specialty_id",
    "facility_id",
    "job_type",
    "number_of_openings",
    "years_of_experience",
)
# The update schema still requires these three, even on PUT of one field (doc, Update a Job Requisitions).
_JOB_REQUISITION_UPDATE_REQUIRED = ("job_type", "number_of_openings", "years_of_experience")

_JOB_REQUISITION_FILTERS: dict[str, Field] = {
    "profession_id": text(),
    "specialty_id": text(),
    "province_id": text(),
    "facility_id": text(),
    "status": choice(JobRequisitionStatus),
    "search": text(),
    "after": text(),
}

_OPPORTUNITY_PREFERENCE: dict[str, Field] = {
    "name": text(),
    "available_on": day(),
    "desired_contract_length": one_of(CONTRACT_LENGTHS, "Desired contract length"),
    "hours_per_week": one_of(HOURS_PER_WEEK, "Hours per week"),
    "minimum_weekly_gross_pay": money(as_string=True),
    "shift_days": flag(),
    "shift_mids": flag(),
    "shift_nights": flag(),
}

_PROFILE: dict[str, Field] = {
    "claimed?": flag(),
    "email": email(),
    "first_name": text(),
    "last_name": text(),
    "gender": text(),
    "no_middle_name": flag(),
    "notification_preference": text(),
    "percent_complete": whole(minimum=0, maximum=100),
    "phone_number": text(),
    "primary_contact_email": email(),
    "primary_specialty_id": text(),
    "profession_id": text(),
    "source": text(),
    "user_id": text(),
    "years_of_experience": whole(minimum=0),
}


def client_body(values: Mapping[str, Any]) -> dict[str, Any]:
    """Create Client: `account_id`, `name` and `type` are required."""
    return check_fields(values, _CLIENT, required=("account_id", "name", "type")).result()


def client_contact_body(values: Mapping[str, Any], *, create: bool) -> dict[str, Any]:
    """Create (first/last name, email, phone required) or update (any subset, at least one) a client contact."""
    required = ("first_name", "last_name", "email", "phone_number") if create else ()
    checked = check_fields(values, _CLIENT_CONTACT, required=required)
    _require_something(checked)
    return checked.result()


def relationship_create_body(values: Mapping[str, Any]) -> dict[str, Any]:
    """Create a relationship: exactly one of each pair, since two could name different people."""
    checked = check_fields(values, _RELATIONSHIP_CREATE)
    _exactly_one(checked, "talent_profile_id", "talent_profile_email", "the talent profile")
    _exactly_one(checked, "primary_contact_user_id", "primary_contact_email", "the primary contact")
    return checked.result()


def relationship_update_body(values: Mapping[str, Any]) -> dict[str, Any]:
    """Update a relationship: a status moves with its sub-status and reason; do-not-hire names who decided."""
    checked = check_fields(values, _RELATIONSHIP_UPDATE, aliases={"do_not_hire": "do_not_hire?"})
    body = checked.body
    if "status" in body or "status" in checked.errors:
        for name in ("sub_status", "status_reason"):
            if name not in body and name not in checked.errors:
                checked.refuse(name, "Required when the status changes.")
    if ("do_not_hire?" in body or "do_not_hire?" in checked.errors) and "do_not_hire_user_id" not in body:
        checked.refuse("do_not_hire_user_id", "Required when do-not-hire is set.")
    if "primary_contact_user_id" in body and "primary_contact_email" in body:
        checked.refuse("primary_contact_email", "Give the primary contact's user id or email, not both.")
    _require_something(checked)
    return checked.result()


def engagement_update_body(values: Mapping[str, Any], *, current_client_contract_id: str | None) -> dict[str, Any]:
    """Update an engagement (PUT). `client_contract_id` is settable only while Kamana has none (doc NOTE).

    Sending the value Kamana already holds is dropped rather than refused: a form re-submits every field.
    """
    checked = check_fields(values, _ENGAGEMENT)
    contract = checked.body.get("client_contract_id")
    if contract is not None and current_client_contract_id:
        if contract == current_client_contract_id:
            del checked.body["client_contract_id"]
        else:
            checked.refuse("client_contract_id", "Kamana keeps the first client contract; it cannot be changed.")
    _dates_in_order(checked)
    _require_something(checked)
    return checked.result()


def engagement_extension_body(values: Mapping[str, Any]) -> dict[str, Any]:
    """Create an engagement extension: both dates required, the end not before the start."""
    checked = check_fields(values, _EXTENSION, required=("starts_on", "ends_on"))
    _dates_in_order(checked)
    return checked.result()


def facility_body(values: Mapping[str, Any], *, create: bool) -> dict[str, Any]:
    """Create (name, street, city, postal code and province required; no `time_zone`) or update a facility."""
    fields = _FACILITY if not create else {name: f for name, f in _FACILITY.items() if name != "time_zone"}
    required = ("name", "street", "city", "postal_code", "province_id") if create else ()
    checked = check_fields(values, fields, required=required)
    _require_something(checked)
    return checked.result()


def facility_delete_check(static_id: str | None) -> None:
    """Refuse to delete a linked facility: "only a facility with "static_id": null can be deleted"."""
    if static_id:
        raise PayloadInvalid({"static_id": ["A linked facility (one with a static id) cannot be deleted."]})


def job_requisition_body(values: Mapping[str, Any], *, create: bool) -> dict[str, Any]:
    """Create (POST) or update (PUT) a job requisition, with every documented enum and required field."""
    required = _JOB_REQUISITION_CREATE_REQUIRED if create else _JOB_REQUISITION_UPDATE_REQUIRED
    return check_fields(values, _JOB_REQUISITION, required=required).result()


def profile_body(values: Mapping[str, Any]) -> dict[str, Any]:
    """Create a talent profile. The doc gives no schema; a profile is required to have a name and email (README)."""
    preferences = values.get("opportunity_preferences")
    checked = check_fields(
        {name: value for name, value in values.items() if name != "opportunity_preferences"},
        _PROFILE,
        required=("first_name", "last_name", "email"),
        aliases={"claimed": "claimed?"},
    )
    if preferences is not None:
        if not isinstance(preferences, list):
            checked.refuse("opportunity_preferences", "Must be a list.")
        else:
            checked.body["opportunity_preferences"] = [
                _preference(checked, position, item) for position, item in enumerate(preferences)
            ]
    return checked.result()


def _preference(checked: CheckedBody, position: int, item: Any) -> dict[str, Any]:
    prefix = f"opportunity_preferences[{position}]"
    if not isinstance(item, Mapping):
        checked.refuse(prefix, "Must be an object.")
        return {}
    inner = check_fields(item, _OPPORTUNITY_PREFERENCE)
    for name, messages in inner.errors.items():
        for message in messages:
            checked.refuse(f"{prefix}.{name}", message)
    return inner.body


def job_requisitions_query(values: Mapping[str, Any]) -> dict[str, str]:
    """List All Job Requisitions: the filters, `search`, the cursor `after` and `include`."""
    checked = check_fields({k: v for k, v in values.items() if k != "include"}, _JOB_REQUISITION_FILTERS)
    query = checked.result()
    if values.get("include"):
        query.update(include_query(values["include"]))
    return query


def page_query(number: int = 1, size: int = 50) -> dict[str, str]:
    """`page[number]`/`page[size]` for the lists paged that way (clients, client contacts); defaults per doc."""
    checked = check_fields(
        {"page[number]": number, "page[size]": size},
        {"page[number]": whole(minimum=1), "page[size]": whole(minimum=1)},
    )
    return {name: str(value) for name, value in checked.result().items()}


def include_query(relations: str | Iterable[str]) -> dict[str, str]:
    """`include` as the doc means it: comma-separated, nested relations dotted (`facility.province`)."""
    names = [relations] if isinstance(relations, str) else list(relations)
    cleaned = [part.strip() for name in names for part in name.split(",") if part.strip()]
    return {"include": ",".join(cleaned)} if cleaned else {}


def _exactly_one(checked: CheckedBody, first: str, second: str, what: str) -> None:
    given = [name for name in (first, second) if name in checked.body or name in checked.errors]
    if not given:
        checked.refuse(first, f"Give {what} by {first} or {second}.")
    elif len(given) == 2:
        checked.refuse(second, f"Give {what} by {first} or {second}, not both.")


def _dates_in_order(checked: CheckedBody) -> None:
    starts, ends = checked.body.get("starts_on"), checked.body.get("ends_on")
    if starts and ends and ends < starts:  # ISO dates compare correctly as text
        checked.refuse("ends_on", "Must not be before the start date.")


def _require_something(checked: CheckedBody) -> None:
    if not checked.body and not checked.errors:
        checked.refuse("__all__", "Nothing to send: change at least one field.")
