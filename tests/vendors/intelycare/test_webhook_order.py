"""Loopback (issue 14): 2,000 signed IntelyCare deliveries over real HTTP, ~10 % repeated and ~5 % overtaken by
newer ones, while the Celery worker applying them is SIGKILLed twice: nothing lost, nothing applied twice, every
shift in the state in-order delivery gives. The test plays beat (the inbox sweep), so an event whose retry was
scheduled on a killed worker is applied seconds later, not after Redis's hour of visibility timeout."""

from __future__ import annotations

import hashlib
import hmac
import time
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from django.conf import settings
from django.db.models import Count

from portal.integrations.models import WebhookEvent
from portal.integrations.tasks import sweep_webhook_inbox
from portal.shifts.models import ShiftRequest
from tests.jobs.factories import FacilityFactory
from tests.shifts.factories import ShiftRequestFactory
from tests.support.deliveries import make_stream, verdict
from tests.support.processes import CeleryWorkerProcess, wait_until
from tests.vendors.intelycare.fixtures import WEBHOOK_SECRET

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

DELIVERIES = 2000
SWEEP_EVERY = settings.CELERY_BEAT_SCHEDULE["webhook-inbox-sweep"]["schedule"]


@pytest.fixture
def worker(django_db_blocker):
    """A worker of this test's own, so killing it leaves the session's worker alone."""
    process = CeleryWorkerProcess().start()
    yield process
    process.stop()


def as_beat(done):
    """`done`, asked while this process plays beat: the inbox sweep every 5 s, as the beat schedule runs it (a
    retry whose drain died with a killed worker is found by it, not by Redis an hour later)."""
    last_sweep = [-SWEEP_EVERY]

    def check() -> bool:
        if time.monotonic() - last_sweep[0] >= SWEEP_EVERY:
            sweep_webhook_inbox()
            last_sweep[0] = time.monotonic()
        return done()

    return check


def by_state_and_attempts() -> dict[tuple[str, int], int]:
    """How the stored deliveries stand, for a failure to explain itself."""
    rows = WebhookEvent.objects.values_list("state", "attempts").annotate(n=Count("pk")).order_by("state", "attempts")
    return {(state, attempts): n for state, attempts, n in rows}


def test_a_stream_with_repeats_late_arrivals_and_two_killed_workers_ends_true(intelycare, live_server, worker):
    facility = FacilityFactory(time_zone="America/New_York")
    shifts = ShiftRequest.objects.bulk_create(
        ShiftRequestFactory.build_batch(DELIVERIES // 3, connection=intelycare, facility=facility)
    )
    stream = make_stream([shift.external_shift_id for shift in shifts], DELIVERIES)
    assert len(stream.deliveries) >= DELIVERIES * 0.95 and stream.distinct < len(stream.deliveries)
    url = live_server.url + intelycare.webhook_path
    kills = []
    started = time.monotonic()

    with httpx.Client(timeout=30) as client, ThreadPoolExecutor(4) as pool:

        def send(body: bytes) -> int:
            signature = hmac.new(WEBHOOK_SECRET.encode(), body, hashlib.sha256).hexdigest()
            headers = {"Content-Type": "application/json", "X-Signature-IC": signature}
            return client.post(url, content=body, headers=headers).status_code

        chunk = 50
        for start in range(0, len(stream.deliveries), chunk):
            codes = list(pool.map(send, stream.deliveries[start : start + chunk]))
            assert set(codes) <= {200, 202}, codes
            due = len(kills) < 2 and start >= len(stream.deliveries) * (len(kills) + 1) // 3
            if due and WebhookEvent.objects.filter(state="processed").exists():
                applying = WebhookEvent.objects.filter(state="queued").exists()
                worker.kill()  # mid-stream, mid-drain: its batch's transaction dies with it
                kills.append(applying)
                worker.start()
    assert kills == [True, True], "killed twice while events were waiting to be applied"
    sent_in = time.monotonic() - started

    try:
        wait_until(
            as_beat(lambda: not WebhookEvent.objects.filter(state__in=["queued", "failed"]).exists()),
            timeout=300,  # a bound for a loaded 2-core machine; the figure printed below is the measurement
            interval=0.5,
            message="every stored delivery applied",
        )
    except AssertionError as timeout:
        raise AssertionError(f"{timeout}; events by state and attempts: {by_state_and_attempts()}") from None
    result = verdict(intelycare, stream)
    took = f"sent in {sent_in:.0f} s, all applied after {time.monotonic() - started:.0f} s"
    print(f"{len(stream.deliveries)} deliveries ({stream.distinct} distinct), {took}: {result}")
    print(f"events by state and attempts: {by_state_and_attempts()}")
    assert (result.lost, result.applied_twice, result.wrong) == (0, 0, [])
    assert WebhookEvent.objects.filter(state="duplicate").count() == len(stream.deliveries) - stream.distinct
