"""CareerBuilder payloads: the doc's own examples parse, messy answers degrade per field, bad bodies never leave."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone
from http import HTTPMethod
from pathlib import Path

import pytest

from vendors.careerbuilder import paths
from vendors.careerbuilder.schemas import (
    DEFAULT_RESULTS_PER_PAGE,
    FIELD_LIMITS,
    NON_FIELD_ERRORS,
    AccessToken,
    CandidateStatus,
    CandidateStatusList,
    EmailStatusQuery,
    PayloadInvalid,
    StatusInsert,
    StatusInsertReceipt,
    StatusLevel,
    StatusSearch,
    candidate_status_key,
    format_status_date,
    parse_status_date,
)

FIXTURES = Path(__file__).parent / "fixtures"
DOC_STATUS_DATE = datetime(2017, 3, 19, 23, 4, 1, tzinfo=UTC)


def fixture(name: str):
    return json.loads((FIXTURES / name).read_text())


def invalid_errors(build) -> dict[str, list[str]]:
    with pytest.raises(PayloadInvalid) as caught:
        build()
    return caught.value.errors


def application(**overrides) -> StatusInsert:
    fields = {
        "account": "AAAA_1234",
        "candidate_email": "testEmail@123.com",
        "status": "Interviewed",
        "status_date": datetime(2026, 11, 24, 9, 30, tzinfo=UTC),
        "status_level": StatusLevel.APPLICATION,
        "requisition_id": "REQ-7",
    }
    return StatusInsert(**{**fields, **overrides})


# -- the doc's examples ----------------------------------------------------------------------------------------------

PARSERS = {
    "retrieve_email_statuses_response.json": CandidateStatusList.from_payload,
    "retrieve_many_statuses_response.json": CandidateStatusList.from_payload,
    "insert_status_request_application.json": StatusInsert.from_payload,
    "insert_status_request_candidate.json": StatusInsert.from_payload,
    "insert_status_response.json": StatusInsertReceipt.from_payload,
    "retrieve_many_statuses_request_emails.json": StatusSearch.from_payload,
    "retrieve_many_statuses_request_requisitions.json": StatusSearch.from_payload,
}


def test_every_fixture_has_a_parser():
    assert {path.name for path in FIXTURES.glob("*.json")} == set(PARSERS)


@pytest.mark.parametrize("name", sorted(PARSERS))
def test_every_doc_example_parses_without_warnings(name):
    parsed = PARSERS[name](fixture(name))
    assert getattr(parsed, "warnings", ()) == ()


def test_retrieve_email_statuses_sample_response():
    statuses = CandidateStatusList.from_payload(fixture("retrieve_email_statuses_response.json"))

    assert len(statuses) == 3
    assert [s.requisition_id for s in statuses] == ["1", "2", "3"]
    first = statuses.statuses[0]
    assert first.account == "AAAA_1234"
    assert first.candidate_email == "testEmail@123.com"
    assert first.status_level is StatusLevel.APPLICATION
    assert first.status_date == DOC_STATUS_DATE
    assert first.status_date.utcoffset() == timedelta(0)
    assert (first.vendor_key, first.client, first.level_id) == ("test_vendor_key", "test_client", "test_level_id")
    assert (first.status, first.status_detail, first.requisition_title) == (
        "test_status",
        "Test status detail",
        "test_req_title",
    )
    assert first.raw["requisition_title"] == "test_req_title"
    assert statuses.latest_status_date == DOC_STATUS_DATE


def test_retrieve_many_statuses_sample_response_tolerates_the_missing_requisition_title():
    statuses = CandidateStatusList.from_payload(fixture("retrieve_many_statuses_response.json"))

    assert [s.requisition_id for s in statuses] == ["1", "2", "123"]
    assert statuses.statuses[2].requisition_title is None
    assert statuses.warnings == ()


def test_insert_sample_request_round_trips_to_the_same_body():
    body = fixture("insert_status_request_application.json")

    insert = StatusInsert.from_payload(body)

    assert insert.status_level is StatusLevel.APPLICATION
    assert insert.status_date == datetime(2017, 3, 19, 19, 4, 1, tzinfo=UTC)
    assert insert.to_payload() == body
    assert list(insert.to_payload()) == list(body)  # the doc's key order


def test_the_docs_candidate_sample_is_really_an_application_and_a_true_candidate_leaves_the_requisition_off():
    body = fixture("insert_status_request_candidate.json")
    assert StatusInsert.from_payload(body).status_level is StatusLevel.APPLICATION  # the doc's typo, kept verbatim

    errors = invalid_errors(lambda: StatusInsert.from_payload({**body, "status_level": "candidate"}))
    assert errors == {"requisition_id": ["Must be left off when status_level is candidate."]}

    candidate_body = {key: value for key, value in body.items() if key != "requisition_id"}
    candidate = StatusInsert.from_payload({**candidate_body, "status_level": "candidate"})
    assert "requisition_id" not in candidate.to_payload()
    assert candidate.to_payload()["status_level"] == "candidate"


@pytest.mark.parametrize(
    ("name", "emails", "requisition_ids"),
    [
        ("retrieve_many_statuses_request_emails.json", ("testEmail@123.com", "testEmail@1234.com"), ()),
        ("retrieve_many_statuses_request_requisitions.json", (), ("1", "2", "123")),
    ],
)
def test_retrieve_many_sample_requests_round_trip(name, emails, requisition_ids):
    body = fixture(name)

    search = StatusSearch.from_payload(body)

    assert (search.account, search.candidate_emails, search.requisition_ids) == ("aaaa_1234", emails, requisition_ids)
    assert search.status_date == datetime(2017, 3, 18, 19, 4, 1, tzinfo=UTC)
    assert search.to_payload() == body


def test_insert_sample_response_is_a_confirmation():
    assert StatusInsertReceipt.from_payload(fixture("insert_status_response.json")).confirmed
    # The doc warns the answer may grow: anything else is kept, but not taken as a confirmation.
    grown = StatusInsertReceipt.from_payload({"message": "Created/updated status.", "id": 9})
    assert not grown.confirmed
    assert grown.raw == {"message": "Created/updated status.", "id": 9}


# -- what vendors really send ----------------------------------------------------------------------------------------


def test_messy_record_is_read_field_by_field():
    status = CandidateStatus.from_payload(
        {
            " Account ": "AAAA_1234",
            "Candidate_Email": "nurse@example.org",
            "status?": " Offer ",
            "Status_Level": "Application",
            "status_date": "2017-03-19 T23:04:01Z",  # the doc's own spelling of the format
            "requisition_id": 123,
            "level_id": 7.0,
            "vendor_key": None,
            "requisition_title": "",
            "client": {"name": "MyCandidates"},
            "unknown_extra": "kept in raw",
        }
    )

    assert status.account == "AAAA_1234"
    assert status.candidate_email == "nurse@example.org"
    assert status.status == "Offer"
    assert status.status_level is StatusLevel.APPLICATION
    assert status.status_date == DOC_STATUS_DATE
    assert (status.requisition_id, status.level_id) == ("123", "7")
    assert (status.vendor_key, status.requisition_title, status.client) == (None, None, None)
    assert [(w.field, w.message) for w in status.warnings] == [("client", "Expected text; ignored.")]
    assert status.raw["unknown_extra"] == "kept in raw"


@pytest.mark.parametrize(
    ("sent", "expected"),
    [
        ("2017-03-19T23:04:01Z", DOC_STATUS_DATE),
        ("2017-03-19T23:04:01", DOC_STATUS_DATE),  # the doc says UTC, so no offset means UTC
        ("2017-03-20T01:04:01+02:00", DOC_STATUS_DATE),
        ("2017-03-19 23:04:01.250Z", DOC_STATUS_DATE.replace(microsecond=250000)),
        (datetime(2017, 3, 19, 18, 4, 1, tzinfo=timezone(timedelta(hours=-5))), DOC_STATUS_DATE),
    ],
)
def test_status_dates_are_aware_utc(sent, expected):
    parsed = parse_status_date(sent)
    assert parsed == expected
    assert parsed.tzinfo is UTC


def test_one_bad_date_costs_one_field_not_the_page():
    payload = fixture("retrieve_email_statuses_response.json")
    payload[1]["status_date"] = "19/03/2017 quarter past"

    statuses = CandidateStatusList.from_payload(payload)

    assert len(statuses) == 3
    assert [s.status_date for s in statuses] == [DOC_STATUS_DATE, None, DOC_STATUS_DATE]
    assert [(w.field, w.message) for w in statuses.warnings] == [("[1].status_date", "Not a date and time; ignored.")]
    assert "quarter past" in statuses.warnings[0].value


def test_records_that_break_the_doc_are_kept_with_warnings():
    statuses = CandidateStatusList.from_payload(
        [
            {"account": "A1", "candidate_email": "a@example.org", "status": "New", "status_level": "application"},
            "not a record",
            {"account": "A1", "candidate_email": "a@example.org", "status_level": "placement", "status_date": 5},
            {"candidate_email": "b@example.org", "status": "New", "status_level": "candidate", "requisition_id": "9"},
        ]
    )

    assert len(statuses) == 3
    assert [(w.field, w.message) for w in statuses.warnings] == [
        ("[0].status_date", "Not a date and time; ignored."),
        ("[0].requisition_id", "An application-level status without a requisition."),
        ("[1]", "Not a status object; skipped."),
        ("[2].status", "Missing, though the doc requires it."),
        ("[2].status_level", "Neither application nor candidate."),
        ("[2].status_date", "Not a date and time; ignored."),
        ("[3].account", "Missing, though the doc requires it."),
        ("[3].status_date", "Not a date and time; ignored."),
        ("[3].requisition_id", "A candidate-level status should have no requisition."),
    ]
    assert statuses.statuses[1].status == ""
    assert statuses.statuses[1].status_level is None
    assert statuses.statuses[2].requisition_id == "9"
    assert statuses.latest_status_date is None


def test_an_empty_answer_is_no_statuses_and_a_non_list_is_refused():
    assert len(CandidateStatusList.from_payload(None)) == 0
    assert len(CandidateStatusList.from_payload([])) == 0
    errors = invalid_errors(lambda: CandidateStatusList.from_payload({"statuses": []}))
    assert errors == {NON_FIELD_ERRORS: ["Expected a JSON array of statuses, got dict."]}


def test_access_token_answers_in_both_shapes():
    wrapped = AccessToken.from_payload({"data": {"access_token": "tok-1", "token_type": "bearer", "expires_in": "900"}})
    assert (wrapped.access_token, wrapped.token_type, wrapped.expires_in) == ("tok-1", "bearer", timedelta(seconds=900))

    flat = AccessToken.from_payload({"access_token": "tok-2", "expires_in": "soon"})
    assert (flat.access_token, flat.token_type, flat.expires_in) == ("tok-2", "bearer", None)
    assert [(w.field, w.value) for w in flat.warnings] == [("expires_in", "'soon'")]

    errors = invalid_errors(lambda: AccessToken.from_payload({"data": {"error": "invalid_client"}}))
    assert errors == {"access_token": ["Missing from the token answer."]}


# -- what the portal sends -------------------------------------------------------------------------------------------


def test_an_application_status_is_sent_in_utc_to_the_second():
    eastern = timezone(timedelta(hours=-5))
    insert = application(status_date=datetime(2026, 11, 24, 4, 30, 15, 999999, tzinfo=eastern), vendor_key="  ")

    assert insert.to_payload() == {
        "account": "AAAA_1234",
        "candidate_email": "testEmail@123.com",
        "requisition_id": "REQ-7",
        "status": "Interviewed",
        "status_date": "2026-11-24T09:30:15Z",
        "status_level": "application",
    }
    assert insert.vendor_key is None  # blank optional texts are left off, not sent empty


LIMITED_FIELDS = ["account", "vendor_key", "client", "requisition_id", "requisition_title", "level_id", "status"]


@pytest.mark.parametrize("name", [*LIMITED_FIELDS, "status_detail"])
def test_each_field_limit_is_enforced_before_sending(name):
    limit = FIELD_LIMITS[name]
    assert application(**{name: "x" * limit}).to_payload()[name] == "x" * limit

    errors = invalid_errors(lambda: application(**{name: "x" * (limit + 1)}))
    assert errors == {name: [f"Ensure this value has at most {limit} characters (it has {limit + 1})."]}


def test_the_issues_limits_match_the_doc_table():
    assert {name: FIELD_LIMITS[name] for name in [*LIMITED_FIELDS, "candidate_email", "status_detail"]} == {
        "account": 20,
        "vendor_key": 20,
        "client": 20,
        "requisition_id": 1024,
        "requisition_title": 256,
        "level_id": 64,
        "status": 100,
        "candidate_email": 255,
        "status_detail": 4096,
    }


def test_candidate_email_must_be_an_address_of_at_most_255_characters():
    longest = "n" * 243 + "@example.org"
    assert len(application(candidate_email=longest).candidate_email) == 255
    assert invalid_errors(lambda: application(candidate_email="n" + longest)) == {
        "candidate_email": ["Ensure this value has at most 255 characters (it has 256)."]
    }
    assert invalid_errors(lambda: application(candidate_email="nurse at example.org")) == {
        "candidate_email": ["Enter a valid email address."]
    }


def test_status_level_rules():
    assert invalid_errors(lambda: application(requisition_id=None)) == {
        "requisition_id": ["Required when status_level is application."]
    }
    assert application(status_level="Candidate", requisition_id=None).status_level is StatusLevel.CANDIDATE
    assert invalid_errors(lambda: application(status_level="candidate", requisition_title="ICU RN")) == {
        "requisition_id": ["Must be left off when status_level is candidate."],
        "requisition_title": ["Must be left off when status_level is candidate."],
    }
    assert invalid_errors(lambda: application(status_level="placement")) == {
        "status_level": ["Must be one of: application, candidate."]
    }


def test_every_broken_field_is_reported_at_once():
    errors = invalid_errors(
        lambda: StatusInsert(
            account="",
            candidate_email=None,
            status=42,
            status_date=datetime(2026, 11, 24, 9, 30),  # naive: which zone would it be?
            status_level=None,
        )
    )

    assert errors == {
        "account": ["This field is required."],
        "candidate_email": ["This field is required."],
        "status": ["Must be a string."],
        "status_date": ["Must be a timezone-aware datetime: the doc sends it in UTC."],
        "status_level": ["This field is required."],
    }


def test_a_received_put_body_must_use_the_docs_date_format():
    body = fixture("insert_status_request_application.json")

    for wrong in ("2017-03-19 T19:04:01Z", "2017-03-19T19:04:01+00:00", "2017-02-30T19:04:01Z", 1489950241):
        assert invalid_errors(lambda wrong=wrong: StatusInsert.from_payload({**body, "status_date": wrong})) == {
            "status_date": ["Use the doc's format YYYY-MM-DDTHH:MM:SSZ, in UTC."]
        }
    errors = invalid_errors(lambda: StatusInsert.from_payload({**body, "status_date": "soon", "status": ""}))
    assert errors == {
        "status": ["This field is required."],
        "status_date": ["Use the doc's format YYYY-MM-DDTHH:MM:SSZ, in UTC."],
    }
    assert invalid_errors(lambda: StatusInsert.from_payload(["not", "an", "object"])) == {
        NON_FIELD_ERRORS: ["Expected a JSON object."]
    }


def test_retrieve_many_needs_exactly_one_list():
    since = datetime(2026, 11, 1, tzinfo=UTC)
    assert StatusSearch("A1", requisition_ids=["R1"], status_date=since).to_payload() == {
        "account": "A1",
        "requisition_id": ["R1"],
        "status_date": "2026-11-01T00:00:00Z",
    }
    either = {NON_FIELD_ERRORS: ["Give either a list of candidate_email or a list of requisition_id."]}
    assert invalid_errors(lambda: StatusSearch("A1")) == either
    assert invalid_errors(lambda: StatusSearch("A1", ("a@example.org",), ("R1",))) == either
    assert invalid_errors(lambda: StatusSearch.from_payload({"account": "A1", "candidate_email": "a@example.org"})) == {
        "candidate_email": ["Must be a list."]
    }
    assert invalid_errors(lambda: StatusSearch("A1", ("a@example.org", "not-an-address", ""))) == {
        "candidate_email[1]": ["Enter a valid email address."],
        "candidate_email[2]": ["This field is required."],
    }
    assert invalid_errors(lambda: StatusSearch("A1", requisition_ids=("R1", "9" * 1025))) == {
        "requisition_id[1]": ["Ensure this value has at most 1024 characters (it has 1025)."]
    }


def test_retrieve_one_email_query():
    default = EmailStatusQuery("AAAA_1234", "testEmail@123.com")
    assert default.to_params() == {}
    assert default.results_per_page is None and DEFAULT_RESULTS_PER_PAGE == 10

    # The doc's sample request, with its parameter names spelt as in the doc's list.
    received = EmailStatusQuery.from_request(
        "AAAA_1234", "testEmail@123.com", {"Results_per_page": "15", "Status_date": "2017-02-18T19:04:01Z"}
    )
    assert received.results_per_page == 15
    assert received.to_params() == {"results_per_page": "15", "status_date": "2017-02-18T19:04:01Z"}

    errors = invalid_errors(
        lambda: EmailStatusQuery.from_request("A" * 21, "x", {"results_per_page": "ten", "status_date": "yesterday"})
    )
    assert errors == {
        "account": ["Ensure this value has at most 20 characters (it has 21)."],
        "candidate_email": ["Enter a valid email address."],
        "results_per_page": ["Must be a whole number of at least 1."],
        "status_date": ["Use the doc's format YYYY-MM-DDTHH:MM:SSZ, in UTC."],
    }
    assert invalid_errors(lambda: EmailStatusQuery("A1", "a@example.org", results_per_page=0)) == {
        "results_per_page": ["Must be a whole number of at least 1."]
    }


def test_format_status_date_refuses_a_naive_time():
    assert format_status_date(DOC_STATUS_DATE) == "2017-03-19T23:04:01Z"
    with pytest.raises(ValueError, match="timezone-aware"):
        format_status_date(datetime(2017, 3, 19, 23, 4, 1))


# -- the documented unique key ---------------------------------------------------------------------------------------


def test_unique_key_matches_the_vendors_upsert():
    sent = application(account="aaaa_1234", candidate_email="TestEmail@123.com", vendor_key="vk")
    received = CandidateStatus.from_payload(
        {
            "account": "AAAA_1234",
            "candidate_email": "testEmail@123.com",
            "vendor_key": "vk",
            "requisition_id": "REQ-7",
            "status_level": "application",
            "status": "Hired",
            "status_date": "2026-11-25T10:00:00Z",
        }
    )

    assert sent.key == received.key  # same status, so an insert of it updates the stored one
    assert sent.key == candidate_status_key("AAAA_1234", "testemail@123.com", "vk", "REQ-7", "application")
    assert sent.key != application(requisition_id="REQ-8", vendor_key="vk").key
    assert sent.key != application(vendor_key=None).key
    candidate = application(status_level=StatusLevel.CANDIDATE, requisition_id=None, vendor_key="vk")
    assert candidate.key.requisition_id == "" and candidate.key != sent.key
    assert candidate_status_key("A", "a@example.org", None, None, "candidate") == candidate_status_key(
        "A", "a@example.org", "", "", StatusLevel.CANDIDATE
    )


# -- paths -----------------------------------------------------------------------------------------------------------


def test_endpoints_are_the_documented_ones_and_the_chosen_token_path():
    assert [(e.method, e.template, e.documented) for e in paths.ENDPOINTS] == [
        (HTTPMethod.GET, "/corporate/CandidateStatus/{account}/{candidate_email}", True),
        (HTTPMethod.PUT, "/corporate/CandidateStatus", True),
        (HTTPMethod.POST, "/corporate/CandidateStatus", True),
        (HTTPMethod.POST, "/oauth/token", False),
    ]
    assert paths.PRODUCTION_BASE_URL + paths.RETRIEVE_EMAIL_STATUSES.path(
        account="AAAA_1234", candidate_email="testEmail@123.com"
    ) == ("https://api.careerbuilder.com/corporate/CandidateStatus/AAAA_1234/testEmail@123.com")


def test_path_parts_stay_one_segment():
    path = paths.RETRIEVE_EMAIL_STATUSES.path(account="AA/11", candidate_email="pat+icu/nights@example.org")
    assert path == "/corporate/CandidateStatus/AA%2F11/pat%2Bicu%2Fnights@example.org"
