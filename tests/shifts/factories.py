"""Factories for shift rows; facilities and talent come from the jobs and talent factories."""

from __future__ import annotations

import datetime as dt

import factory

from portal.shifts.localtime import shift_instants
from portal.shifts.models import RecurringVisitGroup, ShiftRequest, Timecard, Visit
from tests.jobs.factories import FacilityFactory

__all__ = ["RecurringVisitGroupFactory", "ShiftRequestFactory", "TimecardFactory", "VisitFactory"]


class ShiftRequestFactory(factory.django.DjangoModelFactory):
    """A 07:00-15:00 day shift at the facility, on a fixed date so local-time assertions are stable."""

    class Meta:
        model = ShiftRequest

    facility = factory.SubFactory(FacilityFactory, time_zone="America/New_York")
    unit = "1st Floor"
    professional_type = "LPN"
    starts_at = factory.LazyAttribute(
        lambda o: shift_instants(dt.date(2026, 3, 2), dt.time(7), dt.time(15), o.facility.time_zone)[0]
    )
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + dt.timedelta(hours=8))


class VisitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Visit

    service_name = "Personal care"
    starts_at = dt.datetime(2026, 3, 2, 14, tzinfo=dt.UTC)
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + dt.timedelta(hours=2))


class RecurringVisitGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RecurringVisitGroup

    service_name = "Companionship"
    starts_at = dt.datetime(2026, 3, 2, 14, tzinfo=dt.UTC)
    ends_at = dt.datetime(2026, 3, 2, 16, tzinfo=dt.UTC)
    byweekday = ["MO", "TH"]
    count = 8


class TimecardFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Timecard

    shift = factory.SubFactory(ShiftRequestFactory)
    check_in = factory.SelfAttribute("shift.starts_at")
    check_out = factory.SelfAttribute("shift.ends_at")
    break_minutes = 30
