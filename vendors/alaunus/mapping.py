"""Alaunus records -> portal domain fields, one function per resource (allauth `extract_common_fields`).

Each function takes the parsed record and the page's `Links` (local row ids for the Alaunus ids it mentions,
resolved per page in `resources.py`) and returns a `MappedRecord` for the generic sync, or raises ValueError for
a record the portal cannot hold (the run counts it as failed). The raw payload is kept whole in `vendor_data`,
so subdocuments not promoted to columns (availability, billing settings, phones beyond the first...) stay
available. Naive times are the account's wall clock (README, "Decisions"), so they are placed in its zone.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from portal.integrations.provider import MappedRecord
from vendors.alaunus.schemas import (
    Candidate,
    Client,
    Contact,
    Event,
    EventDraft,
    EventsGroup,
    EventsGroupDraft,
    Invoice,
    Location,
    Patient,
    Payroll,
    PayrollUser,
    Phone,
    Punchcard,
    Record,
    Skill,
    User,
)
from vendors.alaunus.schemas.reader import ParseWarning, normalise_key
from vendors.base.reading import unreadable_fields

__all__ = [
    "Links",
    "client_record",
    "first_phone",
    "group_draft",
    "invoice_lines",
    "invoice_record",
    "is_deleted",
    "patient_record",
    "payroll_entry_record",
    "payroll_record",
    "recurring_group_record",
    "skill_record",
    "talent_reference_record",
    "timecard_record",
    "visit_draft",
    "visit_record",
]

DEFAULT_CURRENCY = "CAD"  # the sandbox agency's; a record's own currency always wins
_VISIT_STATUS = {
    "scheduled": "scheduled",
    "confirmed": "scheduled",
    "open": "scheduled",
    "in_progress": "in_progress",
    "started": "in_progress",
    "checked_in": "in_progress",
    "completed": "completed",
    "complete": "completed",
    "done": "completed",
    "cancelled": "cancelled",
    "canceled": "cancelled",
    "missed": "missed",
    "no_show": "missed",
}
_RULE_FREQUENCIES = {"DAILY", "WEEKLY", "MONTHLY", "YEARLY"}  # the ones `RecurringVisitGroup` keeps


@dataclass
class Links:
    """Local primary keys by Alaunus id, for one page: what a record's references point at in the portal."""

    time_zone: str = "America/Toronto"
    clients: dict[str, int] = field(default_factory=dict)
    patients: dict[str, int] = field(default_factory=dict)
    caregivers: dict[str, int] = field(default_factory=dict)  # Alaunus user/candidate id -> TalentProfile pk
    groups: dict[str, int] = field(default_factory=dict)
    visits: dict[str, int] = field(default_factory=dict)
    payrolls: dict[str, int] = field(default_factory=dict)
    timecards: dict[str, tuple[int | None, Decimal | None]] = field(default_factory=dict)  # minutes, pay

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.time_zone)

    def aware(self, value: dt.datetime | None) -> dt.datetime | None:
        if value is None:
            return None
        return value.astimezone(dt.UTC) if value.tzinfo else value.replace(tzinfo=self.zone).astimezone(dt.UTC)


def is_deleted(record: Record) -> bool:
    """`_deleted`, or any `_deleted_dates` entry, on any object (the schemas type it on people only)."""
    flag = getattr(record, "is_deleted", None)
    if flag is not None:
        return bool(flag)
    return bool(record.raw.get("_deleted")) or bool(record.raw.get("_deleted_dates"))


def _mapped(
    record: Record,
    fields: dict[str, Any],
    updated_at: dt.datetime | None = None,
    renamed: Mapping[str, str] | None = None,
) -> MappedRecord:
    """`renamed`: an Alaunus path (keys as `normalise_key` spells them) -> the field it fills, where they differ,
    so an unreadable value is kept out of that field's update (issue 14)."""
    if not record.id:
        raise ValueError("an Alaunus record without an id cannot be mirrored")
    warnings = [
        ParseWarning(".".join(normalise_key(part) for part in w.path.split(".")), w.value, w.message)
        for w in record.warnings
    ]
    return MappedRecord(
        record.id,
        fields,
        vendor_updated_at=updated_at,
        vendor_data=dict(record.raw),
        problems=unreadable_fields(warnings, fields, renamed=renamed),
    )


