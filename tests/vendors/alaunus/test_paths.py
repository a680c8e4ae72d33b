"""One module holds every Alaunus path and method; ids are quoted and the auth header is the bare key."""

from __future__ import annotations

import pytest

from vendors.alaunus.paths import COLLECTIONS, ENDPOINTS, Method, auth_headers, endpoint


def test_every_collection_can_be_listed_and_read():
    assert len(COLLECTIONS) == 16
    for collection in COLLECTIONS:
        assert endpoint(f"{collection}.list").path == f"/{collection}"
        assert endpoint(f"{collection}.retrieve").format("abc") == f"/{collection}/abc"
        assert endpoint(f"{collection}.list").method is Method.GET


def test_writes_exist_only_where_the_portal_drives_alaunus():
    writes = {name for name, point in ENDPOINTS.items() if point.method is not Method.GET}
    assert writes == {
        "events.create",
        "events.update",
        "eventsgroups.create",
        "eventsgroups.update",
        "punchcards.update",
        "usersnotes.create",
        "patientsprogressnotes.create",
    }
    assert all(point.chosen for point in ENDPOINTS.values())  # the doc prints no paths at all


def test_ids_are_quoted_and_required():
    assert endpoint("events.update").format("../accounts") == "/events/..%2Faccounts"
    with pytest.raises(ValueError, match="needs a record id"):
        endpoint("events.update").format(None)
    with pytest.raises(KeyError, match="known:"):
        endpoint("events.delete")


def test_auth_header_is_the_bare_key():
    assert auth_headers(" meowmeowmeow ") == {"Authorization": "meowmeowmeow"}
    with pytest.raises(ValueError):
        auth_headers("")
