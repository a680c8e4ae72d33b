"""The CareerBuilder client against its sandbox over real HTTP: both levels, upsert on the unique key, auth (fixed
token and client credentials with refresh), field errors, paging one email to the end, Retry-After."""

from __future__ import annotations

import datetime as dt
import time

import pytest

from portal.integrations.errors import AuthError, ValidationFailed
from portal.integrations.registry import get_provider
from vendors.careerbuilder.paths import INSERT_STATUS
from vendors.careerbuilder.schemas import STATUS_SAVED_MESSAGE, StatusInsert, StatusLevel

pytestmark = pytest.mark.django_db

AT = dt.datetime(2026, 11, 2, 15, 30, tzinfo=dt.UTC)
EMAIL = "amara.okafor@example.org"


def client_for(connection):
    return get_provider("careerbuilder").client(connection)


def calls(server, method):
    return [r for r in server.requests if r[0] == "careerbuilder" and r[1] == method]


def application(requisition_id: str, status: str = "First Interview", at: dt.datetime = AT, **extra) -> StatusInsert:
    return StatusInsert(
        account="AAAA_1234",
        candidate_email=EMAIL,
        status=status,
        status_date=at,
        status_level=StatusLevel.APPLICATION,
        vendor_key="portal",
        requisition_id=requisition_id,
        requisition_title="ICU Registered Nurse",
        **extra,
    )


def test_both_levels_are_inserted_and_read_back(careerbuilder, vendor):
    client = client_for(careerbuilder)
    receipt = client.insert_status(application("7001"))
    candidate = StatusInsert(
        account="AAAA_1234",
        candidate_email=EMAIL,
        status="Pipeline",
        status_date=AT + dt.timedelta(minutes=5),
        status_level="candidate",
        vendor_key="portal",
    )
    client.insert_status(candidate)
    assert receipt.confirmed and receipt.message == STATUS_SAVED_MESSAGE

    answer = client.email_statuses(EMAIL.upper())
    assert [(s.status_level, s.requisition_id, s.status) for s in answer] == [
        (StatusLevel.APPLICATION, "7001", "First Interview"),
        (StatusLevel.CANDIDATE, None, "Pipeline"),
    ]
    assert answer.statuses[0].status_date == AT and answer.warnings == ()
    assert "requisition_id" not in vendor.world.statuses[candidate.key], "a candidate status carries no requisition"


def test_an_insert_with_the_same_unique_key_updates_the_stored_status(careerbuilder, vendor):
    client = client_for(careerbuilder)
    client.insert_status(application("7001", "First Interview"))
    client.insert_status(application("7001", "Offer", AT + dt.timedelta(days=2)))
    client.insert_status(application("7002", "New"))  # another requisition: another status
    other_vendor_key = StatusInsert(**{**_fields(application("7001")), "vendor_key": "ats", "status": "Reviewed"})
    client.insert_status(other_vendor_key)

    assert len(vendor.world.statuses) == 3
    held = vendor.world.statuses[application("7001").key]
    assert (held["status"], held["status_date"]) == ("Offer", "2026-11-04T15:30:00Z")
    by_requisition = client.search_statuses(requisition_ids=("7001",))
    assert sorted((s.vendor_key, s.status) for s in by_requisition) == [("ats", "Reviewed"), ("portal", "Offer")]


def _fields(insert: StatusInsert) -> dict:
    return {name: getattr(insert, name) for name in insert.__slots__}


def test_status_date_pulls_only_what_is_strictly_later(careerbuilder):
    client = client_for(careerbuilder)
    for hours, requisition in enumerate(("7001", "7002", "7003")):
        client.insert_status(application(requisition, at=AT + dt.timedelta(hours=hours)))
    later = client.email_statuses(EMAIL, since=AT + dt.timedelta(hours=1))
    assert [s.requisition_id for s in later] == ["7003"]
    many = client.search_statuses(candidate_emails=(EMAIL, "nobody@example.org"), since=AT)
    assert [s.requisition_id for s in many] == ["7002", "7003"]


