"""Factories for engagements and Ceki contracts."""

from __future__ import annotations

import datetime as dt

import factory

from portal.contracts.models import (
    Contract,
    ContractEvent,
    ContractParticipant,
    CredentialingRequirement,
    Engagement,
    EngagementExtension,
    EngagementNote,
    TimeEntry,
)
from tests.talent.factories import TalentProfileFactory

__all__ = [
    "ContractEventFactory",
    "ContractFactory",
    "CredentialingRequirementFactory",
    "EngagementFactory",
    "ExtensionFactory",
    "NoteFactory",
    "ParticipantFactory",
    "TimeEntryFactory",
]


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


class ExtensionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EngagementExtension

    engagement = factory.SubFactory(EngagementFactory)
    starts_on = dt.date(2026, 5, 31)
    ends_on = dt.date(2026, 8, 29)


class NoteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EngagementNote

    engagement = factory.SubFactory(EngagementFactory)
    content = "Prefers nights; compact licence pending."


class ContractEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ContractEvent

    contract = factory.SubFactory(ContractFactory)
    label = "Night cover"
    starts_at = dt.datetime(2026, 3, 3, 4, tzinfo=dt.UTC)
    duration_minutes = 480


class TimeEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TimeEntry

    contract = factory.SubFactory(ContractFactory)
    label = "Charting"
    started_at = dt.datetime(2026, 3, 3, 13, tzinfo=dt.UTC)
    stopped_at = dt.datetime(2026, 3, 3, 15, tzinfo=dt.UTC)
