"""Today's tests run at a fixed instant (tests/dashboard/scenario.py), so every expected figure is known."""

from __future__ import annotations

import pytest
import time_machine

from portal.dashboard.models import CoordinatorPreferences
from tests.dashboard.scenario import NOW, ZONE


@pytest.fixture
def at_now():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def in_new_york(coordinator):
    """The coordinator reads their day in New York (the scenario's facilities' zone)."""
    return CoordinatorPreferences.objects.create(user=coordinator, time_zone=str(ZONE))