def test_one_email_is_paged_to_the_end_even_when_many_statuses_share_a_second(careerbuilder, vendor):
    client = client_for(careerbuilder)
    for n in range(25):
        # Seven statuses in the very same second, more than a page of five can hold.
        at = AT + dt.timedelta(minutes=n) if n < 18 else AT + dt.timedelta(hours=5)
        vendor.world.put(application(f"80{n:02d}", at=at).to_payload())

    pages = list(client.walk_email_statuses(EMAIL, results_per_page=5))
    requisitions = [s.requisition_id for page in pages for s in page]
    assert sorted(requisitions) == sorted(f"80{n:02d}" for n in range(25))
    assert len(requisitions) == 25, "each status once"
    gets = calls(vendor.server, "GET")
    assert 6 <= len(gets) <= 12, f"short pages and a doubled page size, not a loop: {len(gets)} pulls"


def test_a_wrong_bearer_token_is_an_auth_error_in_plain_words(careerbuilder):
    careerbuilder.credentials = {**careerbuilder.credentials, "access_token": "revoked"}
    careerbuilder.save()
    with pytest.raises(AuthError) as caught:
        client_for(careerbuilder).email_statuses(EMAIL)
    assert caught.value.message == (
        "CareerBuilder refused the connection's credentials (HTTP 401): Unauthorized: a valid bearer token is required."
    )


def test_client_credentials_ask_for_a_token_once_and_again_only_when_it_is_refused(careerbuilder_oauth, vendor):
    client = client_for(careerbuilder_oauth)
    for requisition in ("7001", "7002", "7003"):
        client.insert_status(application(requisition))
    assert vendor.token_requests == 1, "one token for every call while it lives"

    vendor.expire_tokens()
    assert len(client.email_statuses(EMAIL)) == 3
    assert vendor.token_requests == 2, "a 401 brings one new token and the call is made again"


def test_a_token_is_renewed_when_its_lifetime_ends(careerbuilder_oauth, vendor):
    vendor.token_lifetime = 1
    client = client_for(careerbuilder_oauth)
    client.email_statuses(EMAIL)
    client.email_statuses(EMAIL)
    assert vendor.token_requests == 1
    later = time.monotonic() + 1.0  # the token's whole lifetime on the client's clock
    client.auth.clock = lambda: later
    client.email_statuses(EMAIL)
    assert vendor.token_requests == 2
    assert [r[3] for r in calls(vendor.server, "GET")] == [200, 200, 200], "renewed before it expired, never a 401"


def test_a_wrong_client_secret_is_refused_by_the_token_service(careerbuilder_oauth):
    careerbuilder_oauth.credentials = {**careerbuilder_oauth.credentials, "client_secret": "guessed"}
    careerbuilder_oauth.save()
    with pytest.raises(AuthError, match="token service refused"):
        client_for(careerbuilder_oauth).email_statuses(EMAIL)


def test_the_sandbox_refuses_a_body_against_the_doc_with_field_errors(careerbuilder, vendor):
    body = {
        **application("7001").to_payload(),
        "account": "A" * 21,
        "status_level": "candidate",  # with a requisition_id: the level rule is broken too
        "status_date": "2026-11-02 15:30:00",
    }
    with pytest.raises(ValidationFailed) as caught:
        client_for(careerbuilder).request(INSERT_STATUS.method, INSERT_STATUS.path(), json=body)
    errors = caught.value.field_errors
    assert set(errors) == {"account", "requisition_id", "requisition_title", "status_date"}
    assert errors["account"] == ["Ensure this value has at most 20 characters (it has 21)."]
    assert caught.value.message.startswith("CareerBuilder refused the data: account: ")
    assert vendor.world.statuses == {}


def test_rate_limiting_is_waited_out_as_retry_after_says(careerbuilder, cb_sandbox):
    cb_sandbox.add_fault("429", count=1, vendor="careerbuilder")
    started = time.monotonic()
    client_for(careerbuilder).insert_status(application("7001"))
    assert time.monotonic() - started >= 1.0, "Retry-After: 1"
    assert [r[3] for r in calls(cb_sandbox, "PUT")] == [429, 200]
