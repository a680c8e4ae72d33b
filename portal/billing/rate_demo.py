"""Demo rate cards and the reconciliation they drive (issue 20): cards for every client, the demo's IntelyCare
timecards billed at them, and one of each exception the three-way match finds, so the queue shows every kind:
its default period (the last 28 days) holds them all, the unbilled visit past its grace period included."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.utils import timezone

from portal.billing.models import Invoice, InvoiceLine, RateCard
from portal.billing.rates import RateBook, card_for
from portal.jobs.models import Client, Facility
from portal.shifts.models import Timecard, Visit

__all__ = ["bill_at_the_cards", "plant_exceptions", "rate_cards"]

CENT = Decimal("0.01")
# (bill, pay) per hour of a day shift; the other kinds are a multiple of it, as agencies price them. HHA matches the
# demo visits' own rates (shifts.demo).
BASE_RATES = {"RN": ("78.00", "52.00"), "LPN": ("55.00", "36.00"), "CNA": ("38.00", "24.00"), "HHA": ("36.00", "24.00")}
KIND_FACTORS = {"day": Decimal("1"), "night": Decimal("1.10"), "weekend": Decimal("1.15"), "holiday": Decimal("1.50")}


def rate_cards() -> int:
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


def bill_at_the_cards(book: RateBook) -> int:
    """IntelyCare bills each demo timecard at the client's card (shifts.demo drew its rates at random)."""
    priced = 0
    for timecard in Timecard.objects.filter(shift__isnull=False).select_related("shift__facility__province"):
        card = card_for(book, timecard)[2]
        if card and timecard.worked_minutes is not None:
            hours = Decimal(timecard.worked_minutes) / 60
            timecard.bill_rate, timecard.pay_rate = card.bill_rate, card.pay_rate
            timecard.bill_total = (hours * card.bill_rate).quantize(CENT)
            timecard.pay_total = (hours * card.pay_rate).quantize(CENT)
            timecard.save()
            priced += 1
    return priced


def _line(invoice: Invoice, punchcard: Timecard, extra_hours: Decimal, description: str) -> InvoiceLine:
    hours = (Decimal(punchcard.worked_minutes) / 60 + extra_hours).quantize(CENT)
    rate = punchcard.bill_rate or Decimal("36.00")
    return InvoiceLine.objects.create(
        invoice=invoice, code="PC", description=description, quantity=hours, rate=rate,
        amount=(hours * rate).quantize(CENT), timecard=punchcard,
    )  # fmt: skip


def plant_exceptions() -> int:
    """One of each: a visit done with no punchcard, an invoice line for 90 minutes more than its punchcard, an
    invoice line for a cancelled visit's punchcard, a punchcard invoiced twice, an IntelyCare timecard billed
    above its card, and a visit done and punched a few days past the grace period that no invoice bills."""
    planted = 0
    done = Timecard.objects.filter(visit__status="completed", check_out__isnull=False)
    punchcard = done.filter(invoice_lines__isnull=True).order_by("id").first()  # not yet invoiced
    if punchcard:
        visit = punchcard.visit
        fields = ("client", "caregiver", "patient", "time_zone", "service_name", "pay_rate", "bill_rate")
        copies = {name: getattr(visit, name) for name in fields}
        earlier = {"starts_at": visit.starts_at - dt.timedelta(days=1), "ends_at": visit.ends_at - dt.timedelta(days=1)}
        Visit.objects.create(**copies, **earlier, status="completed", notes="Demo: worked, no punchcard came.")
        cancelled = Visit.objects.create(**copies, **earlier, status="cancelled", notes="Demo: cancelled, billed.")
        cancelled_card = Timecard.objects.create(
            visit=cancelled, professional=visit.caregiver, check_in=cancelled.starts_at, check_out=cancelled.ends_at,
            pay_rate=visit.pay_rate, bill_rate=visit.bill_rate,
        )  # fmt: skip
        invoice = Invoice.objects.create(
            client=visit.client, patient=visit.patient, number="INV-CHECK", invoice_date=timezone.localdate()
        )
        _line(invoice, punchcard, Decimal("1.5"), "Personal care (1.5 h more than the punchcard)")
        _line(invoice, cancelled_card, Decimal(0), "Personal care (the visit was cancelled)")
        if twice := done.filter(invoice_lines__isnull=False).exclude(pk=punchcard.pk).order_by("id").first():
            _line(invoice, twice, Decimal(0), "Personal care (already on an earlier invoice)")
        planted += 4 + _unbilled_visit(visit, copies)
    overbilled = Timecard.objects.filter(shift__isnull=False, bill_rate__isnull=False).order_by("id").first()
    if overbilled:
        overbilled.bill_rate += Decimal("5.00")
        overbilled.save()
        planted += 1
    return planted


def _unbilled_visit(visit: Visit, copies: dict) -> int:
    """A visit worked and punched (grace period + 6 days ago) that no invoice line names: worked, not billed."""
    starts = visit.starts_at - dt.timedelta(days=settings.BILLING_GRACE_DAYS + 6)
    ends = starts + (visit.ends_at - visit.starts_at)
    notes = "Demo: worked and punched, never invoiced."
    done = Visit.objects.create(**copies, starts_at=starts, ends_at=ends, status="completed", notes=notes)
    Timecard.objects.create(
        visit=done, professional=visit.caregiver, check_in=starts, check_out=ends, pay_rate=visit.pay_rate,
        bill_rate=visit.bill_rate,
    )  # fmt: skip
    return 1
