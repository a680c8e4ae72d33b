"""Outgoing Kamana bodies: the doc's rules enforced before sending, every problem reported per field at once.

The doc's own request examples are the first inputs: most pass, and the ones that break the doc's own schema
(hours_per_week 1, "2023-010-01", "contract-length") are refused with the message a form would show.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from tests.vendors.kamana.support import fixture
from vendors.kamana.schemas import (
    CONTRACT_LENGTHS,
    HOURS_PER_WEEK,
    SHIFT_HOURS,
    ClientType,
    JobRequisitionStatus,
    JobType,
    PayloadInvalid,
    client_body,
    client_contact_body,
    engagement_extension_body,
    engagement_update_body,
    facility_body,
    facility_delete_check,
    include_query,
    job_requisition_body,
    job_requisitions_query,
    jsonapi_errors,
    page_query,
    profile_body,
    relationship_create_body,
    relationship_update_body,
)

HOURS_MESSAGE = "Hours per week must be one of 8, 12, 16, 24, 32, 36, 40, 48, 56, 58, 60."


def refused(build, *args, **kwargs) -> dict[str, list[str]]:
    with pytest.raises(PayloadInvalid) as caught:
        build(*args, **kwargs)
    return caught.value.errors


def requisition(**changes):
    values = fixture("request_job_requisition_create") | {"hours_per_week": 40}
    values.update(changes)
    return values


# --- the enums and required lists match the doc's JSON schemas --------------------------------------------


def _enum(schema: dict, name: str) -> set:
    """A property's enum; for the numeric `anyOf` ones, the number branch (the string branch is one sample)."""
    prop = schema["properties"][name]
    branches = prop.get("anyOf", [prop])
    return {
        value for branch in branches if branch["type"] != "string" or "anyOf" not in prop for value in branch["enum"]
    }


def test_enums_match_the_doc_schemas():
    create = fixture("schema_job_requisition_create")
    assert _enum(create, "job_type") == set(JobType)
    assert _enum(create, "status") == set(JobRequisitionStatus)
    assert _enum(create, "contract_length") == set(CONTRACT_LENGTHS)
    assert _enum(create, "hours_per_week") == set(HOURS_PER_WEEK)
    assert _enum(create, "shift_start_time") == _enum(create, "shift_end_time") == set(SHIFT_HOURS)
    engagement = fixture("schema_engagement_update")
    assert _enum(engagement, "contract_length") == set(CONTRACT_LENGTHS)
    assert _enum(engagement, "hours_per_week") == set(HOURS_PER_WEEK)
    assert _enum(fixture("schema_client_create"), "type") == set(ClientType)


@pytest.mark.parametrize(
    ("schema", "build"),
    [
        ("schema_job_requisition_create", lambda: job_requisition_body({}, create=True)),
        ("schema_job_requisition_update", lambda: job_requisition_body({}, create=False)),
        ("schema_client_create", lambda: client_body({})),
        ("schema_client_contact_create", lambda: client_contact_body({}, create=True)),
        ("schema_facility_create", lambda: facility_body({}, create=True)),
        ("schema_engagement_extension_create", lambda: engagement_extension_body({})),
    ],
)
def test_required_fields_match_the_doc_schemas(schema, build):
    errors = refused(build)
    assert set(errors) == set(fixture(schema)["required"])
    assert all(messages == ["This field is required."] for messages in errors.values())


def test_every_field_of_the_doc_schemas_is_accepted():
    """No documented field is refused as unknown (the check that catches "contract-length")."""
    for schema, build in [
        ("schema_job_requisition_create", lambda v: job_requisition_body(v, create=True)),
        ("schema_engagement_update", lambda v: engagement_update_body(v, current_client_contract_id=None)),
        ("schema_client_create", client_body),
        ("schema_client_contact_create", lambda v: client_contact_body(v, create=True)),
        ("schema_facility_create", lambda v: facility_body(v, create=True)),
        ("schema_facility_update", lambda v: facility_body(v, create=False)),
    ]:
        names = dict.fromkeys(fixture(schema)["properties"], None)
        errors = refused(build, names)  # all blank: required ones missing, or nothing to send
        assert not any("has no field" in " ".join(messages) for messages in errors.values()), schema


