"""Resolving exceptions with a reason: they leave the queue, a filter shows them with their reason, they can be
reopened; HTMX posts with CSRF by coordinators and admins only; audited; the page's queries stay constant."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from portal.billing.models import ExceptionResolution, Transaction
from portal.billing.reconciliation import reconcile
from portal.core.models import AuditEntry
from tests.billing.factories import VendorDisputeFactory
from tests.billing.test_reconciliation import PERIOD, SINCE, UNTIL, URL, plant_each_kind

pytestmark = pytest.mark.django_db

RESOLVE, REOPEN = f"{URL}resolve/", f"{URL}reopen/"
QUERY = "?first=2026-03-01&last=2026-03-14"
HTMX = {"HTTP_HX_REQUEST": "true"}


def _keys(client, **query) -> list[str]:
    return [row.exception.key for row in client.get(URL, {**PERIOD, **query}).context["rows"]]


def test_a_resolved_exception_leaves_the_queue_shows_under_resolved_and_can_be_reopened(coordinator_client):
    plant_each_kind()
    key = _keys(coordinator_client)[0]
    answer = coordinator_client.post(RESOLVE + QUERY, {"key": key, "reason": "Agreed with the client"}, **HTMX)
    assert answer.status_code == 200 and 'id="reconciliation-queue"' in answer.content.decode()
    assert "<html" not in answer.content.decode()  # the queue alone, swapped in place
    assert key not in _keys(coordinator_client)
    resolved = coordinator_client.get(URL, {**PERIOD, "show": "resolved"})
    assert [row.exception.key for row in resolved.context["rows"]] == [key]
    assert "Agreed with the client" in resolved.content.decode()
    assert "(1 resolved)" in resolved.content.decode()

    coordinator_client.post(REOPEN + QUERY, {"key": key}, **HTMX)
    assert key in _keys(coordinator_client)
    assert _keys(coordinator_client, show="resolved") == []
    row = ExceptionResolution.objects.get(key=key)
    assert row.reopened_at is not None and row.reason == "Agreed with the client"


def test_resolving_is_audited_with_who_and_a_second_click_keeps_the_first_reason(coordinator_client, coordinator):
    plant_each_kind()
    key = _keys(coordinator_client)[0]
    coordinator_client.post(RESOLVE + QUERY, {"key": key, "reason": "first"}, **HTMX)
    coordinator_client.post(RESOLVE + QUERY, {"key": key, "reason": "second"}, **HTMX)
    resolution = ExceptionResolution.objects.get()
    assert (resolution.reason, resolution.resolved_by) == ("first", coordinator)
    entry = AuditEntry.objects.get(object_id=str(resolution.pk), content_type__model="exceptionresolution")
    assert (entry.action, entry.actor, entry.source) == ("create", coordinator, "user")


def test_the_same_exception_computed_again_is_known_as_resolved():
    plant_each_kind()
    found = reconcile(SINCE, UNTIL).exceptions[0]
    again = reconcile(SINCE, UNTIL, show="resolved", resolved={found.key})
    assert [e.key for e in again.exceptions] == [found.key]
    assert sum(again.resolved_counts.values()) == 1


def test_only_an_exception_of_the_period_can_be_resolved(coordinator_client):
    plant_each_kind()
    assert (
        coordinator_client.post(RESOLVE + QUERY, {"key": "hours_differ/x/timecard:1", "reason": "no"}).status_code
        == 404
    )
    key = _keys(coordinator_client)[0]
    later = "?first=2026-04-01&last=2026-04-14"
    assert coordinator_client.post(RESOLVE + later, {"key": key, "reason": "no"}).status_code == 404
    assert not ExceptionResolution.objects.exists()


def test_a_reason_is_required(coordinator_client):
    plant_each_kind()
    key = _keys(coordinator_client)[0]
    answer = coordinator_client.post(RESOLVE + QUERY, {"key": key, "reason": "  "}, **HTMX)
    assert "This field is required." in answer.content.decode()
    assert not ExceptionResolution.objects.exists()


def test_api_clients_and_strangers_may_not_resolve(client, api_client_user, make_user):
    plant_each_kind()
    key = reconcile(SINCE, UNTIL).exceptions[0].key
    client.force_login(api_client_user)
    assert client.post(RESOLVE + QUERY, {"key": key, "reason": "machine"}).status_code == 403
    assert client.get(URL).status_code == 403
    client.force_login(make_user("nobody"))
    assert client.post(REOPEN + QUERY, {"key": key}).status_code == 403
    client.logout()
    assert client.post(RESOLVE + QUERY, {"key": key, "reason": "anon"}).status_code == 302
    assert not ExceptionResolution.objects.exists()


def test_a_post_without_the_csrf_token_is_refused(coordinator):
    plant_each_kind()
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(coordinator)
    key = reconcile(SINCE, UNTIL).exceptions[0].key
    assert strict.post(RESOLVE + QUERY, {"key": key, "reason": "forged"}, **HTMX).status_code == 403
    assert not ExceptionResolution.objects.exists()


def test_a_plain_post_comes_back_to_the_queue(coordinator_client):
    plant_each_kind()
    key = _keys(coordinator_client)[0]
    answer = coordinator_client.post(RESOLVE + QUERY, {"key": key, "reason": "fine"})
    assert answer.status_code == 302 and answer["Location"].startswith(URL + "?first=2026-03-01")


def _page_queries(client, copies: int, listed: int) -> int:
    for _ in range(copies):
        plant_each_kind()
    keys = _keys(client)
    for key in keys[::3]:
        client.post(RESOLVE + QUERY, {"key": key, "reason": "checked"}, **HTMX)
    for key in keys:  # disputes listed beside their exceptions (none reached a vendor here)
        if "/transaction:" in key:
            charge = Transaction.objects.get(pk=int(key.rpartition(":")[2]))
            VendorDisputeFactory(transaction=charge, exception_key=key)
    client.get(URL, {**PERIOD, "show": "all"})
    with CaptureQueriesContext(connection) as queries:
        response = client.get(URL, {**PERIOD, "show": "all"})
    assert len(response.context["rows"]) == listed
    assert any(row.resolution for row in response.context["rows"])
    assert any(row.disputes for row in response.context["rows"])
    return len(queries)


def test_the_queue_with_resolutions_costs_the_same_queries_at_two_sizes(coordinator_client):
    small = _page_queries(coordinator_client, 1, listed=7)
    large = _page_queries(coordinator_client, 6, listed=49)
    assert small == large <= 19


def test_what_a_vendor_refused_of_an_answered_call_is_shown_as_its_refusal():
    from types import SimpleNamespace

    from portal.billing.disputes import FiledDispute

    refused = SimpleNamespace(vendor_response={"errors": ["checkOut must be after checkIn"]})
    assert FiledDispute(None, refused).refusal == "checkOut must be after checkIn"
    assert FiledDispute(None, SimpleNamespace(vendor_response={"errors": None})).refusal == ""
    assert FiledDispute(None, None).refusal == ""
