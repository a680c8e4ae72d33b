"""Factories for Ceki transactions."""

from __future__ import annotations

import datetime as dt

import factory

from portal.billing.models import Transaction
from tests.contracts.factories import ParticipantFactory

__all__ = ["TransactionFactory"]


class TransactionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Transaction

    beneficiary = factory.SubFactory(ParticipantFactory)
    contract = factory.SelfAttribute("beneficiary.contract")
    amount = "480.00"
    hours = "8.00"
    occurred_at = dt.datetime(2026, 3, 2, 20, tzinfo=dt.UTC)
