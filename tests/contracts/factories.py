"""Factories for engagements and Ceki contracts."""

from __future__ import annotations

import datetime as dt

import factory

from portal.contracts.models import Contract, ContractParticipant, CredentialingRequirement, Engagement
from tests.talent.factories import TalentProfileFactory

__all__ = ["ContractFactory", "CredentialingRequirementFactory", "EngagementFactory", "ParticipantFactory"]


class EngagementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Engagement

    talent = factory.SubFactory(TalentProfileFactory)
    starts_on = dt.date(2026, 3, 2)
    ends_on = dt.date(2026, 5, 30)
    regular_hourly_rate = "62.50"


class CredentialingRequirementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CredentialingRequirement

    engagement = factory.SubFactory(EngagementFactory)
    name = "BLS - Basic Life Support"
    kind = "certification"


class ContractFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contract

    label = factory.Sequence(lambda n: f"ICU coverage {n}")


class ParticipantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ContractParticipant

    contract = factory.SubFactory(ContractFactory)
    talent = factory.SubFactory(TalentProfileFactory)
    role = "specialist"
    accepted = True
