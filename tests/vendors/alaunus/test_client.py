"""The Alaunus client against its sandbox over real HTTP: the bare API key, paging to the end, field errors from
the drafts and from Alaunus, and a 429 honoured by waiting for Retry-After."""

from __future__ import annotations

import datetime as dt
import time

import pytest

from portal.integrations.errors import AuthError, NotFound, ValidationFailed
from tests.vendors.alaunus.conftest import API_KEY
from vendors.alaunus.client import AlaunusAuth, AlaunusClient
from vendors.alaunus.schemas import Event, EventDraft, Patient
from vendors.base.client import VendorClient

pytestmark = pytest.mark.django_db


def bare_client(server, key: str) -> AlaunusClient:
    return AlaunusClient(VendorClient(vendor="Alaunus", base_url=server.vendor_url("alaunus"), auth=AlaunusAuth(key)))


def test_the_key_is_sent_bare_and_a_bearer_or_wrong_key_is_refused(alaunus_server, api):
    assert api.list_page("accounts")["total"] == 1
    for key in ("wrong-key", f"Bearer {API_KEY}"):
        with pytest.raises(AuthError) as refused:
            bare_client(alaunus_server, key).list_page("patients")
        assert refused.value.status == 401
        assert refused.value.body["error"]["code"] == "unauthorized"


def test_every_collection_reads_to_the_end_page_by_page(alaunus_server, api, vendor):
    for collection, records in vendor.data.items():
        pages = list(api.record_pages(collection, limit=5))
        assert [r.id for page in pages for r in page] == list(records), collection
        assert len(pages) == max(1, -(-len(records) // 5)), f"{collection}: pages of 5, no extra request"
    patients = list(api.records("patients", limit=4))
    assert all(isinstance(p, Patient) and not p.warnings for p in patients) and len(patients) == 6


def test_one_record_and_a_missing_one(api, vendor):
    event_id = next(iter(vendor.data["events"]))
    event = api.retrieve("events", event_id)
    assert isinstance(event, Event) and event.id == event_id and event.attendees[0].pay_rate is not None
    with pytest.raises(NotFound):
        api.retrieve("events", "000000000000000000000000")


def test_a_draft_that_breaks_the_rules_is_refused_with_field_errors_before_sending(alaunus_server, api):
    start = dt.datetime(2026, 11, 30, 14, tzinfo=dt.UTC)
    with pytest.raises(ValidationFailed) as refused:
        api.create_event(EventDraft(patient="", start=start, end=start - dt.timedelta(hours=1)))
    assert set(refused.value.field_errors) == {"patient", "end"}
    assert not [r for r in alaunus_server.requests if r[1] == "POST"], "nothing left the portal"


def test_alaunus_field_errors_surface_as_field_errors(api, vendor):
    start = dt.datetime(2026, 11, 30, 14, tzinfo=dt.UTC)
    draft = EventDraft(patient="ffffffffffffffffffffffff", start=start, end=start + dt.timedelta(hours=2))
    with pytest.raises(ValidationFailed) as refused:
        api.create_event(draft)
    assert refused.value.status == 422
    assert refused.value.field_errors == {"patient": ["No patient ffffffffffffffffffffffff."]}
    with pytest.raises(ValidationFailed) as too_big:
        api.list_page("events", limit=501)
    assert list(too_big.value.field_errors) == ["limit"]


def test_a_valid_visit_is_created_in_alaunus(api, vendor):
    patient = next(iter(vendor.data["patients"]))
    user = next(iter(vendor.data["users"]))
    start = dt.datetime(2026, 11, 30, 14, tzinfo=dt.UTC)
    created = api.create_event(
        EventDraft(patient=patient, start=start, end=start + dt.timedelta(hours=2), attendees=(user,))
    )
    assert vendor.data["events"][created["_id"]]["attendees"][0]["_id"] == user
    assert created["start"] == "2026-11-30T14:00:00Z" and created["duration"] == 2


def test_a_429_is_retried_after_the_vendors_retry_after(alaunus_server, api):
    alaunus_server.add_fault("429", count=1, vendor="alaunus", path="/skills")
    started = time.monotonic()
    body = api.list_page("skills")
    assert len(body["data"]) == 6
    assert time.monotonic() - started >= 0.9, "waited the 1 second Retry-After"
    statuses = [r[3] for r in alaunus_server.requests if r[2] == "/skills"]
    assert statuses == [429, 200]


def test_calls_are_logged_without_the_api_key(alaunus, api, caplog):
    with caplog.at_level("INFO", logger="vendors.http"):
        api.list_page("patients", since=None, patient="x")
    assert "Alaunus GET /patients" in caplog.text and API_KEY not in caplog.text
