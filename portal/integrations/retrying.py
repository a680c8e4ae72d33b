"""How long a failed attempt waits before the next: one rule for the webhook inbox and the outbox.

Exponential backoff with full jitter (the AWS architecture blog's "Exponential Backoff and Jitter"): the wait is
drawn uniformly from [0, min(cap, base * 2 ** attempt)], so retries of many rows that failed together (a vendor's
outage, two drains contending for one shift's lock) spread out instead of colliding again in step. A vendor's own
`Retry-After` wins over this where it is given (`outbox`).
"""

from __future__ import annotations

import random

__all__ = ["backoff", "ceiling"]

# Past this many doublings every cap the portal uses is reached; it keeps 2 ** attempt a small float.
_MAX_DOUBLINGS = 32


def ceiling(attempt: int, cap: float, base: float = 1.0) -> float:
    """The longest wait after failed attempt number `attempt` (counted from 1): doubles each time, up to `cap`."""
    return min(float(cap), base * 2.0 ** min(max(attempt, 0), _MAX_DOUBLINGS))


def backoff(attempt: int, cap: float, *, base: float = 1.0, rng: random.Random | None = None) -> float:
    """Seconds to wait after failed attempt number `attempt`: uniform in [0, ceiling(attempt, cap, base)]."""
    return (rng or random).uniform(0.0, ceiling(attempt, cap, base))