def first_phone(phones: tuple[Phone, ...]) -> str:
    chosen = next((p for p in phones if p.primary), phones[0] if phones else None)
    return (chosen.number or "")[:40] if chosen else ""


def _first_location(locations: tuple[Location, ...]) -> Location | None:
    return next((loc for loc in locations if loc.primary), locations[0] if locations else None)


def _address(location: Location | None) -> str:
    if location is None:
        return ""
    return ", ".join(part for part in (location.street, location.unit, location.city) if part)[:300]


def _text(value: str | None, limit: int) -> str:
    return (value or "").strip()[:limit]


def skill_record(skill: Skill, links: Links) -> MappedRecord:
    """`skills` -> `talent.Skill`."""
    return _mapped(
        skill,
        {
            "title": _text(skill.title, 100) or "Untitled skill",
            "description": skill.description or "",
            "color": _text(skill.color, 20),
        },
    )


def client_record(client: Client | Contact, links: Links) -> MappedRecord:
    """`clients` and `contacts` -> `jobs.Client`: both are "a company or a person" the agency deals with."""
    person = client.contact
    return _mapped(
        client,
        {
            "name": _text(client.display_name, 255) or f"Alaunus {client.id}",
            "kind": str(client.type) if client.type else "company",
            "email": _text(client.email or (person.email if person else ""), 254),
            "phone": first_phone(person.phones) if person else "",
            "website": _text(client.company.website if client.company else "", 200),
            "accounting_id": _text(client.accounting_id, 100),
        },
    )


def patient_record(patient: Patient, links: Links) -> MappedRecord:
    """`patients` -> `jobs.Patient`: the home where visits happen, in the account's zone."""
    name = patient.name
    location = _first_location(patient.locations)
    return _mapped(
        patient,
        {
            "first_name": _text(name.first or name.display if name else "", 100) or "(no name)",
            "last_name": _text(name.last if name else "", 100),
            "chart_id": _text(patient.chart_id, 100),
            "phone": first_phone(patient.phones),
            "email": _text(patient.email, 254),
            "street": _text(_address(location) if location else "", 255),
            "city": _text(location.city if location else "", 100),
            "postal_code": _text(location.postal_code if location else "", 20),
            "time_zone": links.time_zone,
        },
    )


def talent_reference_record(person: Candidate | User, links: Links) -> MappedRecord:
    """`candidates` and `users` -> `talent.TalentReference` on the profile matched by email (`resources.py`)."""
    profile = links.caregivers.get(person.id or "")
    if profile is None:
        raise ValueError(f"no talent profile resolved for Alaunus person {person.id}")
    return _mapped(person, {"profile_id": profile, "email": _text(person.email, 254).casefold()})


def recurring_group_record(group: EventsGroup, links: Links) -> MappedRecord:
    """`eventsgroups` -> `shifts.RecurringVisitGroup`; the model expands occurrences with dateutil."""
    rule = group.recurrence
    starts_at, ends_at = links.aware(group.start or (rule.dtstart if rule else None)), links.aware(group.end)
    if rule is None or str(rule.freq) not in _RULE_FREQUENCIES:
        raise ValueError(f"eventsgroup {group.id} has no daily/weekly/monthly/yearly rule")
    if starts_at is None or ends_at is None or ends_at <= starts_at:
        raise ValueError(f"eventsgroup {group.id} has no first visit with a start before its end")
    return _mapped(
        group,
        {
            "time_zone": links.time_zone,
            "starts_at": starts_at,
            "ends_at": ends_at,
            "freq": str(rule.freq),
            "interval": rule.interval,
            "byweekday": [str(day) for day in rule.byweekday],
            "bymonthday": list(rule.bymonthday),
            "count": rule.count,
            # RFC 5545 forbids both; the schema keeps count then (README), the model's constraint agrees.
            "until": None if rule.count else links.aware(rule.until),
            "wkst": str(rule.wkst or "MO"),
        },
    )


