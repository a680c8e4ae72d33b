"""Punchcards (a visit as worked: actual times, pay and bill), invoices, payrolls and a user's payroll lines."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from vendors.alaunus.schemas.common import BillingSettings, Charge, Location, Period, Reference, Service, Tax, embedded
from vendors.alaunus.schemas.reader import ParseWarning, PayloadReader, SubDocument
from vendors.alaunus.schemas.record import Record

__all__ = ["ActualTimes", "Adjustment", "Invoice", "Payroll", "PayrollUser", "Punchcard"]


@dataclass(frozen=True, slots=True)
class ActualTimes(SubDocument):
    """A punchcard's `actual`: "Actual information, with actual date and others" (check-in and check-out)."""

    start: datetime | None
    end: datetime | None
    duration: float | None = None

    @classmethod
    def from_reader(cls, reader: PayloadReader) -> ActualTimes:
        return cls(
            start=reader.datetime("start", "check_in", "in"),
            end=reader.datetime("end", "check_out", "out"),
            duration=reader.number("duration", "hours"),
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class Punchcard(Record):
    """`punchcards`: the worked side of an event. `event` is the id; `_event` the embedded scheduled copy."""

    event: str | None = None
    scheduled_start: datetime | None = None
    scheduled_end: datetime | None = None
    actual: ActualTimes | None = None
    user: Reference | None = None
    patient: Reference | None = None
    service: Service | None = None
    pay: Charge | None = None
    bill: Charge | None = None
    billing: BillingSettings | None = None
    invoice: str | None = None
    payroll: str | None = None
    location: Location | None = None
    location_end: Location | None = None
    stat_holiday: bool | None = None

    @classmethod
    def read_fields(cls, reader: PayloadReader) -> dict[str, Any]:
        scheduled = reader.raw("_event")
        scheduled_reader = reader.child("_event", scheduled) if isinstance(scheduled, dict) else None
        return {
            "event": reader.ident("event") or (scheduled_reader.ident("_id", "id") if scheduled_reader else None),
            "scheduled_start": scheduled_reader.datetime("start") if scheduled_reader else None,
            "scheduled_end": scheduled_reader.datetime("end") if scheduled_reader else None,
            "actual": reader.one(ActualTimes, "actual"),
            "user": embedded(reader, Reference, "user"),
            "patient": embedded(reader, Reference, "patient"),
            "service": embedded(reader, Service, "service"),
            "pay": reader.one(Charge, "pay"),
            "bill": reader.one(Charge, "bill"),
            "billing": reader.one(BillingSettings, "billing"),
            "invoice": reader.ident("invoice"),
            "payroll": reader.ident("payroll"),
            "location": reader.one(Location, "location"),
            "location_end": reader.one(Location, "location_end"),
            "stat_holiday": reader.boolean("stat_holiday"),
        }


@dataclass(frozen=True, slots=True, kw_only=True)
class Invoice(Record):
    """`invoices`: services, taxes and totals for a client or patient over a billing period."""

    number: str | None = None
    status: str | None = None
    invoice_type: str | None = None
    invoice_date: date | None = None
    due_date: date | None = None
    billing_period: Period | None = None
    currency: str | None = None
    subtotal: Decimal | None = None
    tax_total: Decimal | None = None
    total: Decimal | None = None
    amount_paid: Decimal | None = None
    amount_due: Decimal | None = None
    services: tuple[Service, ...] = ()
    taxes: tuple[Tax, ...] = ()
    punchcards: tuple[Punchcard, ...] = ()
    client: Reference | None = None
    patient: Reference | None = None
    account: Reference | None = None
    sales_rep: Reference | None = None
    closed: bool | None = None
    closed_date: datetime | None = None
    closed_user: str | None = None
    method: str | None = None
    payment_method: str | None = None
    claim_number: str | None = None
    loss_date: date | None = None
    legal_rep: str | None = None
    hst_number: str | None = None
    from_email: str | None = None
    header_message: str | None = None
    footer_message: str | None = None
    notes: str | None = None
    template: str | None = None

    @classmethod
    def read_fields(cls, reader: PayloadReader) -> dict[str, Any]:
        # The doc lists the period's start and end (unnamed) right under `billing_period`: read as its keys.
        return {
            "number": reader.text("number"),
            "status": reader.ident("status"),
            "invoice_type": reader.ident("invoice_type"),
            "invoice_date": reader.date("invoice_date"),
            "due_date": reader.date("due_date"),
            "billing_period": reader.one(Period, "billing_period"),
            "currency": reader.ident("currency"),
            "subtotal": reader.money("subtotal"),
            "tax_total": reader.money("tax_total"),
            "total": reader.money("total"),
            "amount_paid": reader.money("amount_paid"),
            "amount_due": reader.money("amount_due"),
            "services": reader.many(Service, "services"),
            "taxes": reader.many(Tax, "taxes"),
            "punchcards": tuple(_embedded_punchcards(reader)),
            "client": reader.one(Reference, "client"),
            "patient": embedded(reader, Reference, "patient"),
            "account": reader.one(Reference, "account"),
            "sales_rep": reader.one(Reference, "sales_rep"),
            "closed": reader.boolean("_closed"),
            "closed_date": reader.datetime("_closed_date"),
            "closed_user": reader.ident("_closed_user"),
            "method": reader.ident("method"),
            "payment_method": reader.ident("payment_method"),
            "claim_number": reader.text("claim_number"),
            "loss_date": reader.date("loss_date"),
            "legal_rep": reader.text("legal_rep"),
            "hst_number": reader.text("hst_number"),
            "from_email": reader.text("from_email"),
            "header_message": reader.text("header_message"),
            "footer_message": reader.text("footer_message"),
            "notes": reader.text("notes"),
            "template": reader.ident("template"),
        }


def _embedded_punchcards(reader: PayloadReader) -> list[Punchcard]:
    """An invoice's `punchcards` ("with bill and others") parsed as punchcards; their warnings join the invoice's."""
    found = []
    for path, element in reader.items("punchcards"):
        if isinstance(element, dict):
            card = Punchcard.from_payload(element)
            reader.warnings.extend(ParseWarning(f"{path}.{w.path}", w.value, w.message) for w in card.warnings)
            found.append(card)
        else:
            reader.warn(path, element, "not a subdocument")
    return found


@dataclass(frozen=True, slots=True, kw_only=True)
class Payroll(Record):
    """`payrolls`: one pay period (dates are calendar dates, inclusive)."""

    start: date | None = None
    end: date | None = None
    period_type: str | None = None
    period_extra: int | None = None
    closed: bool | None = None
    closed_date: datetime | None = None
    closed_user: str | None = None

    @classmethod
    def read_fields(cls, reader: PayloadReader) -> dict[str, Any]:
        return {
            "start": reader.date("start"),
            "end": reader.date("end"),
            "period_type": reader.ident("period_type"),
            "period_extra": reader.integer("period_extra"),
            "closed": reader.boolean("_closed"),
            "closed_date": reader.datetime("_closed_date"),
            "closed_user": reader.ident("_closed_user"),
        }


@dataclass(frozen=True, slots=True)
class Adjustment(SubDocument):
    """One of a payroll user's `adjustments` (a bonus, a deduction)."""

    label: str | None
    amount: Decimal | None

    @classmethod
    def from_reader(cls, reader: PayloadReader) -> Adjustment:
        return cls(label=reader.text("label", "description", "name", "type"), amount=reader.money("amount", "total"))


@dataclass(frozen=True, slots=True, kw_only=True)
class PayrollUser(Record):
    """`payrollsusers`: one caregiver in one payroll, with the punchcards paid and any adjustments."""

    payroll: str | None = None
    user: Reference | None = None
    punchcards: tuple[str, ...] = ()
    adjustments: tuple[Adjustment, ...] = ()
    created_user: str | None = None

    @classmethod
    def read_fields(cls, reader: PayloadReader) -> dict[str, Any]:
        return {
            "payroll": reader.ident("payroll"),
            "user": embedded(reader, Reference, "user"),
            # "array ... Punchcards information, with bill and others": ids or embedded punchcards; ids kept.
            "punchcards": reader.idents("punchcards"),
            "adjustments": reader.many(Adjustment, "adjustments"),
            "created_user": reader.ident("_created_user"),
        }