# --- job requisitions ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("create", [True, False])
def test_the_docs_create_and_update_examples_break_their_own_hours_enum(create):
    name = "request_job_requisition_create" if create else "request_job_requisition_update"
    assert refused(job_requisition_body, fixture(name), create=create) == {"hours_per_week": [HOURS_MESSAGE]}


def test_a_valid_requisition_goes_out_as_the_doc_shows_it():
    body = job_requisition_body(
        requisition(shift_start_time="19", shift_end_time="7", starts_on=date(2023, 1, 2)), create=True
    )
    assert body["hours_per_week"] == 40
    assert (body["shift_start_time"], body["shift_end_time"]) == (19, 7)
    assert body["weekly_gross_pay"] == 3885.13 and body["regular_hourly_rate"] == 80
    assert body["travel_reimbursement"] == 0  # zero is a value, not "not sent"
    assert body["starts_on"] == "2023-01-02" and body["asap"] is False
    moment = datetime(2023, 1, 2, 23, 30, tzinfo=ZoneInfo("America/New_York"))
    assert job_requisition_body(requisition(starts_on=moment), create=True)["starts_on"] == "2023-01-02"
    assert body["job_type"] == "Full Time"


def test_every_requisition_rule_is_reported_at_once():
    errors = refused(
        job_requisition_body,
        requisition(
            job_type="Contract",
            status="paused",
            contract_length=27,
            hours_per_week="20",
            shift_start_time=24,
            shift_end_time=-1,
            number_of_openings=0,
            years_of_experience=21,
            starts_on="2023-010-01",
            weekly_per_diem=-5,
            asap="yes",
            name="   ",
        ),
        create=True,
    )
    assert errors == {
        "job_type": ["Choose one of: Full Time, Part Time, Travel Contract, Per Diem."],
        "status": ["Choose one of: open, closed, on_hold, historical."],
        "contract_length": ["Contract length must be one of 1 to 26."],
        "hours_per_week": [HOURS_MESSAGE],
        "shift_start_time": ["Shift start hour must be one of 0 to 23."],
        "shift_end_time": ["Shift end hour must be one of 0 to 23."],
        "number_of_openings": ["Ensure this value is at least 1."],
        "years_of_experience": ["Years of experience must be one of 0 to 20."],
        "starts_on": ["Enter a valid date (YYYY-MM-DD)."],
        "weekly_per_diem": ["Ensure this amount is not negative."],
        "asap": ["Must be true or false."],
        "name": ["This field is required."],
    }


@pytest.mark.parametrize("value", [1.5, "12.5", "twelve", True, float("nan")])
def test_shift_hours_must_be_whole_hours(value):
    assert "shift_start_time" in refused(job_requisition_body, requisition(shift_start_time=value), create=True)


def test_update_refuses_the_docs_hyphenated_example_and_still_needs_its_three_fields():
    errors = refused(job_requisition_body, fixture("request_job_requisition_update_short"), create=False)
    assert errors["contract-length"] == ["Kamana has no field 'contract-length' here."]
    assert set(errors) == {"contract-length", "job_type", "number_of_openings", "years_of_experience"}
    body = job_requisition_body(
        {"contract_length": "20", "job_type": "per diem", "number_of_openings": "3", "years_of_experience": 0},
        create=False,
    )
    assert body == {"contract_length": 20, "job_type": "Per Diem", "number_of_openings": 3, "years_of_experience": 0}


# --- engagements and extensions -----------------------------------------------------------------------------


def test_the_docs_engagement_examples_break_their_own_schema():
    assert refused(engagement_update_body, fixture("request_engagement_update"), current_client_contract_id=None) == {
        "hours_per_week": [HOURS_MESSAGE]
    }
    assert refused(
        engagement_update_body, fixture("request_engagement_update_short"), current_client_contract_id=None
    ) == {"starts_on": ["Enter a valid date (YYYY-MM-DD)."]}


