"""Demo money: charges and deposits in every status on the demo contracts, a paid bill made of approved work,
home-care invoices with services and taxes, a payroll period with an entry per caregiver, and rate cards for every
client (each profession and kind of shift, one raised mid-year, one facility's own)."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.utils import timezone

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
from portal.contracts.models import Contract
from portal.jobs.models import Client, Facility, Patient
from portal.shifts.models import Timecard

__all__ = ["seed"]

CENT = Decimal("0.01")
TAX_RATE = Decimal("0.13")
STATUSES = ["pending", "pending", "pending", "approved", "approved", "paid", "deleted"]


def seed(rng: random.Random, scale: int) -> dict[str, int]:
    contracts = list(Contract.objects.prefetch_related("participants").order_by("id"))
    transactions = [t for contract in contracts for t in _transactions(rng, contract, scale)]
    bills = [_bill(contract) for contract in contracts[:scale]]
    invoices = [_invoice(rng, patient) for patient in Patient.objects.order_by("id")[: scale * 3]]
    payrolls = _payroll()
    rate_cards = _rate_cards()
    return {
        "rate_cards": rate_cards,
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


def _invoice(rng, patient: Patient) -> Invoice:
    punchcards = list(Timecard.objects.filter(visit__patient=patient, check_out__isnull=False)[:10])
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
        rate = punchcard.bill_rate or Decimal("36.00")
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


# (bill, pay) per hour of a day shift; the other kinds are a multiple of it, as agencies price them.
BASE_RATES = {"RN": ("78.00", "52.00"), "LPN": ("55.00", "36.00"), "CNA": ("38.00", "24.00"), "HHA": ("34.00", "22.00")}
KIND_FACTORS = {"day": Decimal("1"), "night": Decimal("1.10"), "weekend": Decimal("1.15"), "holiday": Decimal("1.50")}


def _rate_cards() -> int:
    """Every client's cards from 1 January, raised 4% from this month; one facility has a day RN card of its own."""
    this_year = timezone.localdate().replace(month=1, day=1)
    raised = timezone.localdate().replace(day=1)
    cards = []
    for client in Client.objects.order_by("id"):
        for profession, (bill, pay) in BASE_RATES.items():
            for kind, factor in KIND_FACTORS.items():
                old = RateCard(
                    client=client,
                    profession=profession,
                    shift_kind=kind,
                    effective_from=this_year,
                    effective_to=raised - dt.timedelta(days=1),
                    bill_rate=(Decimal(bill) * factor).quantize(CENT),
                    pay_rate=(Decimal(pay) * factor).quantize(CENT),
                )
                new = RateCard(
                    client=client,
                    profession=profession,
                    shift_kind=kind,
                    effective_from=raised,
                    bill_rate=(old.bill_rate * Decimal("1.04")).quantize(CENT),
                    pay_rate=(old.pay_rate * Decimal("1.04")).quantize(CENT),
                )
                cards += [old, new] if raised > this_year else [new]
    facility = Facility.objects.order_by("id").first()
    if facility:
        cards.append(
            RateCard(
                facility=facility,
                profession="RN",
                shift_kind="day",
                effective_from=this_year,
                bill_rate=Decimal("84.00"),
                pay_rate=Decimal("55.00"),
            )
        )
    for card in cards:
        card.save()  # one by one: AuditedModel records each save, and the demo holds a few hundred at most
    return len(cards)
