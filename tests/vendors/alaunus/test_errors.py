"""Alaunus's `{"error": {"code", "message"}}` and field errors reach the message (issue 14 item 5), over real HTTP."""

from __future__ import annotations

import json

import pytest

from portal.integrations.errors import AuthError, NotFound, ValidationFailed
from portal.integrations.registry import get_provider

pytestmark = pytest.mark.django_db


def test_an_unknown_record_gives_alaunus_message_not_its_code(alaunus):
    with pytest.raises(NotFound) as missing:
        get_provider("alaunus").client(alaunus).get("/patients/no-such-patient")
    assert missing.value.message == "Alaunus has no such record (HTTP 404): No patients record no-such-patient."
    assert json.loads(missing.value.raw_body)["error"]["code"] == "not_found"


def test_a_wrong_key_says_the_key_is_invalid(alaunus):
    alaunus.credentials = {"api_key": "not-the-key"}
    alaunus.save()
    with pytest.raises(AuthError) as refused:
        get_provider("alaunus").client(alaunus).get("/patients")
    assert refused.value.message == "Alaunus refused the connection's credentials (HTTP 401): Invalid API key."


def test_field_errors_follow_the_summary(alaunus):
    with pytest.raises(ValidationFailed) as refused:
        get_provider("alaunus").client(alaunus).request("POST", "/events", json={})
    assert refused.value.message.startswith("Alaunus refused the data: Validation failed; ")
    assert refused.value.field_errors
    for field in refused.value.field_errors:
        assert f"{field}: " in refused.value.message