def test_engagement_pay_goes_out_typed_as_the_schema_says():
    values = fixture("request_engagement_update") | {"hours_per_week": "32"}
    body = engagement_update_body(values, current_client_contract_id=None)
    assert body["regular_hourly_rate"] == 121  # number in the schema
    assert body["weekly_gross_pay"] == "5000" and body["travel_reimbursement"] == "7707"  # strings in the schema
    assert body["hours_per_week"] == 32 and body["client_contract_id"] == "ffaa4029-4f7d-44e6-9805-d7feb9fe59a2"


def test_client_contract_is_settable_only_while_unset():
    values = {"client_contract_id": "new-contract", "compensation_comments": "x"}
    assert engagement_update_body(values, current_client_contract_id=None)["client_contract_id"] == "new-contract"
    assert refused(engagement_update_body, values, current_client_contract_id="old-contract") == {
        "client_contract_id": ["Kamana keeps the first client contract; it cannot be changed."]
    }
    # Re-sending the value Kamana holds (a form re-submits every field) is no change: dropped, not refused.
    same = engagement_update_body(
        {"client_contract_id": "old-contract", "compensation_comments": "x"}, current_client_contract_id="old-contract"
    )
    assert same == {"compensation_comments": "x"}


def test_engagement_dates_must_be_in_order_and_something_must_change():
    errors = refused(
        engagement_update_body, {"starts_on": "2023-05-02", "ends_on": "2023-05-01"}, current_client_contract_id=None
    )
    assert errors == {"ends_on": ["Must not be before the start date."]}
    assert refused(engagement_update_body, {"notes": ""} | {}, current_client_contract_id=None) == {
        "notes": ["Kamana has no field 'notes' here."]
    }
    assert refused(engagement_update_body, {"starts_on": ""}, current_client_contract_id=None) == {
        "__all__": ["Nothing to send: change at least one field."]
    }


def test_extension_body():
    assert engagement_extension_body(fixture("request_engagement_extension_create")) == {
        "ends_on": "2022-12-31",
        "starts_on": "2022-11-29",
    }
    assert refused(engagement_extension_body, {"starts_on": "2022-12-31", "ends_on": "2022-11-29"}) == {
        "ends_on": ["Must not be before the start date."]
    }


# --- relationships ------------------------------------------------------------------------------------------


def test_the_docs_relationship_example_gives_both_of_each_pair():
    assert refused(relationship_create_body, fixture("request_relationship_create")) == {
        "talent_profile_email": ["Give the talent profile by talent_profile_id or talent_profile_email, not both."],
        "primary_contact_email": [
            "Give the primary contact by primary_contact_user_id or primary_contact_email, not both."
        ],
    }


def test_relationship_create_needs_exactly_one_of_each_pair():
    assert relationship_create_body({"talent_profile_email": "t@some.com", "primary_contact_user_id": "u1"}) == {
        "talent_profile_email": "t@some.com",
        "primary_contact_user_id": "u1",
    }
    assert refused(relationship_create_body, {"talent_profile_id": "p1", "primary_contact_email": "not-an-email"}) == {
        "primary_contact_email": ["Enter a valid email address."]
    }
    assert refused(relationship_create_body, {}) == {
        "talent_profile_id": ["Give the talent profile by talent_profile_id or talent_profile_email."],
        "primary_contact_user_id": ["Give the primary contact by primary_contact_user_id or primary_contact_email."],
    }


def test_relationship_status_moves_with_sub_status_and_reason():
    assert refused(relationship_update_body, {"status": "archived"}) == {
        "sub_status": ["Required when the status changes."],
        "status_reason": ["Required when the status changes."],
    }
    assert refused(relationship_update_body, {"status": "hired", "sub_status": "x"}) == {
        "status": ["Choose one of: interested, prospect, engaged, review, archived."],
        "status_reason": ["Required when the status changes."],
    }
    body = relationship_update_body({"status": "Prospect", "sub_status": "Ready", "status_reason": "No engagements"})
    assert body == {"status": "prospect", "sub_status": "Ready", "status_reason": "No engagements"}


def test_do_not_hire_names_who_decided_and_goes_out_with_the_question_mark():
    assert refused(relationship_update_body, {"do_not_hire": True}) == {
        "do_not_hire_user_id": ["Required when do-not-hire is set."]
    }
    assert relationship_update_body({"do_not_hire": False, "do_not_hire_user_id": "u1"}) == {
        "do_not_hire?": False,
        "do_not_hire_user_id": "u1",
    }


