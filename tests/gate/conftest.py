"""Helpers for the gate's tests: book a person at wall-clock times in a facility's zone."""

from __future__ import annotations

import datetime as dt

import pytest

from portal.core.timezones import local_to_utc
from portal.talent.assignment_gate import Booking
from tests.jobs.factories import FacilityFactory
from tests.talent.factories import TalentProfileFactory

NEW_YORK = "America/New_York"


def at(day: dt.date, hour: int, zone: str = NEW_YORK) -> dt.datetime:
    return local_to_utc(dt.datetime.combine(day, dt.time(hour)), zone)


@pytest.fixture
def person(db):
    return TalentProfileFactory(first_name="Ana", last_name="Reyes")


@pytest.fixture
def facility(db):
    return FacilityFactory(name="Mercy North", time_zone=NEW_YORK)


@pytest.fixture
def booking(person, facility):
    """`booking(day, start_hour, hours)`: a booking of `person` at `facility`, on the facility's clock."""

    def make(day: dt.date, hour: int, hours: int, about: tuple[str, int] | None = None) -> Booking:
        start = at(day, hour)
        end = local_to_utc(dt.datetime.combine(day, dt.time(hour)) + dt.timedelta(hours=hours), NEW_YORK)
        return Booking(person.pk, start, end, facility.pk, NEW_YORK, about, "RN at Mercy North")

    return make