def visit_record(event: Event, links: Links) -> MappedRecord:
    """`events` -> `shifts.Visit`: the first attendee is the caregiver; their rates, else the service's."""
    starts_at, ends_at = links.aware(event.start), links.aware(event.end)
    if starts_at is None:
        raise ValueError(f"event {event.id} has no start")
    if ends_at is None and event.duration:
        ends_at = starts_at + dt.timedelta(hours=event.duration)
    if ends_at is None or ends_at <= starts_at:
        raise ValueError(f"event {event.id} does not end after it starts")
    attendee = event.attendees[0] if event.attendees else None
    service = event.service
    pay = attendee.pay_rate if attendee and attendee.pay_rate is not None else (service.pay_rate if service else None)
    bill = (
        attendee.bill_rate if attendee and attendee.bill_rate is not None else (service.bill_rate if service else None)
    )
    return _mapped(
        event,
        {
            "group_id": links.groups.get(event.group or ""),
            "caregiver_id": links.caregivers.get(attendee.user or "") if attendee else None,
            "patient_id": links.patients.get(event.patient.id or "") if event.patient else None,
            "service_name": _text((service.title or service.code) if service else "", 200),
            "address": _address(event.location),
            "starts_at": starts_at,
            "ends_at": ends_at,
            "time_zone": links.time_zone,
            "status": _VISIT_STATUS.get((event.status or "").strip().lower(), "scheduled"),
            "pay_rate": pay,
            "bill_rate": bill,
            "currency": _text((event.billing.currency if event.billing else None) or DEFAULT_CURRENCY, 3).upper(),
            "stat_holiday": bool(event.stat_holiday),
            "notes": event.notes or "",
        },
        links.aware(event.last_updated_date),
        renamed={"end": "ends_at", "duration": "ends_at"},
    )


_TIMECARD_PATHS = {
    "actual.end": "check_out",
    "pay.rate": "pay_rate",
    "pay.amount": "pay_total",
    "bill.rate": "bill_rate",
    "bill.amount": "bill_total",
}


def timecard_record(card: Punchcard, links: Links) -> MappedRecord:
    """`punchcards` -> `shifts.Timecard` for its visit: actual times, pay and bill."""
    actual = card.actual
    check_in = links.aware(actual.start if actual else None)
    if check_in is None:
        raise ValueError(f"punchcard {card.id} has no actual start")
    visit = links.visits.get(card.event or "")
    if visit is None:
        raise ValueError(f"punchcard {card.id} is for event {card.event}, which the portal does not hold")
    check_out = links.aware(actual.end)
    currency = (card.pay.currency if card.pay else None) or (card.billing.currency if card.billing else None)
    return _mapped(
        card,
        {
            "visit_id": visit,
            "professional_id": links.caregivers.get(card.user.id or "") if card.user else None,
            "check_in": check_in,
            "check_out": check_out if check_out and check_out > check_in else None,
            "pay_rate": card.pay.rate if card.pay else None,
            "pay_total": card.pay.amount if card.pay else None,
            "bill_rate": card.bill.rate if card.bill else None,
            "bill_total": card.bill.amount if card.bill else None,
            "currency": _text(currency or DEFAULT_CURRENCY, 3).upper(),
        },
        renamed=_TIMECARD_PATHS,
    )


_INVOICE_PATHS = {
    "billing_period.start": "period_start",
    "billing_period.end": "period_end",
    "status": "vendor_status",
    "closed_date": "closed_at",
    "total": "amount_due",
}


def invoice_record(invoice: Invoice, links: Links) -> MappedRecord:
    """`invoices` -> `billing.Invoice`; its services and taxes become `InvoiceLine`s (`invoice_lines`)."""
    period = invoice.billing_period
    subtotal = invoice.subtotal if invoice.subtotal is not None else sum(_line_amounts(invoice, "service"))
    tax_total = invoice.tax_total if invoice.tax_total is not None else sum(_line_amounts(invoice, "tax"))
    total = invoice.total if invoice.total is not None else subtotal + tax_total
    paid = invoice.amount_paid or Decimal(0)
    return _mapped(
        invoice,
        {
            "client_id": links.clients.get(invoice.client.id or "") if invoice.client else None,
            "patient_id": links.patients.get(invoice.patient.id or "") if invoice.patient else None,
            "number": _text(invoice.number, 64),
            "invoice_date": invoice.invoice_date,
            "due_date": invoice.due_date,
            "period_start": period.start if period else None,
            "period_end": period.end if period else None,
            "currency": _text(invoice.currency or DEFAULT_CURRENCY, 3).upper(),
            "subtotal": subtotal,
            "tax_total": tax_total,
            "amount_due": invoice.amount_due if invoice.amount_due is not None else total - paid,
            "amount_paid": paid,
            "vendor_status": _text(invoice.status, 64),
            "closed_at": links.aware(invoice.closed_date) if invoice.closed else None,
        },
        renamed=_INVOICE_PATHS,
    )


