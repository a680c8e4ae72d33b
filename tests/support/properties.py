"""Hypothesis settings for property tests that touch the database: bounded, so they stay well under a minute in
CI on a shared two-core machine, and without a per-example deadline (a database round trip varies)."""

from __future__ import annotations

from contextlib import contextmanager

from django.db import transaction
from hypothesis import HealthCheck, Phase, settings

__all__ = ["database_property", "rolled_back"]

# Function-scoped fixtures (the test's database, a connection row) are shared by the examples on purpose: each
# example undoes its own writes (`rolled_back`).
database_property = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    phases=[Phase.explicit, Phase.reuse, Phase.generate, Phase.shrink],  # no slow "explain" phase
)


@contextmanager
def rolled_back():
    """One example's writes, in a savepoint rolled back at the end, so the next example starts from the same rows."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)
