"""Ceki's Laravel `message` and `errors` reach the message (issue 14 item 5), over real HTTP."""

from __future__ import annotations

import pytest

from portal.integrations.errors import AuthError, NotFound, RateLimited, ValidationFailed
from portal.integrations.registry import get_provider
from vendors.ceki.client import CekiClient
from vendors.ceki.sandbox_world import STRANGER

pytestmark = pytest.mark.django_db


def test_refusals_carry_cekis_message(ceki, ceki_vendor):
    client = CekiClient(get_provider("ceki").client(ceki))
    stranger = next(c["id"] for c in ceki_vendor.contracts.values() if c["user_id"] == STRANGER)
    with pytest.raises(AuthError) as forbidden:
        client.contract_users(stranger)
    assert forbidden.value.message == (
        "TribeIT Ceki refused the connection's credentials (HTTP 403): This action is unauthorized."
    )
    with pytest.raises(NotFound) as missing:
        client.contract_users(99999)
    assert missing.value.message == (
        "TribeIT Ceki has no such record (HTTP 404): No query results for model [App\\Models\\Contract] 99999"
    )


def test_laravels_summary_is_not_repeated_before_the_fields(ceki, ceki_vendor):
    contract = next(iter(ceki_vendor.contracts))
    with pytest.raises(ValidationFailed) as refused:
        CekiClient(get_provider("ceki").client(ceki)).create_event(contract, {"duration": 10})
    assert refused.value.message == (
        "TribeIT Ceki refused the data: date: The date field is required.; "
        "duration: The duration field must be at least 15."
    )


def test_an_injected_rate_limit_keeps_the_sandboxs_words(ceki, ceki_server):
    ceki_server.add_fault("429", path="/api/contracts")
    http = get_provider("ceki").client(ceki)
    http.retry = type(http.retry)(attempts=1)
    with pytest.raises(RateLimited) as limited:
        CekiClient(http).contracts()
    assert limited.value.message == "TribeIT Ceki is rate limiting us; try again later: Too Many Requests"
