"""The one backoff rule of the inbox and the outbox: exponential with full jitter, never past its cap."""

from __future__ import annotations

import random
import statistics

from hypothesis import given
from hypothesis import strategies as st

from portal.integrations.retrying import backoff, ceiling

attempts = st.integers(min_value=1, max_value=10_000)
caps = st.floats(min_value=0.001, max_value=86_400, allow_nan=False)
seeds = st.integers(min_value=0, max_value=2**32)


@given(attempts, caps, seeds)
def test_a_wait_is_never_negative_and_never_past_the_cap(attempt, cap, seed):
    wait = backoff(attempt, cap, rng=random.Random(seed))
    assert 0.0 <= wait <= ceiling(attempt, cap) <= cap


@given(attempts, attempts, caps)
def test_the_longest_wait_never_shrinks_as_attempts_fail(first, second, cap):
    earlier, later = sorted((first, second))
    assert ceiling(earlier, cap) <= ceiling(later, cap)


@given(st.integers(min_value=1, max_value=12), st.integers(min_value=1, max_value=6), seeds)
def test_waits_grow_with_the_attempts_on_average_until_the_cap(attempt, more, seed):
    cap = 300.0
    rng = random.Random(seed)

    def mean_wait(n: int) -> float:
        return statistics.fmean(backoff(n, cap, rng=rng) for _ in range(400))

    sooner, later = mean_wait(attempt), mean_wait(attempt + more)
    if ceiling(attempt + more, cap) >= 2 * ceiling(attempt, cap):
        assert later > sooner
    else:  # both near or at the cap: about the same, never much shorter
        assert later >= sooner - 0.1 * cap


def test_the_first_retries_come_within_seconds_and_the_cap_holds_later():
    assert ceiling(1, 300) == 2.0 and ceiling(5, 300) == 32.0 and ceiling(9, 300) == 300.0
    assert ceiling(10**9, 300) == 300.0, "no overflow however many attempts failed"
