"""factory_boy factories for people; other apps' tests reuse `TalentProfileFactory` for assignments."""

from __future__ import annotations

import datetime as dt

import factory

from portal.talent.models import AccountRelationship, CandidateStatus, Skill, TalentProfile, TalentReference
from tests.jobs.factories import ProfessionFactory, VendorConnectionFactory

__all__ = [
    "AccountRelationshipFactory",
    "CandidateStatusFactory",
    "SkillFactory",
    "TalentProfileFactory",
    "TalentReferenceFactory",
]


class SkillFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Skill

    title = factory.Sequence(lambda n: f"Dementia care {n}")


class TalentProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TalentProfile

    first_name = "Maria"
    last_name = factory.Sequence(lambda n: f"Lopez{n}")
    email = factory.Sequence(lambda n: f"maria.lopez{n}@example.org")
    phone = "312-555-0100"
    profession = factory.SubFactory(ProfessionFactory)
    years_experience = 6


class TalentReferenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TalentReference

    profile = factory.SubFactory(TalentProfileFactory)
    connection = factory.SubFactory(VendorConnectionFactory)
    external_id = factory.Sequence(lambda n: f"kamana-profile-{n}")
    email = factory.SelfAttribute("profile.email")
    vendor_data = factory.LazyAttribute(lambda o: {"first_name": "Maria", "claimed": True, "id": o.external_id})


class AccountRelationshipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AccountRelationship

    profile = factory.SubFactory(TalentProfileFactory)
    account_ref = "acct-1"
    status = AccountRelationship.Status.INTERESTED
    source = "Direct"


class CandidateStatusFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CandidateStatus

    profile = factory.SubFactory(TalentProfileFactory)
    account = "AAAA_1234"
    candidate_email = factory.SelfAttribute("profile.email")
    vendor_key = "portal"
    requisition_id = factory.Sequence(lambda n: f"req-{n}")
    requisition_title = "ICU Registered Nurse"
    status_level = CandidateStatus.Level.APPLICATION
    status = "First Interview"
    status_date = dt.datetime(2026, 11, 2, 15, 30, tzinfo=dt.UTC)