def test_relationship_update_primary_contact_and_empty_updates():
    assert refused(relationship_update_body, {"primary_contact_user_id": "u1", "primary_contact_email": "a@b.co"}) == {
        "primary_contact_email": ["Give the primary contact's user id or email, not both."]
    }
    assert refused(relationship_update_body, {}) == {"__all__": ["Nothing to send: change at least one field."]}
    # The doc's update example carries create fields: Kamana documents none of them for PATCH.
    assert set(refused(relationship_update_body, fixture("request_relationship_update"))) == {
        "talent_profile_id",
        "talent_profile_email",
        "primary_contact_email",
    }


# --- clients, contacts, facilities, profiles, queries ---------------------------------------------------------


def test_client_and_contact_examples_pass():
    assert client_body(fixture("request_client_create"))["type"] == "msp"
    assert refused(client_body, fixture("request_client_create") | {"type": "agency"}) == {
        "type": ["Choose one of: msp, idn, facility, custom."]
    }
    assert client_contact_body(fixture("request_client_contact_create"), create=True)["email"] == "jschmo@email.org"
    assert client_contact_body({"notes": "Call after 3"}, create=False) == {"notes": "Call after 3"}
    assert refused(client_contact_body, {"email": "jschmo at email"}, create=False) == {
        "email": ["Enter a valid email address."]
    }


def test_facility_bodies():
    assert facility_body(fixture("request_facility_create"), create=True)["postal_code"] == "96813"
    assert facility_body(fixture("request_facility_update"), create=False)["time_zone"] == "Pacific/Honolulu"
    assert facility_body(fixture("request_facility_update_short"), create=False) == {
        "name": "The Queen's Neuroscience Institute"
    }
    assert refused(facility_body, {"time_zone": "Hawaii Time"}, create=False) == {
        "time_zone": ["Enter an IANA time zone such as America/New_York."]
    }
    assert "time_zone" in refused(facility_body, fixture("request_facility_update"), create=True)


def test_a_linked_facility_cannot_be_deleted():
    facility_delete_check(None)
    with pytest.raises(PayloadInvalid) as caught:
        facility_delete_check("61a2b9db-bed2-4dbb-a508-5b296ae658ab")
    assert caught.value.errors == {"static_id": ["A linked facility (one with a static id) cannot be deleted."]}
    assert jsonapi_errors(caught.value) == [
        {
            "status": "422",
            "title": "Invalid value",
            "detail": "A linked facility (one with a static id) cannot be deleted.",
            "source": {"pointer": "/static_id"},
        }
    ]


def test_profile_body_checks_each_preference():
    assert profile_body(fixture("request_profile_create"))["opportunity_preferences"][0]["hours_per_week"] == 32
    values = fixture("request_profile_create") | {
        "claimed": "yes",
        "opportunity_preferences": [{"hours_per_week": 30, "available_on": "2024-01-11"}, "x"],
    }
    del values["claimed?"]
    assert refused(profile_body, values) == {
        "claimed?": ["Must be true or false."],
        "opportunity_preferences[0].hours_per_week": [HOURS_MESSAGE],
        "opportunity_preferences[1]": ["Must be an object."],
    }
    assert set(refused(profile_body, {})) == {"first_name", "last_name", "email"}


def test_queries():
    query = job_requisitions_query(
        {
            "status": "on_hold",
            "facility_id": "f1",
            "search": " nurse ",
            "after": "abc",
            "include": ["creator", "facility.province"],
        }
    )
    assert query == {
        "status": "on_hold",
        "facility_id": "f1",
        "search": "nurse",
        "after": "abc",
        "include": "creator,facility.province",
    }
    assert refused(job_requisitions_query, {"status": "draft", "page": 2}) == {
        "status": ["Choose one of: open, closed, on_hold, historical."],
        "page": ["Kamana has no field 'page' here."],
    }
    assert page_query() == {"page[number]": "1", "page[size]": "50"}
    assert refused(page_query, 0, 10) == {"page[number]": ["Ensure this value is at least 1."]}
    assert include_query("province, contracts") == {"include": "province,contracts"}
    assert include_query([]) == {}
