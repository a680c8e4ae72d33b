"""Demo money: charges and deposits in every status on the demo contracts, a paid bill made of approved work,
home-care invoices with services and taxes at the rate cards (`rate_demo`), a payroll period with an entry per
caregiver, and one of each reconciliation exception."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.utils import timezone

from portal.billing import rate_demo
from portal.billing.models import (
    Bill,
    BillLineItem,
    Invoice,
    InvoiceLine,
    Payroll,
    PayrollEntry,
    RateCard,
    Transaction,
)
from portal.billing.rates import RateBook, card_for
from portal.contracts.models import Contract
from portal.jobs.models import Patient
from portal.shifts.models import Timecard

__all__ = ["seed"]

CENT = Decimal("0.01")
TAX_RATE = Decimal("0.13")
STATUSES = ["pending", "pending", "pending", "approved", "approved", "paid", "deleted"]


def seed(rng: random.Random, scale: int) -> dict[str, int]:
    contracts = list(Contract.objects.prefetch_related("participants").order_by("id"))
    transactions = [t for contract in contracts for t in _transactions(rng, contract, scale)]
    bills = [_bill(contract) for contract in contracts[:scale]]
    rate_cards = rate_demo.rate_cards()
    book = RateBook(RateCard.objects.all())
    invoices = [_invoice(rng, patient, book) for patient in Patient.objects.order_by("id")[: scale * 3]]
    payrolls = _payroll()
    rate_demo.bill_at_the_cards(book)
    exceptions = rate_demo.plant_exceptions()
    return {
        "rate_cards": rate_cards,
        "reconciliation_exceptions": exceptions,
        "transactions": len(transactions),
        "bills": len([bill for bill in bills if bill]),
        "invoices": len(invoices),
        "payrolls": payrolls,
    }


def _transactions(rng, contract: Contract, scale: int) -> list[Transaction]:
    workers = [p for p in contract.participants.all() if p.role != "owner"] or list(contract.participants.all())
    rows = []
    for index in range(scale * 8):
        worker = rng.choice(workers) if workers else None
        hours = Decimal(rng.choice(["4", "8", "8", "12"]))
        rate = worker.rate if worker and worker.rate else Decimal("50.00")
        status = STATUSES[index % len(STATUSES)]
        occurred_at = timezone.now() - dt.timedelta(days=rng.randint(1, 30), hours=rng.randint(0, 12))
        rows.append(
            Transaction.objects.create(
                contract=contract,
                kind="charge",
                status=status,
                amount=(rate * hours).quantize(CENT),
                currency=contract.currency,
                hours=hours,
                beneficiary=worker,
                label=f"{hours} h shift cover",
                occurred_at=occurred_at,
                approved_at=occurred_at + dt.timedelta(days=1) if status in {"approved", "paid"} else None,
                paid_at=occurred_at + dt.timedelta(days=3) if status == "paid" else None,
            )
        )
    rows.append(
        Transaction.objects.create(
            contract=contract,
            kind="deposit",
            status="paid",
            amount=Decimal("5000.00"),
            currency=contract.currency,
            label="Client prepayment",
            occurred_at=timezone.now() - dt.timedelta(days=20),
            paid_at=timezone.now() - dt.timedelta(days=20),
        )
    )
    return rows


def _bill(contract: Contract) -> Bill | None:
    paid = list(contract.transactions.filter(kind="charge", status="paid", bill_line__isnull=True))
    if not paid:
        return None
    bill = Bill.objects.create(
        contract=contract, label=f"{contract.label}: week bill", status="paid", paid_at=timezone.now()
    )
    for transaction in paid:
        BillLineItem.objects.create(
            bill=bill,
            transaction=transaction,
            description=transaction.label,
            hours=transaction.hours,
            amount=transaction.amount,
            currency=transaction.currency,
        )
    return bill


def _invoice(rng, patient: Patient, book: RateBook) -> Invoice:
    punchcards = list(
        Timecard.objects.filter(visit__patient=patient, check_out__isnull=False)
        .exclude(visit__status__in=["cancelled", "missed"])
        .select_related("visit__patient__province")[:10]
    )
    period_end = timezone.localdate()
    invoice = Invoice.objects.create(
        client=patient.client,
        patient=patient,
        number=f"INV-{rng.randint(10000, 99999)}",
        invoice_date=period_end,
        due_date=period_end + dt.timedelta(days=30),
        period_start=period_end - dt.timedelta(days=14),
        period_end=period_end,
    )
    subtotal = Decimal("0")
    for punchcard in punchcards:
        hours = Decimal(punchcard.worked_minutes / 60).quantize(CENT)
        card = card_for(book, punchcard)[2]  # Alaunus invoices at the client's card
        rate = card.bill_rate if card else punchcard.bill_rate or Decimal("36.00")
        amount = (hours * rate).quantize(CENT)
        subtotal += amount
        InvoiceLine.objects.create(
            invoice=invoice,
            code="PC",
            description="Personal care",
            quantity=hours,
            rate=rate,
            amount=amount,
            timecard=punchcard,
        )
    tax = (subtotal * TAX_RATE).quantize(CENT)
    InvoiceLine.objects.create(invoice=invoice, kind="tax", code="HST", description="HST 13%", amount=tax)
    invoice.subtotal, invoice.tax_total, invoice.amount_due = subtotal, tax, subtotal + tax
    invoice.save()
    return invoice


def _payroll() -> int:
    period_end = timezone.localdate()
    punchcards = Timecard.objects.filter(visit__isnull=False, check_out__isnull=False, professional__isnull=False)
    if not punchcards.exists():
        return 0
    payroll = Payroll.objects.create(
        period_start=period_end - dt.timedelta(days=13), period_end=period_end, period_type="biweekly"
    )
    totals: dict[int, tuple[Decimal, Decimal]] = {}
    for punchcard in punchcards:
        hours = Decimal(punchcard.worked_minutes / 60)
        pay = hours * (punchcard.pay_rate or Decimal("24.00"))
        before = totals.get(punchcard.professional_id, (Decimal("0"), Decimal("0")))
        totals[punchcard.professional_id] = (before[0] + hours, before[1] + pay)
    for talent_id, (hours, pay) in totals.items():
        PayrollEntry.objects.create(
            payroll=payroll, talent_id=talent_id, hours=hours.quantize(CENT), gross_pay=pay.quantize(CENT)
        )
    return 1
