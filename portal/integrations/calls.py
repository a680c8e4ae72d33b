"""What the portal sets around the vendor calls it makes, for any vendor's client and readers to honour.

A sync run (or an outbound send) gives its calls one overall deadline and a sink for the record totals a vendor
announces; both travel in context variables, so they reach a reader's prefetching thread without being passed
through every vendor function. Clients are reused per connection and process, so connections and TLS are too.
"""

from __future__ import annotations

import contextlib
import contextvars
import os
import threading
import time
from collections.abc import Callable, Iterator
from typing import Protocol, TypeVar

__all__ = ["Client", "cached_client", "deadline", "expect_records", "expected_records_to", "time_left"]

# time.monotonic() by which the current call (or sync run) must be over; None outside any call.
_deadline: contextvars.ContextVar[float | None] = contextvars.ContextVar("vendor_call_deadline", default=None)

_expected_sink: contextvars.ContextVar[Callable[[int], None] | None] = contextvars.ContextVar(
    "expected_records_sink", default=None
)


@contextlib.contextmanager
def deadline(seconds: float) -> Iterator[float]:
    """Vendor calls inside end within `seconds` from now (or sooner, if an enclosing deadline says so)."""
    ends = time.monotonic() + seconds
    outer = _deadline.get()
    token = _deadline.set(ends if outer is None else min(outer, ends))
    try:
        yield _deadline.get()
    finally:
        _deadline.reset(token)


def time_left() -> float | None:
    """Seconds before the current deadline (negative once past it); None when there is none."""
    ends = _deadline.get()
    return None if ends is None else ends - time.monotonic()


def expect_records(count: int) -> None:
    """A reader whose vendor says how many records a list holds tells the sync running it (a progress bar).

    Called once per list as its first page arrives; a resource read from several lists reports each. Safe in
    a prefetching thread: the sink is carried in the context and must not touch the database.
    """
    sink = _expected_sink.get()
    if sink is not None:
        sink(count)


@contextlib.contextmanager
def expected_records_to(sink: Callable[[int], None]) -> Iterator[None]:
    """While inside, `expect_records(n)` calls `sink(n)` (the sync run's collector)."""
    token = _expected_sink.set(sink)
    try:
        yield
    finally:
        _expected_sink.reset(token)


class Client(Protocol):
    """What the portal needs of a vendor's client: a per-call deadline it sets, and closing a replaced one."""

    deadline: float

    def close(self) -> None: ...


C = TypeVar("C", bound=Client)

_clients: dict[tuple, Client] = {}
_clients_lock = threading.Lock()


def cached_client(key: tuple, factory: Callable[[], C]) -> C:
    """One client per connection (and its credentials' version) per process: connections and TLS are reused.

    The process id is part of the key so a forked worker never shares its parent's sockets.
    """
    full_key = (os.getpid(), *key)
    with _clients_lock:
        client = _clients.get(full_key)
        if client is None:
            # (pid, vendor, connection id): an older version of this connection's client is closed.
            stale = [k for k in _clients if k[:3] == full_key[:3]]
            for k in stale:
                _clients.pop(k).close()
            client = _clients[full_key] = factory()
        return client  # type: ignore[return-value]  (the factory built it for this key)
