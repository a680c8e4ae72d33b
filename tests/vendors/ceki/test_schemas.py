"""Ceki payloads: the doc's own samples parse, messy real-world values degrade to warnings, bad bodies never leave.

No database: these are pure parsing and validation tests over the JSON fixtures copied from the doc.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from vendors.ceki import schemas
from vendors.ceki.schemas import (
    AuthSession,
    Bill,
    Contract,
    ContractHand,
    ErrorBody,
    Event,
    EventDetail,
    EventStatus,
    Kal,
    LaravelPage,
    PayloadInvalid,
    PaymentStatus,
    TimeLog,
    TransactionKind,
    ValidationErrorBody,
)

FIXTURES = Path(__file__).parent / "fixtures"
DOC_STAMP = datetime(2019, 8, 24, 14, 15, 22, tzinfo=UTC)  # the doc's sample date-time, "2019-08-24T14:15:22Z"
WHEN = datetime(2026, 11, 24, 9, 30, tzinfo=ZoneInfo("America/Chicago"))


def fixture(name: str):
    return json.loads((FIXTURES / f"{name}.json").read_text())


# --- the doc's samples -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "record_type"),
    [
        ("contract", Contract),
        ("contract_event", Event),
        ("charge_transaction", Event),
        ("contract_hand", ContractHand),
        ("bill", Bill),
        ("kal", Kal),
        ("timelog", TimeLog),
    ],
)
def test_every_record_sample_of_the_doc_parses_with_utc_timestamps(name, record_type):
    record = record_type.from_payload(fixture(name))

    assert record.created_at == DOC_STAMP
    assert record.updated_at == DOC_STAMP
    assert record.raw == fixture(name)


def test_contract_sample_keeps_what_is_typed_and_warns_about_the_placeholders():
    contract = Contract.from_payload(fixture("contract"))

    assert (contract.id, contract.status_id, contract.amount, contract.privacy) == (0, 0, 0, 0)
    assert contract.label == "string"
    assert contract.deleted_at == DOC_STAMP and contract.is_deleted
    # The doc types these "string" in the response: each one is dropped with a warning, not an exception.
    assert contract.credit is None and contract.private is None and contract.settings is None
    assert contract.files == () and contract.old_id is None
    assert any(warning.startswith("contract.credit:") for warning in contract.warnings)
    assert any(warning.startswith("contract.old_id:") for warning in contract.warnings)


def test_event_sample_reads_enums_and_drops_a_non_numeric_amount():
    event = Event.from_payload(fixture("contract_event"))

    assert event.external_id == "string"
    assert event.benefitable_type == "string"
    assert event.duration == 0
    assert event.deleted_at == DOC_STAMP
    # `"status_id": 0` and `"payment_status_id": 0` are outside the doc's own enums, `"amount": "string"` is no
    # number: all three become None with a warning naming the field.
    assert (event.status, event.payment_status, event.amount) == (None, None, None)
    fields = {warning.split(":")[0] for warning in event.warnings}
    assert {"event.status_id", "event.payment_status_id", "event.amount", "event.type_id"} <= fields


def test_hand_sample_reads_price_and_limit():
    hand = ContractHand.from_payload(fixture("contract_hand"))

    assert (hand.id, hand.contract_id, hand.schedule_id, hand.limit) == (0, 0, 0, 0)
    assert hand.price == Decimal(0)
    assert hand.role == "string" and hand.currency == "string"
    assert hand.user_id is None  # "user_id": "string"
    assert "hand.user_id: expected an integer, got 'string'; read as null" in hand.warnings


def test_bill_sample_and_its_tolerated_string_deleted_at():
    bill = Bill.from_payload(fixture("bill"))

    assert (bill.id, bill.status_id, bill.billable_id, bill.lines) == (0, 0, 0, ())
    assert bill.deleted_at is None  # the bill schema types deleted_at as "string"
    assert bill.warnings == ("bill.deleted_at: expected a date-time, got 'string'; read as null",)


def test_events_page_sample_is_a_laravel_page():
    page = LaravelPage.from_payload(fixture("contract_events_page"), Event)

    assert page.items == ()
    assert (page.current_page, page.last_page, page.total) == (1, 1, 0)
    assert not page.has_next and page.next_page is None


def test_event_detail_sample_has_an_empty_event_and_no_warnings():
    detail = EventDetail.from_payload(fixture("event_detail"))

    assert detail.event.id is None
    assert detail.pivot == {} and detail.corrections == () and detail.kals == ()
    assert detail.warnings == ()


def test_message_samples():
    assert ErrorBody.from_payload(fixture("bill_deleted")).message == "Bill deleted"
    assert ErrorBody.from_payload(fixture("contract_deleted")).message == "Contract deleted"


def test_approve_response_sample_is_a_list_of_transactions():
    transactions, warnings = schemas.parse_transactions(fixture("approve_transactions_response"))

    assert len(transactions) == 1 and transactions[0].id is None
    assert warnings == ()


# --- what vendors really send ------------------------------------------------------------------------------------


def realistic_event(**changes):
    event = {
        "id": "5512",
        "user_id": 88,
        "type_id": 2,
        "status_id": "200",
        "payment_status_id": 100,
        "billable_type": "App\\Models\\Contract",
        "billable_id": "31",
        "benefitable_type": "App\\Models\\ContractHand",
        "benefitable_id": 7,
        "label": "Night shift, 4 West",
        "timezone": "America/Chicago",
        "date": "2026-11-20 00:00:00",
        "start": "19:00",
        "end": "2026-11-21T07:30:00",
        "duration": "750",
        "amount": "412.50",
        "currency": "USD",
        "credit": "0",
        "private": 1,
        "files": "[3, 4]",
        "data": '{"note": "float pool"}',
        "created_at": "2026-11-20T18:02:11.000000Z",
        "updated_at": "2026-11-21 13:31:09",
        "deleted_at": None,
    }
    event.update(changes)
    return event


def test_a_realistic_event_coerces_strings_and_keeps_wall_clock_times_naive():
    event = Event.from_payload(realistic_event())

    assert event.warnings == ()
    assert (event.id, event.billable_id, event.duration) == (5512, 31, 750)
    assert event.status is EventStatus.CODE_200
    assert event.payment_status is PaymentStatus.PENDING
    assert event.amount == Decimal("412.50") and event.hours == Decimal("12.5")
    assert event.transaction_kind is TransactionKind.CHARGE
    assert (event.credit, event.private) == (False, True)
    assert event.files == (3, 4) and event.data == {"note": "float pool"}
    assert event.created_at == datetime(2026, 11, 20, 18, 2, 11, tzinfo=UTC)
    assert event.updated_at == datetime(2026, 11, 21, 13, 31, 9, tzinfo=UTC)  # naive Laravel timestamp: UTC
    # Wall clock: a bare start time is placed on the event's date; both stay naive until localised.
    assert event.start == datetime(2026, 11, 20, 19, 0) and event.end == datetime(2026, 11, 21, 7, 30)
    assert event.starts_at == datetime(2026, 11, 20, 19, 0, tzinfo=ZoneInfo("America/Chicago"))
    assert event.starts_at.astimezone(UTC) == datetime(2026, 11, 21, 1, 0, tzinfo=UTC)


def test_an_offset_on_a_wall_clock_field_is_honoured_and_normalised_to_utc():
    event = Event.from_payload(realistic_event(start="2026-11-20T19:00:00-06:00"))

    assert event.start == datetime(2026, 11, 21, 1, 0, tzinfo=UTC)
    assert event.starts_at == event.start


def test_a_bare_clock_time_stays_local_and_needs_a_date():
    on_utc_day = Event.from_payload(realistic_event(date="2026-11-20T00:00:00Z", start="19:00"))
    assert on_utc_day.start == datetime(2026, 11, 20, 19, 0)  # local to America/Chicago, not 19:00 UTC

    undated = Event.from_payload(realistic_event(date=None, start="19:00"))
    assert undated.start is None
    assert undated.warnings == (
        "event.start: expected a date-time (a bare time needs the record's date), got '19:00'; read as null",
    )


def test_a_deposit_is_a_credit_row():
    assert Event.from_payload(realistic_event(credit=True)).transaction_kind is TransactionKind.DEPOSIT
    assert Event.from_payload(realistic_event(credit=None)).transaction_kind is None


def test_question_mark_keys_nulls_and_missing_optional_keys_are_tolerated():
    hand = ContractHand.from_payload({"id": 7, "is_working?": "true", "price": None, "credit": ""})

    assert hand.is_working is True
    assert hand.price is None and hand.role is None and hand.created_at is None and hand.credit is None
    assert hand.warnings == ()

    unsure = ContractHand.from_payload({"id": 8, "is_working": "maybe"})
    assert unsure.is_working is None
    assert unsure.warnings == ("hand.is_working: expected a boolean, got 'maybe'; read as null",)


def test_one_bad_record_costs_one_field_not_the_page():
    payload = {
        "current_page": "2",
        "last_page": "3",
        "per_page": "2",
        "total": "5",
        "data": [
            realistic_event(id=1),
            realistic_event(id=2, date="31/11/2026", amount="12,50", payment_status_id="999"),
            "garbage",
        ],
    }
    page = LaravelPage.from_payload(payload, Event)

    assert [event.id for event in page.items] == [1, 2]
    good, bad = page.items
    assert good.date == datetime(2026, 11, 20) and good.warnings == ()
    assert (bad.date, bad.amount, bad.payment_status) == (None, None, None)
    assert bad.label == "Night shift, 4 West"
    assert "data[1] event.date: expected a date-time, got '31/11/2026'; read as null" in page.warnings
    assert "data[2]: skipped 'garbage', not a JSON object" in page.warnings
    assert page.has_next and page.next_page == 3


def test_a_page_without_last_page_uses_total_and_a_bare_list_is_one_page():
    page = LaravelPage.from_payload({"current_page": 1, "per_page": 50, "total": 51, "data": []}, Event)
    assert page.has_next

    listed = LaravelPage.from_payload([realistic_event(id=9)], Event)
    assert [event.id for event in listed.items] == [9] and not listed.has_next


def test_a_contract_show_payload_carries_its_hands():
    contract = Contract.from_payload(
        {"id": "31", "label": "ICU travel block", "hands": [{"id": 7, "user_id": "88", "limit": "x"}], "totals": {}}
    )

    assert contract.id == 31
    assert [hand.user_id for hand in contract.hands] == [88]
    assert contract.totals == {}
    assert contract.all_warnings == ("hand.limit: expected an integer, got 'x'; read as null",)


def test_a_record_that_is_not_an_object_is_refused_outright():
    with pytest.raises(TypeError, match="must be a JSON object"):
        Event.from_payload(["not", "an", "event"])


def test_laravel_422_errors_read_into_the_same_shape_as_payload_invalid():
    body = ValidationErrorBody.from_payload(
        {"message": "The duration field must be at least 15.", "errors": {"duration": ["must be at least 15."]}}
    )
    assert body.errors == {"duration": ["must be at least 15."]}

    assert ValidationErrorBody.from_payload({"message": "Too Many Attempts."}).errors == {
        "__all__": ["Too Many Attempts."]
    }
    assert ErrorBody.from_payload({"message": "Unauthenticated."}).message == "Unauthenticated."


def test_login_token_is_found_where_sanctum_apps_put_it():
    assert AuthSession.from_payload({"token": "7|abc", "user": {"id": 1}}).token == "7|abc"
    assert AuthSession.from_payload({"user": {"id": 1, "token": "8|def"}}).token == "8|def"
    missing = AuthSession.from_payload([None])  # the doc's own sample
    assert missing.token is None and missing.warnings


# --- bodies we send ----------------------------------------------------------------------------------------------


def errors_of(build, *args, **kwargs) -> dict[str, list[str]]:
    with pytest.raises(PayloadInvalid) as refused:
        build(*args, **kwargs)
    return refused.value.errors


def pending(id_, **changes):
    return Event.from_payload(realistic_event(id=id_, **changes))


def test_charge_shorter_than_15_minutes_is_refused_with_field_messages():
    errors = errors_of(schemas.charge_update_body, date=WHEN, minutes=14, label="", hand_id=0)

    assert errors == {
        "time": ["The time field must be at least 15."],
        "label": ["The label field is required."],
        "hand_id": ["The hand id field must be at least 1."],
    }


def test_charge_update_matches_the_doc_request_sample():
    body = schemas.charge_update_body(date=WHEN, minutes=15, label="Night shift", hand_id=7, files=[3])

    assert set(body) == set(fixture("request_charge_update"))
    assert body["date"] == "2026-11-24T15:30:00Z"  # Chicago 09:30 sent as UTC with Z, like the doc's samples
    assert body["time"] == 15


def test_deposit_below_1_and_naive_dates_are_refused():
    errors = errors_of(schemas.deposit_body, date=datetime(2026, 11, 24, 9, 30), amount=Decimal("0.99"))

    assert errors == {
        "date": ["The date field must carry a time zone."],
        "amount": ["The amount field must be at least 1."],
    }
    assert "amount" in errors_of(schemas.deposit_update_body, date=WHEN, amount=True)


def test_deposit_matches_the_doc_request_sample_with_a_string_benefitable_id():
    body = schemas.deposit_body(date=WHEN, amount=Decimal("412.50"), benefitable_id=7)

    assert body == {"date": "2026-11-24T15:30:00Z", "amount": 412.5, "benefitable_id": "7"}
    assert set(body) == set(fixture("request_deposit_create"))
    assert schemas.deposit_update_body(date=WHEN, amount=Decimal("40.00"))["amount"] == 40


def test_only_pending_transactions_can_be_approved():
    body = schemas.approve_transactions_body([pending(1), 2, pending(1)])
    assert body == {"transactions": [1, 2]}
    assert set(body) == set(fixture("request_approve_transactions"))

    errors = errors_of(schemas.approve_transactions_body, [pending(1), pending(3, payment_status_id="300")])
    assert errors == {"transactions.1": ["Transaction 3 is paid; only pending transactions can be approved."]}


def test_paying_a_pending_transaction_is_refused_with_a_clear_message():
    approved = pending(4, payment_status_id="200")
    assert schemas.pay_transactions_body([approved]) == {"transactions": [4]}

    errors = errors_of(schemas.pay_transactions_body, [approved, pending(5)])
    assert errors == {"transactions.1": ["Transaction 5 is pending; only approved transactions can be paid."]}


def test_transaction_id_lists_must_be_non_empty_positive_ids():
    assert errors_of(schemas.delete_transactions_body, []) == {"transactions": ["The transactions field is required."]}
    assert errors_of(schemas.pay_transactions_body, [4, "5", 0]) == {
        "transactions.1": ["The transactions.1 field must be a positive integer id."],
        "transactions.2": ["The transactions.2 field must be a positive integer id."],
    }


def test_a_bill_covers_approved_transactions_only():
    body = schemas.bill_body(label="November, week 4", transactions=[pending(4, payment_status_id="200")])
    assert body == {"label": "November, week 4", "data": {"transactions": [4]}}
    assert set(body) == set(fixture("request_bill_create"))

    errors = errors_of(schemas.bill_body, label=" ", transactions=[pending(5)])
    assert errors == {
        "data.transactions.0": ["Transaction 5 is pending; only approved transactions can be billed."],
        "label": ["The label field is required."],
    }


def test_contract_update_takes_the_docs_fields_but_no_parent():
    body = schemas.contract_body(
        creating=False,
        start=WHEN,
        end=WHEN + timedelta(days=7),
        timezone="America/Chicago",
        amount=0,
        currency="USD",
        label="ICU travel block",
        description="",
        private=False,
        credit=True,
        settings={"rate": 95},
        files=[1],
    )
    assert set(body) == set(fixture("request_contract_update"))
    assert body["description"] == ""  # an optional blank is sent: it clears the description

    assert errors_of(schemas.contract_body, creating=False, parent_id=3) == {
        "parent_id": ["The parent id field is only accepted when creating a contract."]
    }
    assert errors_of(schemas.contract_body, creating=True) == {
        "label": ["The label field is required."],
        "currency": ["The currency field is required."],
    }


def test_event_bodies_enforce_duration_and_the_update_status_enum():
    assert errors_of(schemas.contract_event_body, creating=True, label="Shift", duration=10) == {
        "duration": ["The duration field must be at least 15."]
    }
    errors = errors_of(schemas.contract_event_body, creating=False, status="200", end="08:00")
    assert errors["end"] == ["The end field is only accepted when creating an event."]
    assert errors["status_id"][0].startswith("The selected status id is invalid (expected one of 100, 400, 444, 777")

    body = schemas.contract_event_body(creating=False, status=EventStatus.CODE_444, duration=15, date=WHEN)
    assert body == {"status_id": "444", "duration": 15, "date": "2026-11-24T15:30:00Z"}
    assert set(body) <= set(fixture("request_event_update"))


def test_full_create_bodies_use_exactly_the_docs_field_names():
    contract = schemas.contract_body(
        creating=True,
        label="ICU travel block",
        currency="USD",
        start=WHEN,
        end=WHEN + timedelta(days=90),
        timezone="America/Chicago",
        private=True,
        credit=False,
        amount=0,
        description="13 weeks",
        parent_id=3,
        settings={"rate": 95},
        files=[1],
    )
    assert set(contract) == set(fixture("request_contract_create"))

    event = schemas.contract_event_body(
        creating=True,
        label="Night shift",
        date=WHEN,
        start="19:00",
        duration=720,
        end="07:00",
        timezone="America/Chicago",
        amount=0,
        currency="USD",
        description="",
        private=False,
        credit=False,
        parent_id=1,
        benefitable={"id": 7},
        files=[2],
        attendees=[{"user_id": 88}],
    )
    assert set(event) == set(fixture("request_event_create"))

    correction = schemas.correction_body(
        timezone="UTC",
        date=WHEN,
        start="19:00",
        end="07:00",
        duration=15,
        status="555",
        payment_status=PaymentStatus.APPROVED,
        label="x",
        description="y",
        amount=1,
        currency="USD",
    )
    assert set(correction) <= set(fixture("request_correction"))
    assert correction["payment_status_id"] == "200"


@pytest.mark.parametrize(
    ("fixture_name", "body"),
    [
        ("request_login", lambda: schemas.login_body("coordinator@example.com", "123456")),
        (
            "request_contract_user",
            lambda: schemas.contract_user_body(role="2", user_id=88, read="1", write="0", schedule={"id": 4}),
        ),
        (
            "request_hand_create",
            lambda: schemas.hand_body(schedule={"days": [1]}, user_id=88, email="a@b.co", role="RN"),
        ),
        ("request_hand_role", lambda: schemas.hand_role_body("charge nurse")),
        ("request_hand_answer", lambda: schemas.hand_answer_body(answer=True, correction_id=3)),
        ("request_charge_create", lambda: schemas.charge_body(date=WHEN, benefitable_id=7)),
        ("request_contract_entry", lambda: schemas.contract_entry_body(duration=15, benefitable_id=7)),
        ("request_correction_vote", lambda: schemas.correction_vote_body(vote=False, ids=[1])),
        ("request_hand_dated", lambda: schemas.dated_body(WHEN)),
        (
            "request_kal",
            lambda: schemas.kal_body(label="Unit", private=True, description="", slug="u", timezone="UTC", files=[1]),
        ),
        ("request_timelog_start", lambda: schemas.timelog_start_body("America/Chicago")),
        ("request_bill_label", lambda: schemas.bill_label_body("Week 48")),
    ],
)
def test_builders_emit_the_docs_request_keys(fixture_name, body):
    assert set(body()) == set(fixture(fixture_name))


def test_login_and_participant_rules():
    assert errors_of(schemas.login_body, "not-an-email", "123") == {
        "email": ["The email field must be a valid email address."],
        "password": ["The password field must be at least 6 characters."],
    }
    assert errors_of(schemas.hand_body, schedule={}) == {
        "schedule": ["The schedule field is required."],
        "user_id": ["Either the user id or the email field is required."],
    }
    assert errors_of(schemas.contract_user_body, role="7")["role_id"][0].startswith("The selected role id is invalid")
    assert errors_of(schemas.timelog_start_body, "Mars/Olympus") == {
        "timezone": ["The timezone field must be a valid time zone."]
    }


def test_correction_must_change_something_and_votes_need_ids():
    assert errors_of(schemas.correction_body) == {"__all__": ["A correction must change at least one field."]}
    assert errors_of(schemas.correction_vote_body, vote="yes", ids=[]) == {
        "vote": ["The vote field must be true or false."],
        "ids": ["The ids field is required."],
    }


def test_event_list_query_uses_the_docs_parameter_names():
    query = schemas.event_list_query(
        dates_from=datetime(2026, 11, 1, tzinfo=timezone(timedelta(hours=-6))),
        payment_status=PaymentStatus.PENDING,
        per_page=100,
        page=2,
        sort_by="date",
        descending=True,
        fields=["amount", "date"],
    )

    assert query == {
        "dates[from]": "2026-11-01T06:00:00Z",
        "payment_status_id": "100",
        "perPage": 100,
        "page": 2,
        "sortBy": "date",
        "descending": "1",
        "nn[]": ["amount", "date"],
    }
    assert errors_of(schemas.event_list_query, per_page=0, fields=["salary"]) == {
        "nn[0]": [
            "The selected nn 0 is invalid (expected one of amount, label, duration, date, status_id, "
            "payment_status_id, start, end)."
        ],
        "perPage": ["The perPage field must be at least 1."],
    }


def test_payload_invalid_reads_as_one_line_per_field():
    error = PayloadInvalid({"time": ["The time field must be at least 15."], "label": ["The label field is required."]})

    assert str(error) == "time: The time field must be at least 15.; label: The label field is required."
    assert isinstance(error, ValueError)
