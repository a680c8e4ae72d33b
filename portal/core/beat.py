"""Exactly one beat across hosts (issue 21): every host may run `celery beat`, only the holder of a lease in Redis
sends. The others keep their schedule moving without sending, so a standby that takes over after the leader died
(its lease ran out) carries on the same rhythm instead of firing everything at once.

On the embedded default (filesystem broker, one machine) there is no Redis and one beat: it always leads.
"""

from __future__ import annotations

import logging
import math
import os
import socket
import time
import uuid

import redis
from celery.beat import PersistentScheduler
from django.conf import settings

__all__ = ["BeatLease", "SingleBeatScheduler"]

logger = logging.getLogger(__name__)

LEASE_KEY = "portal:beat:leader"

# Take the lease if nobody holds it, extend it if we do; atomic, so two beats never both hold it.
_HOLD = """
local holder = redis.call('GET', KEYS[1])
if holder == ARGV[1] then redis.call('PEXPIRE', KEYS[1], ARGV[2]) return 1 end
if not holder then redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2]) return 1 end
return 0
"""
_RELEASE = """
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
"""


class BeatLease:
    """A lease in Redis (`SET NX PX` and a renewal that only its holder can make) naming the beat that sends."""

    def __init__(self, url: str, seconds: float, key: str = LEASE_KEY) -> None:
        self.client = redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)
        self.seconds, self.key = seconds, key
        self.token = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"

    def hold(self) -> bool:
        return bool(self.client.eval(_HOLD, 1, self.key, self.token, int(self.seconds * 1000)))

    def release(self) -> None:
        self.client.eval(_RELEASE, 1, self.key, self.token)

    def holder(self) -> str | None:
        value = self.client.get(self.key)
        return value.decode() if value else None


def lease_for_broker(broker_url: str, seconds: float) -> BeatLease | None:
    return BeatLease(broker_url, seconds) if broker_url.startswith(("redis://", "rediss://")) else None


class SingleBeatScheduler(PersistentScheduler):
    """Celery's file-backed scheduler that sends only while it holds the beat lease."""

    def __init__(self, app, *args, **kwargs) -> None:
        self.lease = lease_for_broker(app.conf.broker_url or "", settings.PORTAL_BEAT_LEASE_SECONDS)
        self.leading_until = 0.0 if self.lease else math.inf
        self.next_check = 0.0
        super().__init__(app, *args, **kwargs)

    @property
    def leading(self) -> bool:
        return time.monotonic() < self.leading_until

    def tick(self, *args, **kwargs) -> float:
        if self.lease is None:
            return super().tick(*args, **kwargs)
        self.check_lease()
        # Wake up often enough to renew the lease well before it runs out.
        return min(super().tick(*args, **kwargs), self.lease.seconds / 3)

    def check_lease(self) -> None:
        now = time.monotonic()
        if now < self.next_check:
            return
        was_leading = self.leading
        try:
            held = self.lease.hold()
        except redis.RedisError as exc:
            logger.warning("beat: cannot reach Redis for the lease (%s); sending stops when it runs out", exc)
            held = None
        if held:
            # Stop a little before Redis lets the key expire, so two beats never send in the same instant.
            self.leading_until = now + self.lease.seconds * 0.9
        elif held is False:
            self.leading_until = 0.0
        self.next_check = now + self.lease.seconds / 3
        if self.leading != was_leading:
            logger.info("beat: %s (lease %s)", "leading" if self.leading else "standing by", self.lease.token)

    def apply_entry(self, entry, producer=None) -> None:
        if self.leading:
            super().apply_entry(entry, producer=producer)
        else:
            logger.debug("beat: standing by, %s not sent", entry.name)

    def close(self) -> None:
        if self.lease is not None and self.leading:
            try:
                self.lease.release()  # a standby takes over at its next check instead of waiting out the lease
            except redis.RedisError:
                logger.warning("beat: could not release the lease; it runs out by itself")
        super().close()
