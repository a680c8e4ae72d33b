"""The shared HTTP client against the sandbox over real HTTP: retries, Retry-After, error taxonomy, logging."""

from __future__ import annotations

import logging
import time

import pytest

from portal.integrations.errors import AuthError, NotFound, RateLimited, Unavailable, ValidationFailed
from portal.integrations.registry import get_provider
from vendors.base.client import parse_retry_after

pytestmark = pytest.mark.django_db


def client_for(connection):
    return get_provider("intelycare").client(connection)


def calls(sandbox, method="GET"):
    return [r for r in sandbox.requests if r[1] == method]


def test_retry_after_is_honoured_then_the_call_succeeds(sandbox, intelycare):
    sandbox.add_fault("429", count=2, path="/v1/shifts/1")
    started = time.monotonic()
    with pytest.raises(NotFound):  # after two 429s the vendor answers for real: no such shift
        client_for(intelycare).request("DELETE", "v1/shifts/1")
    elapsed = time.monotonic() - started
    assert [r[3] for r in calls(sandbox, "DELETE")] == [429, 429, 404]
    assert elapsed >= 2.0, "each 429 said Retry-After: 1, so two of them cost at least two seconds"


def test_rate_limit_outlasting_the_attempts_ends_as_rate_limited(sandbox, intelycare):
    sandbox.add_fault("429", path="/v1/shifts/2")
    client = client_for(intelycare)
    client.retry = type(client.retry)(attempts=2)
    with pytest.raises(RateLimited) as caught:
        client.request("DELETE", "v1/shifts/2")
    assert caught.value.retry_after == 1.0
    assert caught.value.message == "IntelyCare is rate limiting us; try again later: Too Many Requests"
    assert len(calls(sandbox, "DELETE")) == 2


def test_a_retry_after_longer_than_the_client_may_wait_goes_back_to_the_caller_at_once(sandbox, intelycare):
    """The outbox keeps such a wait on its row instead of holding a worker (issue 15 item 6)."""
    sandbox.add_fault("429", path="/v1/shifts/2")
    client = client_for(intelycare)
    client.retry = type(client.retry)(attempts=5, max_retry_after=0.5)
    with pytest.raises(RateLimited) as caught:
        client.request("DELETE", "v1/shifts/2")
    assert caught.value.retry_after == 1.0
    assert len(calls(sandbox, "DELETE")) == 1


def test_a_plain_post_is_not_retried_after_a_5xx(sandbox, intelycare):
    sandbox.add_fault("503", count=1, path="/v1/timecards")
    with pytest.raises(Unavailable):
        client_for(intelycare).request("POST", "v1/timecards", json={})
    assert len(calls(sandbox, "POST")) == 1


def test_dropped_connection_is_retried_for_a_post_with_a_natural_key(sandbox, intelycare):
    sandbox.add_fault("drop", count=1, path="/v1/timecards")
    with pytest.raises(ValidationFailed) as caught:  # second attempt reaches the vendor, which wants fields
        client_for(intelycare).request("POST", "v1/timecards", json={"checkIn": ""}, retry_post=True)
    assert set(caught.value.field_errors) == {"externalShiftId", "checkIn", "checkOut", "breakDuration"}
    assert [r[3] for r in calls(sandbox, "POST")] == [400], "the dropped attempt never got a response"


def test_wrong_credentials_are_an_auth_error_in_plain_words(sandbox, intelycare):
    intelycare.credentials = {**intelycare.credentials, "api_key": "wrong-key-123"}
    intelycare.save()
    with pytest.raises(AuthError) as caught:
        client_for(intelycare).request("DELETE", "v1/shifts/1")
    assert caught.value.message == (
        "IntelyCare refused the connection's credentials (HTTP 401): "
        "Unauthorized: X-API-KEY and X-CLIENT-ID must match."
    )


def test_every_call_is_logged_without_secrets(sandbox, intelycare, caplog):
    caplog.set_level(logging.INFO, logger="vendors.http")
    with pytest.raises(NotFound):
        client_for(intelycare).request("DELETE", "v1/shifts/sandbox-key")
    [line] = [r.getMessage() for r in caplog.records if r.name == "vendors.http"]
    assert "DELETE" in line and "status=404" in line and "attempt=1" in line
    assert "sandbox-key" not in line and "[redacted]" in line


def test_retry_after_as_an_http_date():
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:30 GMT", now=1445412505.0) == pytest.approx(5.0)
    assert parse_retry_after("3") == 3.0
    assert parse_retry_after("soon") is None
