"""Kamana's JSON:API error bodies reach the message in Kamana's words (issue 14 item 5), over real HTTP."""

from __future__ import annotations

import json

import pytest

from portal.integrations.errors import NotFound, Unavailable, VendorError
from portal.integrations.registry import get_provider
from vendors.kamana.paths import ACCEPT

pytestmark = pytest.mark.django_db


def test_an_unsupported_api_version_says_which_accept_to_use(kamana):
    http = get_provider("kamana").client(kamana)
    old_version = "application/vnd.api.v1+json"
    http.http.event_hooks["request"].append(lambda request: request.headers.update({"Accept": old_version}))
    with pytest.raises(VendorError) as refused:
        http.get("/professions")
    assert refused.value.status == 406
    assert refused.value.message == (
        f"Kamana answered HTTP 406: Not Acceptable: Unsupported API version; use Accept: {ACCEPT}."
    )
    assert json.loads(refused.value.raw_body)["errors"][0]["status"] == "406"


def test_an_unknown_record_says_what_kamana_could_not_find(kamana):
    with pytest.raises(NotFound) as missing:
        get_provider("kamana").client(kamana).get("/talents/999999")
    assert missing.value.message.startswith("Kamana has no such record (HTTP 404): Not Found: No ")


def test_an_injected_outage_keeps_the_sandboxs_words(kamana, kamana_server):
    kamana_server.add_fault("503", count=10, path="/professions")
    http = get_provider("kamana").client(kamana)
    http.retry = type(http.retry)(attempts=1)
    with pytest.raises(Unavailable) as down:
        http.get("/professions")
    assert down.value.message == "Kamana is unavailable (HTTP 503): Service Unavailable"
