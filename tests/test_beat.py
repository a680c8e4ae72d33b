"""Exactly one beat (issue 21): two beats on two "hosts" share Redis; each periodic task is sent once per
interval, by the holder of the lease, and the standby takes over when the leader dies."""

from __future__ import annotations

import json
import re
import time
from collections import Counter

import pytest
import redis
from django.conf import settings

from portal.core.beat import LEASE_KEY
from tests.support.processes import CeleryBeatProcess, purge_broker, wait_until

pytestmark = pytest.mark.worker

LEASE_SECONDS = 2.0
HEARTBEAT = "portal.core.tasks.record_worker_heartbeat"
FAST_INTERVALS = {HEARTBEAT: 0.5, "integrations.sweep_webhook_inbox": 1.0}


def published() -> Counter:
    """Messages waiting in the broker, by task name (no worker consumes them in this test)."""
    client = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    counts: Counter = Counter()
    for queue in settings.PORTAL_QUEUES:
        for raw in client.lrange(queue, 0, -1):
            counts[json.loads(raw)["headers"]["task"]] += 1
    return counts


def sent_by(beat: CeleryBeatProcess) -> Counter:
    return Counter(re.findall(r"Sending due task \S+ \((\S+)\)", beat.log()))


@pytest.fixture
def two_beats(broker_to_ourselves):
    purge_broker()
    redis.Redis.from_url(settings.CELERY_BROKER_URL).delete(LEASE_KEY)
    env = {"DJANGO_SETTINGS_MODULE": "tests.support.beat_settings", "PORTAL_BEAT_LEASE_SECONDS": str(LEASE_SECONDS)}
    beats = [CeleryBeatProcess(extra_env=env), CeleryBeatProcess(extra_env=env)]
    yield beats
    for beat in beats:
        beat.stop()
    purge_broker()


def test_two_beats_send_each_periodic_task_once_and_the_standby_takes_over(two_beats):
    started = time.monotonic()
    for beat in two_beats:
        beat.start()
    # Both beats run side by side for two lease lengths: eight heartbeats at 0.5 s from whichever leads.
    wait_until(
        lambda: max(sent_by(beat)[HEARTBEAT] for beat in two_beats) >= 8, timeout=15, message="two lease lengths"
    )
    holder = redis.Redis.from_url(settings.CELERY_BROKER_URL).get(LEASE_KEY).decode()
    [leader] = [beat for beat in two_beats if f":{beat.process.pid}:" in holder]
    [standby] = [beat for beat in two_beats if beat is not leader]
    assert sum(sent_by(standby).values()) == 0, "the standby sent nothing while the leader held the lease"
    assert sent_by(leader)[HEARTBEAT] >= 4

    leader.kill()  # the leader's host dies: no release, its lease runs out
    wait_until(lambda: sum(sent_by(standby).values()) >= 4, timeout=LEASE_SECONDS + 6, message="the standby to lead")
    standby.stop()
    elapsed = time.monotonic() - started

    counts = published()
    logged = sent_by(leader) + sent_by(standby)
    # Celery logs "Sending due task" just before it publishes, so a beat killed or stopped between the two logged
    # a message that never reached the broker: at most one such message for each of the two beats.
    assert not counts - logged, "every message in the broker was logged by one beat"
    assert sum((logged - counts).values()) <= 2, f"logged {logged}, in the broker {counts}"
    for task, interval in FAST_INTERVALS.items():
        assert 0 < counts[task] <= elapsed / interval + 1, f"{task} sent {counts[task]} times in {elapsed:.1f}s"
