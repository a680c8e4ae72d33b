"""Kamana records: every doc example parses into its typed record, `included` is resolved, messy values degrade.

No database: pure parsing over JSON fixtures copied verbatim from the doc (`fixtures/*.json`).
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from tests.vendors.kamana.support import FIXTURES, fixture
from vendors.kamana import schemas
from vendors.kamana.schemas import (
    Client,
    ClientContact,
    ClientType,
    Engagement,
    EngagementExtension,
    EngagementNote,
    EngagementNoteType,
    EngagementRequirement,
    EngagementStatus,
    Facility,
    JobRequisition,
    JobRequisitionStatus,
    JobType,
    PayloadUnreadable,
    Profession,
    Relationship,
    RelationshipStatus,
    RequirementStatus,
    Specialty,
    TalentProfile,
    read_errors,
    read_page,
    read_single,
)

# Every response example of the doc and the record type it is read into.
RESPONSES = {
    "clients_list": Client,
    "client_show": Client,
    "client_create_response": Client,
    "client_contacts_list": ClientContact,
    "client_contact_create_response": ClientContact,
    "client_contact_show": ClientContact,
    "client_contact_update_response": ClientContact,
    "client_contact_delete_response": ClientContact,
    "relationship_create_response": Relationship,
    "relationship_update_response": Relationship,
    "engagement_show": Engagement,
    "engagement_update_response": Engagement,
    "engagement_extensions_list": EngagementExtension,
    "engagement_extension_show": EngagementExtension,
    "engagement_extension_create_response": EngagementExtension,
    "engagement_notes_list": EngagementNote,
    "engagement_note_show": EngagementNote,
    "engagement_requirements_list": EngagementRequirement,
    "engagement_requirement_show": EngagementRequirement,
    "facilities_list_include_province": Facility,
    "facility_create_response": Facility,
    "facility_show": Facility,
    "facility_update_response": Facility,
    "facility_delete_response": Facility,
    "job_requisitions_list": JobRequisition,
    "job_requisition_create_response": JobRequisition,
    "job_requisition_show": JobRequisition,
    "job_requisition_update_response": JobRequisition,
    "professions_list": Profession,
    "specialties_list": Specialty,
    "talent_show": TalentProfile,
    "profile_create_response": TalentProfile,
}
# The doc examples that are not clean: (fixture, the one warning it must produce).
DOC_FLAWS = {"engagement_update_response": "engagement.starts_on: expected a date (YYYY-MM-DD), got '2023-010-01'"}


def test_every_response_fixture_is_listed():
    responses = {path.stem for path in FIXTURES.glob("*.json")} - {
        path.stem for pattern in ("request_*", "schema_*", "webhook_*", "messy_*") for path in FIXTURES.glob(pattern)
    }
    assert responses == set(RESPONSES)


@pytest.mark.parametrize(("name", "record_type"), sorted(RESPONSES.items()))
def test_every_doc_example_parses(name, record_type):
    body = fixture(name)
    if isinstance(body["data"], list):
        page = read_page(body, record_type.from_payload)
        records, warnings = page.records, page.warnings
        assert len(records) == len(body["data"])
    else:
        record = read_single(body, record_type.from_payload)
        records, warnings = (record,), record.warnings
    assert all(isinstance(record, record_type) and record.id for record in records)
    if name in DOC_FLAWS:
        assert len(warnings) == 1 and warnings[0].startswith(DOC_FLAWS[name])
    else:
        assert warnings == ()


def test_timestamps_are_aware_utc_whether_naive_or_z():
    client = read_single(fixture("client_show"), Client.from_payload)
    assert client.updated_at == datetime(2023, 1, 19, 18, 56, 51, tzinfo=UTC)
    requirement = read_single(fixture("engagement_requirement_show"), EngagementRequirement.from_payload)
    assert requirement.verified_at == datetime(2022, 10, 24, 22, 3, 43, tzinfo=UTC)
    assert requirement.expires_on == date(2027, 1, 19)  # a calendar date, in expires_on_time_zone
    assert requirement.expires_on_time_zone == "America/New_York"
    assert requirement.status is RequirementStatus.VERIFIED
    assert requirement.months_valid is None and requirement.comments is None


def test_job_requisition_values():
    requisition = read_page(fixture("job_requisitions_list"), JobRequisition.from_payload).records[0]
    assert requisition.status is JobRequisitionStatus.OPEN
    assert requisition.job_type is JobType.TRAVEL_CONTRACT
    assert (requisition.shift_start_time, requisition.shift_end_time) == (8, 16)
    assert (requisition.contract_length, requisition.hours_per_week) == (20, 40)
    assert requisition.facility_id == "54f64447-e58b-4b03-b5f2-cf6c0a1e22a3"
    assert requisition.regular_hourly_rate is None and requisition.weekly_gross_pay is None
    assert requisition.has_pay_package is True and requisition.asap is False
    assert requisition.starts_on == date(2022, 4, 30)
    assert requisition.source_reference_number == "niuwebu37-ewf8hcj-3082nbd-oiu3-338fhhf2537"


def test_engagement_money_sent_as_strings_reads_as_decimal():
    engagement = read_single(fixture("engagement_show"), Engagement.from_payload)
    assert engagement.regular_hourly_rate == Decimal("140")
    assert engagement.travel_reimbursement == Decimal("7000")
    assert engagement.status is EngagementStatus.QUALIFYING and engagement.sub_status is None
    assert engagement.client_contract_id == "5a9a37bf-53e0-4627-889f-15dbd6982651"
    assert (engagement.starts_on, engagement.ends_on) == (date(2022, 8, 19), date(2023, 10, 27))


def test_facility_list_resolves_included_province():
    page = read_page(fixture("facilities_list_include_province"), Facility.from_payload)
    facility = page.records[0]
    assert facility.province is not None
    assert (facility.province.name, facility.province.abbreviation) == ("Florida", "FL")
    assert facility.linked is True
    assert page.cursor is None  # the facility list example sends no meta at all


def test_created_facility_is_custom_mode():
    facility = read_single(fixture("facility_create_response"), Facility.from_payload)
    assert facility.linked is False and facility.time_zone is None and facility.province is None


def test_talent_resolves_included_preferences_and_keeps_unincluded_relations_as_ids():
    talent = read_single(fixture("talent_show"), TalentProfile.from_payload)
    assert talent.claimed is True and talent.first_name == "George"
    assert talent.profession_id == "a25dfcec-a7d7-4e80-beb3-cfc0a80c2a9d"
    assert talent.profession is None  # identified but not included
    assert [p.available_on for p in talent.opportunity_preferences] == [date(2022, 12, 22)]


def test_relationship_reads_the_do_not_hire_predicate_key():
    relationship = read_single(fixture("relationship_create_response"), Relationship.from_payload)
    assert relationship.do_not_hire is False and relationship.do_not_hire_user_id is None
    assert relationship.status is RelationshipStatus.INTERESTED
    assert relationship.profile_id == "ed1e5081-62bc-4dff-9242-c202aad015ad"
    assert relationship.primary_contact_id == "e50e53e1-ec70-499d-978f-2812efe20165"


def test_notes_read_their_type_without_shadowing_the_resource_type():
    notes = read_page(fixture("engagement_notes_list"), EngagementNote.from_payload).records
    assert [note.note_type for note in notes] == list(EngagementNoteType)


def test_client_enum_and_the_docs_misplaced_create_response():
    assert read_single(fixture("client_show"), Client.from_payload).type is ClientType.CUSTOM
    # Create Client answers with a relationship's attributes (a doc error): still a client, just without a name.
    created = read_single(fixture("client_create_response"), Client.from_payload)
    assert created.name is None and created.type is None and created.warnings == ()


def test_messy_page_keeps_good_records_and_says_what_it_dropped():
    page = read_page(fixture("messy_job_requisitions_page"), JobRequisition.from_payload)
    assert [record.id for record in page.records] == ["11111111-1111-4111-8111-111111111111", "22222222"]
    assert page.cursor == "g3QAAAABZAACaWRtAAAAJDAwOTkzOTNj"
    first, second = page.records
    assert (
        first.asap is True and first.status is JobRequisitionStatus.OPEN and first.job_type is JobType.TRAVEL_CONTRACT
    )
    assert (first.contract_length, first.hours_per_week, first.number_of_openings) == (13, 36, 2)
    assert (first.shift_start_time, first.shift_end_time) == (19, 7)
    assert first.regular_hourly_rate == Decimal("62.50") and first.weekly_gross_pay == Decimal("2450.00")
    assert first.starts_on is None  # "2022-13-45"
    assert first.inserted_at == datetime(2022, 5, 11, 21, 28, 36, tzinfo=UTC)
    assert first.updated_at == datetime(2022, 5, 12, 7, 0, tzinfo=UTC)  # +02:00 converted
    assert first.facility is not None and first.facility.postal_code == "32806"
    assert first.facility.province is not None and first.facility.province.abbreviation == "FL"
    assert first.creator is not None and first.creator.email == "recruiter@agency.test"
    assert second.name == "Bad values, good record"
    assert (second.number_of_openings, second.years_of_experience, second.status) == (None, None, None)
    assert (second.updated_at, second.weekly_per_diem, second.asap) == (None, None, None)
    assert page.warnings == (
        "data[0]: job_requisition.starts_on: expected a date (YYYY-MM-DD), got '2022-13-45'; read as null",
        "data[1]: a Kamana job_requisition without an id: None; skipped",
        "data[2]: a Kamana job_requisition must be a JSON object, got str; skipped",
        "data[3]: job_requisition.status: expected one of open, closed, on_hold, historical, got 'paused';"
        " read as null",
        "data[3]: job_requisition.number_of_openings: expected a whole number, got 'two'; read as null",
        "data[3]: job_requisition.years_of_experience: expected a whole number, got 1.5; read as null",
        "data[3]: job_requisition.asap: expected a boolean, got 'maybe'; read as null",
        "data[3]: job_requisition.weekly_per_diem: expected a number, got 'NaN'; read as null",
        "data[3]: job_requisition.updated_at: expected a date-time, got 'yesterday'; read as null",
    )


def test_a_bad_cursor_ends_the_listing_with_a_warning():
    body = {"data": [], "meta": {"cursor": {"next": 2}}}
    page = read_page(body, JobRequisition.from_payload)
    assert page.cursor is None and page.records == ()
    assert page.warnings == ("meta.cursor: expected text, got {'next': 2}; read as the last page",)


@pytest.mark.parametrize(
    "body",
    [None, [], {"data": None}, {"data": {"id": "x"}}, {"errors": [{"detail": "nope"}]}],
    ids=["null", "array", "no data", "data not a list", "error document"],
)
def test_a_list_that_is_not_a_list_is_refused_whole(body):
    with pytest.raises(PayloadUnreadable):
        read_page(body, Facility.from_payload)


def test_a_single_document_without_data_is_refused():
    with pytest.raises(PayloadUnreadable):
        read_single({"data": [{"id": "1"}]}, Facility.from_payload)


def test_error_shapes():
    jsonapi = {
        "errors": [
            {
                "status": "422",
                "title": "Invalid",
                "detail": "is invalid",
                "source": {"pointer": "/data/attributes/name"},
            },
            {"status": "406", "title": "Not Acceptable"},
        ]
    }
    first, second = read_errors(jsonapi)
    assert (first.field, first.detail, first.status) == ("name", "is invalid", "422")
    assert (second.field, second.detail) == (None, "Not Acceptable")
    changeset = read_errors({"errors": {"hours_per_week": ["is invalid"], "name": "can't be blank"}})
    assert [(error.field, error.detail) for error in changeset] == [
        ("hours_per_week", "is invalid"),
        ("name", "can't be blank"),
    ]
    assert [error.detail for error in read_errors({"error": "Unauthorized"})] == ["Unauthorized"]
    assert read_errors({"data": []}) == () and read_errors("oops") == ()


def test_package_exports_only_what_exists():
    assert all(hasattr(schemas, name) for name in schemas.__all__)


@pytest.mark.parametrize(
    ("sent", "read"),
    [
        ("2,450.00", Decimal("2450.00")),
        ("1,234,567", Decimal("1234567")),
        (" 80 ", Decimal("80")),
        (80.5, Decimal("80.5")),
    ],
)
def test_money_as_vendors_send_it(sent, read):
    requisition = JobRequisition.from_payload({"id": "j1", "weekly_gross_pay": sent})
    assert requisition.weekly_gross_pay == read and requisition.warnings == ()


@pytest.mark.parametrize("sent", ["1,5", "12,34.5", "$80", "Infinity", True])
def test_ambiguous_money_is_dropped_not_guessed(sent):
    requisition = JobRequisition.from_payload({"id": "j1", "weekly_gross_pay": sent})
    assert requisition.weekly_gross_pay is None
    assert requisition.warnings == (f"job_requisition.weekly_gross_pay: expected a number, got {sent!r}; read as null",)
