"""Every vendor call has an overall deadline, and a sync run a maximum duration (issue 15 item 5), against a
trickling loopback vendor: each byte comes well inside httpx's per-read timeout, so only the deadline ends it."""

from __future__ import annotations

import time

import httpx
import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from portal.integrations.calls import deadline, time_left
from portal.integrations.errors import DeadlineExceeded
from portal.integrations.models import SyncRun, VendorConnection
from portal.integrations.registry import get_provider
from portal.integrations.sync import run_sync
from tests.support.trickle import TricklingServer
from vendors.base.client import VendorClient
from vendors.ceki.client import login


@pytest.fixture
def trickling():
    server = TricklingServer(interval=0.2, body=b'{"data": [' + b'{"id": 1}, ' * 200 + b"{}]}").start()
    yield server
    server.stop()


@pytest.fixture
def trickling_headers():
    server = TricklingServer(interval=0.2, headers_too=True).start()
    yield server
    server.stop()


def timed(call) -> tuple[BaseException, float]:
    started = time.monotonic()
    with pytest.raises(DeadlineExceeded) as caught:
        call()
    return caught.value, time.monotonic() - started


def test_a_trickled_body_is_cut_at_the_deadline_and_not_retried(trickling):
    client = VendorClient(vendor="Trickle Health", base_url=trickling.url, deadline=1.0)
    error, elapsed = timed(lambda: client.get("/shifts"))
    assert 1.0 <= elapsed < 1.8, f"the call took {elapsed:.2f} s"
    assert error.message == (
        "Trickle Health stopped sending: no complete answer before the deadline (at most 1 s a call on this "
        "connection)."
    )
    assert error.transient, "the outbox may try again later"
    assert trickling.requests == 1, "a GET is retried on errors, but not once its deadline is spent"
    assert trickling.bytes_sent >= 3, "bytes kept coming: no per-read timeout would ever have fired"


def test_trickled_headers_are_cut_at_the_deadline_too(trickling_headers):
    client = VendorClient(vendor="Trickle Health", base_url=trickling_headers.url, deadline=0.8)
    _, elapsed = timed(lambda: client.get("/shifts"))
    assert 0.8 <= elapsed < 1.6
    assert trickling_headers.bytes_sent >= 2


def test_an_enclosing_deadline_shortens_the_calls_inside_it(trickling):
    client = VendorClient(vendor="Trickle Health", base_url=trickling.url, deadline=30.0)
    with deadline(0.6):
        _, elapsed = timed(lambda: client.get("/shifts"))
        assert time_left() < 0
    assert 0.6 <= elapsed < 1.4
    assert time_left() is None


@pytest.mark.django_db
def test_the_connection_sets_its_deadline(trickling):
    connection = VendorConnection.objects.create(
        vendor="alaunus",
        name="Alaunus (slow)",
        base_url=trickling.url,
        credentials={"api_key": "k"},
        call_deadline_seconds=1,
    )
    client = get_provider("alaunus").client(connection)
    assert client.deadline == 1.0
    _, elapsed = timed(lambda: client.get("/skills"))
    assert 1.0 <= elapsed < 1.8


@pytest.mark.django_db
def test_a_sync_run_against_a_vendor_that_stops_sending_is_marked_failed_with_the_reason(trickling):
    connection = VendorConnection.objects.create(
        vendor="alaunus",
        name="Alaunus (slow)",
        base_url=trickling.url,
        credentials={"api_key": "k"},
        call_deadline_seconds=1,
    )
    started = time.monotonic()
    run = run_sync(connection, "skills")
    assert time.monotonic() - started < 2.5
    assert run.state == SyncRun.State.FAILED and run.finished_at is not None
    assert run.error.startswith("Alaunus stopped sending: no complete answer before the deadline")
    connection.refresh_from_db()
    assert connection.last_sync_status == VendorConnection.SyncStatus.FAILED
    assert "stopped sending" in connection.last_sync_error


@pytest.mark.django_db
def test_a_sync_run_stops_at_its_maximum_duration(trickling, settings):
    settings.SYNC_RUN_MAX_SECONDS = 1
    connection = VendorConnection.objects.create(
        vendor="alaunus", name="Alaunus (slow)", base_url=trickling.url, credentials={"api_key": "k"}
    )
    assert connection.call_deadline_seconds == 30, "the default: at most 30 s a call"
    started = time.monotonic()
    run = run_sync(connection, "skills")
    assert time.monotonic() - started < 2.5, "the run's maximum, not the call's 30 s, ended it"
    assert run.state == SyncRun.State.FAILED
    assert run.error.startswith("Stopped at the sync run's maximum duration (1 s): Alaunus stopped sending")


def test_cekis_otp_login_has_a_deadline_too(trickling, monkeypatch):
    """The Admin's OTP exchange uses its own short-lived httpx client: the same transport bounds it."""
    monkeypatch.setattr("vendors.ceki.client.DEFAULT_DEADLINE_SECONDS", 0.8)
    started = time.monotonic()
    with pytest.raises(httpx.TimeoutException):
        login(trickling.url, "coordinator@ceki.example", "246810")
    assert 0.8 <= time.monotonic() - started < 1.6


@pytest.mark.django_db
def test_an_admin_sets_a_connections_deadline_between_1_and_60_seconds(client, portal_admin):
    connection = VendorConnection.objects.create(vendor="alaunus", name="Alaunus", base_url="http://vendor.test")
    client.force_login(portal_admin)
    url = reverse("admin:integrations_vendorconnection_change", args=[connection.pk])
    assert 'name="call_deadline_seconds"' in client.get(url).content.decode()
    for refused in (0, 61):
        connection.call_deadline_seconds = refused
        with pytest.raises(ValidationError):
            connection.full_clean()
