"""Factories for shift rows, and the facility and talent rows they hang on (used by the contracts and billing
tests too)."""

from __future__ import annotations

import datetime as dt

import factory

from portal.jobs.models import Facility
from portal.shifts.localtime import shift_instants
from portal.shifts.models import ShiftRequest, Visit
from portal.talent.models import TalentProfile

__all__ = ["FacilityFactory", "ShiftRequestFactory", "TalentProfileFactory", "VisitFactory"]


class FacilityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Facility

    name = factory.Sequence(lambda n: f"Mercy General {n}")
    time_zone = "America/New_York"


class TalentProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TalentProfile

    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.Sequence(lambda n: f"nurse{n}@example.org")


class ShiftRequestFactory(factory.django.DjangoModelFactory):
    """A 07:00-15:00 day shift at the facility, on a fixed date so local-time assertions are stable."""

    class Meta:
        model = ShiftRequest

    facility = factory.SubFactory(FacilityFactory)
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
