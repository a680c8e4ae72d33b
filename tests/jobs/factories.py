"""factory_boy factories for the demand side; other apps' tests reuse them for facilities and professions."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import factory

from portal.integrations.models import VendorConnection
from portal.jobs.models import (
    Client,
    ClientContact,
    Facility,
    JobRequisition,
    Patient,
    Profession,
    Province,
    Specialty,
)

__all__ = [
    "ClientContactFactory",
    "ClientFactory",
    "FacilityFactory",
    "JobRequisitionFactory",
    "PatientFactory",
    "ProfessionFactory",
    "ProvinceFactory",
    "SpecialtyFactory",
    "VendorConnectionFactory",
]


class VendorConnectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = VendorConnection

    vendor = "kamana"
    name = factory.Sequence(lambda n: f"Kamana account {n}")
    base_url = "https://kamana.test/api"


class ProvinceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Province
        django_get_or_create = ("connection", "country", "abbreviation")  # codes are unique per connection

    connection = None
    name = "Illinois"
    abbreviation = "IL"
    country = "US"


class ProfessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Profession
        django_get_or_create = ("connection", "abbreviation")

    connection = None
    name = "Registered Nurse"
    abbreviation = "RN"


class SpecialtyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Specialty

    name = factory.Sequence(lambda n: f"Specialty {n}")
    profession = factory.SubFactory(ProfessionFactory)


class ClientFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Client

    name = factory.Sequence(lambda n: f"Lakeside Health System {n}")
    email = factory.Sequence(lambda n: f"staffing{n}@lakeside.test")


class ClientContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ClientContact

    client = factory.SubFactory(ClientFactory)
    first_name = "Dana"
    last_name = factory.Sequence(lambda n: f"Whitfield{n}")
    email = factory.Sequence(lambda n: f"dana{n}@lakeside.test")


class FacilityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Facility

    name = factory.Sequence(lambda n: f"Lakeside Medical Center {n}")
    client = factory.SubFactory(ClientFactory)
    province = factory.SubFactory(ProvinceFactory)
    street = "1200 W Harrison St"
    city = "Chicago"
    postal_code = "60607"
    time_zone = "America/Chicago"


class PatientFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Patient

    client = factory.SubFactory(ClientFactory)
    first_name = "Walter"
    last_name = factory.Sequence(lambda n: f"Brennan{n}")
    chart_id = factory.Sequence(lambda n: f"CH-{n:05d}")
    time_zone = "America/Denver"


class JobRequisitionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = JobRequisition

    name = factory.Sequence(lambda n: f"ICU Registered Nurse {n}")
    facility = factory.SubFactory(FacilityFactory)
    profession = factory.SubFactory(ProfessionFactory)
    specialty = factory.SubFactory(SpecialtyFactory, profession=factory.SelfAttribute("..profession"))
    job_type = JobRequisition.JobType.TRAVEL_CONTRACT
    starts_on = dt.date(2026, 12, 7)
    shift_start_hour = 19
    shift_end_hour = 7
    hours_per_week = Decimal("36")
    regular_hourly_rate = Decimal("68.50")
    weekly_gross_pay = Decimal("2466.00")
