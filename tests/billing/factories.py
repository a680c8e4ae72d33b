"""Factories for Ceki transactions and bills, Alaunus invoices and payrolls."""

from __future__ import annotations

import datetime as dt

import factory
from django.contrib.auth import get_user_model

from portal.billing.models import (
    Bill,
    BillLineItem,
    ExceptionResolution,
    Invoice,
    InvoiceLine,
    Payroll,
    PayrollEntry,
    RateCard,
    Transaction,
    VendorDispute,
)
from tests.contracts.factories import ContractFactory, ParticipantFactory
from tests.jobs.factories import ClientFactory
from tests.talent.factories import TalentProfileFactory

__all__ = [
    "BillFactory",
    "BillLineItemFactory",
    "ExceptionResolutionFactory",
    "InvoiceFactory",
    "InvoiceLineFactory",
    "PayrollEntryFactory",
    "PayrollFactory",
    "RateCardFactory",
    "TransactionFactory",
    "VendorDisputeFactory",
]


class TransactionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Transaction

    beneficiary = factory.SubFactory(ParticipantFactory)
    contract = factory.SelfAttribute("beneficiary.contract")
    amount = "480.00"
    hours = "8.00"
    occurred_at = dt.datetime(2026, 3, 2, 20, tzinfo=dt.UTC)


class BillFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Bill

    contract = factory.SubFactory(ContractFactory)
    label = factory.Sequence(lambda n: f"March week {n}")


class BillLineItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BillLineItem

    bill = factory.SubFactory(BillFactory)
    description = "Night cover"
    amount = "480.00"


class InvoiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Invoice

    number = factory.Sequence(lambda n: f"INV-{1000 + n}")
    invoice_date = dt.date(2026, 3, 31)
    subtotal = "1200.00"
    tax_total = "156.00"
    amount_due = "1356.00"


class InvoiceLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = InvoiceLine

    invoice = factory.SubFactory(InvoiceFactory)
    description = "Personal care, 30 h"
    amount = "1200.00"


class PayrollFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Payroll

    period_start = dt.date(2026, 3, 1)
    period_end = dt.date(2026, 3, 14)
    period_type = "biweekly"


class PayrollEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PayrollEntry

    payroll = factory.SubFactory(PayrollFactory)
    talent = factory.SubFactory(TalentProfileFactory)
    hours = "60.00"
    gross_pay = "1500.00"


class RateCardFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RateCard

    client = factory.SubFactory(ClientFactory)
    profession = "RN"
    shift_kind = "day"
    effective_from = dt.date(2026, 1, 1)
    bill_rate = "60.00"
    pay_rate = "40.00"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = "reconciler"


class ExceptionResolutionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ExceptionResolution

    key = factory.Sequence(lambda n: f"hours_differ/ceki-charge/transaction:{n + 1}")
    work_at = dt.datetime(2026, 3, 2, 14, tzinfo=dt.UTC)
    reason = "Agreed with the client by phone"
    resolved_by = factory.SubFactory(UserFactory)
    resolved_at = dt.datetime(2026, 3, 20, 9, tzinfo=dt.UTC)


class VendorDisputeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = VendorDispute

    kind = VendorDispute.Kind.HOLD_CHARGE
    transaction = factory.SubFactory(TransactionFactory)
    exception_key = factory.LazyAttribute(lambda o: f"hours_differ/ceki-charge/transaction:{o.transaction.pk}")
    work_at = dt.datetime(2026, 3, 2, 14, tzinfo=dt.UTC)
    note = "The time log says two hours more"
    raised_by = factory.SubFactory(UserFactory)
    raised_at = dt.datetime(2026, 3, 20, 9, tzinfo=dt.UTC)
