"""What the exports hold (issue 20): payroll hours by bucket, billing, and reconciliation exceptions for a range of
the agency's days, each as a header and a stream of rows of plain values (text, dates, decimals).

Rows are generated, never gathered: the hours engine and the match run one week at a time (weeks begin on Sunday,
as the engine's, so an hour lands in the same bucket as over the whole range), the engine one worker at a time,
and billing records are read in chunks with `iterator()`. Memory holds one chunk, one worker's week or one week's
exceptions, and the queries are a fixed number per week whatever the number of rows. `export_files` writes the
rows as CSV or XLSX.
"""

from __future__ import annotations

import datetime as dt
import sys
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Sum

from portal.billing.hours import SUNDAY, ZERO, Allocation, Bucket
from portal.billing.hours_sources import worker_allocations, working_between
from portal.billing.models import Bill, InvoiceLine, Transaction
from portal.billing.reconciliation import reconcile
from portal.billing.resolutions import resolutions_in
from portal.core.timezones import agency_zone, local_midnight, to_local
from portal.talent.models import TalentProfile

__all__ = [
    "EXPORTS",
    "PAY_BUCKETS",
    "Export",
    "ExportRange",
    "billing_rows",
    "exception_rows",
    "hours_of",
    "paid_hours",
    "payroll_rows",
    "weeks_of",
]

CHUNK = 2000
CENT = Decimal("0.01")
# Payroll's pay codes. On a public holiday the engine's regular hours are paid as holiday hours; overtime and
# double time stay in their own buckets, as they already carry their premium. Every hour is in exactly one.
PAY_BUCKETS = ("regular", "overtime", "double", "holiday")


@dataclass(frozen=True)
class ExportRange:
    """The agency's local days `first`..`last`; `per` cuts payroll hours by "day" or "week"."""

    first: dt.date
    last: dt.date
    per: str = "day"

    @property
    def since(self) -> dt.datetime:
        return local_midnight(self.first, agency_zone())

    @property
    def until(self) -> dt.datetime:
        return local_midnight(self.last + dt.timedelta(days=1), agency_zone())


@dataclass(frozen=True)
class Export:
    """One export: its file name, title, column names and the rows of a range."""

    name: str
    title: str
    columns: tuple[str, ...]
    rows: Callable[[ExportRange], Iterator[tuple]]


def hours_of(duration: dt.timedelta) -> Decimal:
    """A duration as hours to the hundredth, as payroll takes them."""
    return (Decimal(duration.total_seconds()) / Decimal(3600)).quantize(CENT, ROUND_HALF_UP)


def weeks_of(first: dt.date, last: dt.date) -> Iterator[tuple[dt.date, dt.date]]:
    """The engine's Sunday-to-Saturday weeks of `first`..`last`, the first and last clipped to the range."""
    start = first
    while start <= last:
        saturday = start + dt.timedelta(days=(SUNDAY - 1 - start.weekday()) % 7)
        yield start, min(saturday, last)
        start = saturday + dt.timedelta(days=1)


def paid_hours(allocations: Iterable[Allocation]) -> dict[str, dt.timedelta]:
    """The allocations' time by pay code (`PAY_BUCKETS`)."""
    paid = dict.fromkeys(PAY_BUCKETS, ZERO)
    for row in allocations:
        for bucket, worked in row.buckets.items():
            paid["holiday" if bucket is Bucket.REGULAR and row.holiday else bucket.value] += worked
    return paid


PAYROLL_COLUMNS = (
    "worker_id", "worker", "from", "to", "regular_hours", "overtime_hours", "double_hours", "holiday_hours",
    "total_hours", "holidays",
)  # fmt: skip


def payroll_rows(period: ExportRange) -> Iterator[tuple]:
    """Per week, each worker (by id) with hours per day worked or for the week. The total is the sum of the rounded
    buckets, so a row always adds up. Workers come one at a time (`worker_allocations`); only the week's names are
    held beside them."""
    for first, last in weeks_of(period.first, period.last):
        people = TalentProfile.objects.filter(working_between(first, last)).only("first_name", "last_name", "email")
        names = {person.pk: str(person) for person in people.iterator(CHUNK)}
        for worker, allocations in worker_allocations(first, last):
            for start, end, rows in _payroll_groups(allocations, first, last, period.per):
                hours = [hours_of(t) for t in paid_hours(rows).values()]
                holidays = "; ".join(sorted({row.holiday for row in rows if row.holiday}))
                yield (worker, names.get(worker, ""), start, end, *hours, sum(hours, Decimal(0)), holidays)


def _payroll_groups(allocations: list[Allocation], first: dt.date, last: dt.date, per: str) -> Iterator[tuple]:
    """A worker's allocations of a week by day, or all together for the week."""
    if per != "day":
        yield first, last, allocations
        return
    by_day: dict[dt.date, list[Allocation]] = defaultdict(list)
    for row in allocations:
        by_day[row.day].append(row)
    for day in sorted(by_day):
        yield day, day, by_day[day]


