"""Ceki's client against its sandbox over real HTTP: OTP login and Bearer token, re-login on 401, the doc's
error codes in the shared taxonomy, 422 field errors, Laravel pages to the end, and 429 with Retry-After."""

from __future__ import annotations

import datetime as dt
import time

import httpx
import pytest
from django.db import connection as db_connection

from portal.integrations.errors import AuthError, NotFound, ValidationFailed
from portal.integrations.models import VendorConnection, WebhookEvent
from portal.integrations.registry import get_provider
from vendors.ceki.client import CekiClient, login
from vendors.ceki.sandbox import DEMO_EMAIL, DEMO_OTP
from vendors.ceki.sandbox_world import STRANGER

pytestmark = pytest.mark.django_db


def ceki_client(connection: VendorConnection) -> CekiClient:
    return CekiClient(get_provider("ceki").client(connection))


def test_the_first_call_logs_in_with_the_otp_and_keeps_the_token_on_the_connection(ceki, ceki_server):
    contracts = ceki_client(ceki).contracts()

    assert len(contracts) == 3, "the other user's contract is not listed"
    ceki.refresh_from_db()
    token = ceki.credentials["token"]
    assert token in ceki_server.vendors["ceki"].tokens
    with db_connection.cursor() as cursor:
        cursor.execute("SELECT credentials FROM integrations_vendorconnection WHERE id = %s", [ceki.pk])
        assert token not in cursor.fetchone()[0], "the token is stored encrypted"
    logins = [path for _, method, path, _ in ceki_server.requests if path == "/api/login"]
    assert logins == ["/api/login"]


def test_a_lapsed_token_is_renewed_once_and_the_call_succeeds(ceki, ceki_server, ceki_vendor):
    client = ceki_client(ceki)
    client.contracts()
    ceki_vendor.tokens.clear()  # Ceki forgot every token

    assert len(client.contracts()) == 3
    statuses = [(path, status) for _, _, path, status in ceki_server.requests]
    assert statuses[-3:] == [("/api/contracts", 401), ("/api/login", 200), ("/api/contracts", 200)]


def test_a_wrong_otp_ends_in_an_auth_error_in_plain_words(ceki):
    ceki.credentials = {"email": DEMO_EMAIL, "otp": "000000"}
    ceki.save()
    with pytest.raises(AuthError, match="refused the connection's credentials"):
        ceki_client(ceki).contracts()
    with pytest.raises(AuthError):
        login(ceki.base_url, DEMO_EMAIL, "000000")
    assert login(ceki.base_url, DEMO_EMAIL, DEMO_OTP)


def test_no_bearer_token_is_a_401(ceki_server):
    response = httpx.get(ceki_server.vendor_url("ceki") + "/api/contracts")
    assert (response.status_code, response.json()) == (401, {"message": "Unauthenticated."})


def test_another_users_contract_is_forbidden_and_an_unknown_one_not_found(ceki, ceki_vendor):
    stranger = next(c["id"] for c in ceki_vendor.contracts.values() if c["user_id"] == STRANGER)
    client = ceki_client(ceki)
    with pytest.raises(AuthError) as forbidden:
        client.contract_users(stranger)
    assert forbidden.value.status == 403
    with pytest.raises(NotFound):
        client.contract_users(99999)


def test_validation_errors_come_back_field_by_field(ceki, ceki_vendor):
    contract = next(iter(ceki_vendor.contracts))
    client = ceki_client(ceki)
    with pytest.raises(ValidationFailed) as short:
        client.create_event(contract, {"date": "2026-02-01T09:00:00Z", "duration": 10})
    assert short.value.status == 422
    assert short.value.field_errors == {"duration": ["The duration field must be at least 15."]}

    with pytest.raises(ValidationFailed) as small:
        client.create_deposit(contract, {"date": "2026-02-01T09:00:00Z", "amount": 0})
    assert small.value.field_errors == {"amount": ["The amount field must be at least 1."]}
    assert client.create_event(contract, {"date": "2026-02-01T09:00:00Z", "duration": 15})["duration"] == 15