def _line_amounts(invoice: Invoice, kind: str) -> list[Decimal]:
    return [line["amount"] for line in invoice_lines(invoice) if line["kind"] == kind]


def invoice_lines(invoice: Invoice) -> list[dict[str, Any]]:
    """The invoice's `services` and `taxes` subdocuments as `billing.InvoiceLine` fields."""
    lines = []
    for service in invoice.services:
        amount = service.amount
        if amount is None and service.quantity is not None and service.bill_rate is not None:
            amount = service.quantity * service.bill_rate
        lines.append(
            {
                "kind": "service",
                "code": _text(service.code, 64),
                "description": _text(service.title or service.description, 255),
                "quantity": service.quantity,
                "rate": service.bill_rate,
                "amount": amount or Decimal(0),
            }
        )
    for tax in invoice.taxes:
        lines.append(
            {
                "kind": "tax",
                "code": "",
                "description": _text(tax.label, 255),
                "quantity": None,
                "rate": None,
                "amount": tax.amount or Decimal(0),
            }
        )
    return lines


def payroll_record(payroll: Payroll, links: Links) -> MappedRecord:
    """`payrolls` -> `billing.Payroll` (a period)."""
    if payroll.start is None or payroll.end is None or payroll.end < payroll.start:
        raise ValueError(f"payroll {payroll.id} has no readable period")
    return _mapped(
        payroll,
        {
            "period_start": payroll.start,
            "period_end": payroll.end,
            "period_type": _text(payroll.period_type, 32),
            "closed_at": links.aware(payroll.closed_date) if payroll.closed else None,
        },
        renamed={"closed_date": "closed_at"},
    )


def payroll_entry_record(entry: PayrollUser, links: Links) -> MappedRecord:
    """`payrollsusers` -> `billing.PayrollEntry`: hours and pay summed from the portal's copies of its punchcards
    (Alaunus sends only their ids), adjustments from the entry itself."""
    payroll = links.payrolls.get(entry.payroll or "")
    if payroll is None:
        raise ValueError(f"payroll entry {entry.id} is for payroll {entry.payroll}, which the portal does not hold")
    cards = [links.timecards[card] for card in entry.punchcards if card in links.timecards]
    minutes = sum(m or 0 for m, _ in cards)
    return _mapped(
        entry,
        {
            "payroll_id": payroll,
            "talent_id": links.caregivers.get(entry.user.id or "") if entry.user else None,
            "hours": (Decimal(minutes) / 60).quantize(Decimal("0.01")),
            "gross_pay": sum((pay or Decimal(0) for _, pay in cards), Decimal(0)),
            "adjustments": sum((a.amount or Decimal(0) for a in entry.adjustments), Decimal(0)),
        },
    )


def visit_draft(
    visit: Any, *, patient_id: str, caregiver_ids: tuple[str, ...], group_id: str | None = None
) -> EventDraft:
    """A `shifts.Visit` as the event Alaunus should hold; ids are Alaunus's for its patient, caregiver and group.
    No caregiver is sent as no attendees (`[]`), so unassigning a visit reaches Alaunus too."""
    return EventDraft(
        patient=patient_id,
        start=visit.starts_at,
        end=visit.ends_at,
        attendees=caregiver_ids,
        status=visit.status,
        group=group_id,
        notes=visit.notes or None,
    )


def group_draft(group: Any) -> EventsGroupDraft:
    """A `shifts.RecurringVisitGroup` as the eventsgroup Alaunus should hold (the rule, the first visit's span)."""
    return EventsGroupDraft(
        freq=group.freq,
        start=group.starts_at,
        end=group.ends_at,
        interval=group.interval,
        byweekday=tuple(group.byweekday or ()),
        bymonthday=tuple(group.bymonthday or ()),
        count=group.count,
        until=group.until,
        wkst=group.wkst or None,
    )