BILLING_COLUMNS = (
    "record", "reference", "date", "party", "description", "hours", "rate", "amount", "currency", "status",
)  # fmt: skip


def _invoice_lines(period: ExportRange) -> Iterator[tuple]:
    lines = InvoiceLine.objects.filter(invoice__invoice_date__range=(period.first, period.last)).select_related(
        "invoice__client", "invoice__patient"
    )
    for line in lines.order_by("invoice__invoice_date", "invoice_id", "id").iterator(CHUNK):
        invoice = line.invoice
        yield (
            f"Alaunus invoice {line.get_kind_display().lower()}", invoice.number or f"#{invoice.pk}",
            invoice.invoice_date, str(invoice.client or invoice.patient or ""), line.description or line.code,
            line.quantity, line.rate, line.amount, invoice.currency, invoice.vendor_status,
        )  # fmt: skip


def _charges(period: ExportRange) -> Iterator[tuple]:
    zone = agency_zone()
    charges = (
        Transaction.objects.filter(
            kind=Transaction.Kind.CHARGE, occurred_at__gte=period.since, occurred_at__lt=period.until
        )
        .exclude(status=Transaction.Status.DELETED)
        .select_related("contract")
    )
    for charge in charges.order_by("occurred_at", "id").iterator(CHUNK):
        rate = (charge.amount / charge.hours).quantize(CENT) if charge.hours else None
        yield (
            "Ceki charge", charge.external_id or f"#{charge.pk}", to_local(charge.occurred_at, zone).date(),
            str(charge.contract), charge.label, charge.hours, rate, charge.amount, charge.currency,
            charge.get_status_display(),
        )  # fmt: skip


def _bills(period: ExportRange) -> Iterator[tuple]:
    zone = agency_zone()
    bills = (
        Bill.objects.filter(created_at__gte=period.since, created_at__lt=period.until)
        .select_related("contract")
        .annotate(billed_hours=Sum("line_items__hours"), billed_amount=Sum("line_items__amount"))
    )
    for bill in bills.order_by("created_at", "id").iterator(CHUNK):
        yield (
            "Ceki bill", bill.external_id or f"#{bill.pk}", to_local(bill.created_at, zone).date(), str(bill.contract),
            bill.label, bill.billed_hours, None, bill.billed_amount or Decimal(0), bill.currency,
            bill.get_status_display(),
        )  # fmt: skip


def billing_rows(period: ExportRange) -> Iterator[tuple]:
    """Alaunus invoice lines by invoice date, Ceki charges by when the work was done, Ceki bills by when made."""
    yield from _invoice_lines(period)
    yield from _charges(period)
    yield from _bills(period)


EXCEPTION_COLUMNS = (
    "problem", "problem_label", "status", "source", "subject", "starts_local", "time_zone", "worked_hours",
    "billed_hours", "billed_rate", "card_rate", "detail", "resolution_reason", "resolved_by", "key",
)  # fmt: skip
# An exception is placed in a week by its record's instant, its resolution by the work's start: a day apart at most.
RESOLUTION_EDGE = dt.timedelta(days=2)


def exception_rows(period: ExportRange) -> Iterator[tuple]:
    """The match's exceptions, open and resolved (with the reason), a week at a time: the match places each by
    one instant of its record (a shift's end, a punch-in, a charge's time), so none is lost or found twice at a
    week's edge."""
    zone = agency_zone()
    for first, last in weeks_of(period.first, period.last):
        since, until = local_midnight(first, zone), local_midnight(last + dt.timedelta(days=1), zone)
        resolved = resolutions_in(since - RESOLUTION_EDGE, until + RESOLUTION_EDGE)
        for found in reconcile(since, until, keep=sys.maxsize, show="all", resolved=resolved).exceptions:
            resolution = resolved.get(found.key)
            yield (
                found.problem, found.label, "resolved" if resolution else "open", found.source, found.subject,
                to_local(found.when, found.zone).replace(tzinfo=None), found.zone, found.worked_hours,
                found.billed_hours, found.billed_rate, found.card_rate, found.detail,
                resolution.reason if resolution else "", str(resolution.resolved_by or "") if resolution else "",
                found.key,
            )  # fmt: skip


EXPORTS: dict[str, Export] = {
    export.name: export
    for export in (
        Export("payroll-hours", "Payroll hours by overtime bucket", PAYROLL_COLUMNS, payroll_rows),
        Export("billing", "Billing: invoice lines, Ceki charges and bills", BILLING_COLUMNS, billing_rows),
        Export("exceptions", "Reconciliation exceptions", EXCEPTION_COLUMNS, exception_rows),
    )
}