def test_a_vote_decides_proposed_corrections_and_approval_changes_the_event(ceki, ceki_vendor):
    event = next(iter(ceki_vendor.events))
    client = ceki_client(ceki)
    first = client.propose_correction(event, {"description": "Wrong room"})["corrections"][-1]["id"]
    second = client.propose_correction(event, {"duration": 45})["corrections"][-1]["id"]
    with pytest.raises(ValidationFailed) as refused:
        client.vote_corrections(event, {"vote": "yes", "ids": [first, 999999]})
    assert refused.value.field_errors == {
        "vote": ["The vote field must be true or false."],
        "ids.1": ["The selected ids.1 is invalid."],
    }

    client.vote_corrections(event, {"vote": False, "ids": [first]})
    detail = client.vote_corrections(event, {"vote": True, "ids": [second]})
    assert [c["status"] for c in detail["corrections"]] == ["rejected", "approved"]
    assert detail["event"]["duration"] == 45 and detail["event"].get("description") != "Wrong room"
    with pytest.raises(ValidationFailed):  # decided once
        client.vote_corrections(event, {"vote": True, "ids": [first]})


def test_laravel_pages_are_followed_to_the_last(ceki, ceki_vendor, ceki_server):
    contract = ceki_vendor.contracts[next(iter(ceki_vendor.contracts))]
    hand = next(h for h in ceki_vendor.hands.values() if h["contract_id"] == contract["id"])
    for _ in range(118):
        ceki_vendor._add_event(contract, hand, dt.date(2026, 3, 2), minutes=30)
    expected = sorted(e["id"] for e in ceki_vendor.events.values() if e["contract_id"] == contract["id"])

    pages = list(ceki_client(ceki).event_pages(contract["id"]))

    assert [len(page) for page in pages] == [50, 50, len(expected) - 100]
    assert [event["id"] for page in pages for event in page] == expected
    asked = [path for _, method, path, _ in ceki_server.requests if path.endswith("/events")]
    assert len(asked) == 3, "no request past the last page"


def test_429_is_retried_after_the_vendors_retry_after(ceki, ceki_server):
    client = ceki_client(ceki)
    client.contracts()  # logged in
    ceki_server.add_fault("429", count=1, vendor="ceki", path="/api/contracts")

    started = time.monotonic()
    assert len(client.contracts()) == 3
    assert time.monotonic() - started >= 1.0, "waited the Retry-After second"
    assert [status for _, _, path, status in ceki_server.requests if path == "/api/contracts"][-2:] == [429, 200]


def test_the_sandbox_world_adds_a_pending_charge_each_tick(ceki, ceki_server, ceki_vendor):
    before = set(ceki_vendor.transactions)
    httpx.post(ceki_server.url + "/_sandbox/tick")
    (new,) = set(ceki_vendor.transactions) - before
    charge = ceki_vendor.transactions[new]
    assert (charge["payment_status_id"], charge["duration"], charge["credit"]) == ("100", 60, "0")
    hand = ceki_vendor.hands[charge["benefitable_id"]]
    listed = ceki_client(ceki).participant_transactions(charge["contract_id"], int(hand["user_id"]))
    assert new in {row["id"] for row in listed}


def test_a_post_to_a_ceki_webhook_url_is_kept_and_refused(ceki, client):
    response = client.post(ceki.webhook_path, data=b'{"event": "anything"}', content_type="application/json")

    assert response.status_code == 401
    event = WebhookEvent.objects.get(connection=ceki)
    assert (event.state, event.body) == ("rejected", '{"event": "anything"}')


def test_an_admin_logs_the_connection_in_with_a_mailed_otp(ceki, ceki_server, ceki_vendor):
    provider = get_provider("ceki")
    ceki.credentials = {"email": DEMO_EMAIL}
    ceki.save()

    provider.request_otp(ceki)
    provider.log_in(ceki, DEMO_OTP)

    ceki.refresh_from_db()
    assert ceki.credentials["token"] in ceki_vendor.tokens
    assert len(ceki_client(ceki).contracts()) == 3
    assert [path for _, _, path, _ in ceki_server.requests] == ["/api/loginrequest", "/api/login", "/api/contracts"]
    with pytest.raises(AuthError):
        provider.log_in(ceki, "999999")
