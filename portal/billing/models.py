"""Money: Ceki charges and deposits (transactions) and the bills that group them; Alaunus invoices (with their
services and taxes) and payrolls (with one entry per caregiver)."""

from __future__ import annotations

from decimal import Decimal
from typing import ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q

from portal.core.audit import AuditedModel
from portal.core.models import VendorRecord
from portal.shifts.models import ProfessionalType

__all__ = [
    "Bill",
    "BillLineItem",
    "ExceptionResolution",
    "Invoice",
    "InvoiceLine",
    "Payroll",
    "PayrollEntry",
    "RateCard",
    "Transaction",
    "VendorDispute",
]


def _money(**kwargs) -> models.DecimalField:
    return models.DecimalField(max_digits=12, decimal_places=2, **kwargs)


class Bill(VendorRecord, AuditedModel):
    """A Ceki bill: approved transactions of one contract put together to be paid at once."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        PAID = "paid", "Paid"

    status_transitions: ClassVar = {"status": {Status.OPEN: {Status.PAID}}}

    contract = models.ForeignKey("contracts.Contract", on_delete=models.PROTECT, related_name="bills")
    label = models.CharField(max_length=255)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.OPEN, db_index=True)
    currency = models.CharField(max_length=3, default="USD")
    paid_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [*VendorRecord.Meta.constraints]

    def __str__(self) -> str:
        return self.label


class Transaction(VendorRecord, AuditedModel):
    """A charge (work done, owed to a participant) or a deposit (money paid in) on a Ceki contract.

    Money only moves forward: pending -> approved -> paid; pending or approved ones may be deleted. Paying a
    pending charge is refused (the vendor refuses it too: "only approved transactions can be paid", issue 7).
    """

    class Kind(models.TextChoices):
        CHARGE = "charge", "Charge"
        DEPOSIT = "deposit", "Deposit"

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        APPROVED = "approved", "Approved"
        PAID = "paid", "Paid"
        DELETED = "deleted", "Deleted"

    status_transitions: ClassVar = {
        "status": {
            Status.PENDING: {Status.APPROVED, Status.DELETED},
            Status.APPROVED: {Status.PAID, Status.DELETED},
        }
    }

    contract = models.ForeignKey("contracts.Contract", on_delete=models.PROTECT, related_name="transactions")
    kind = models.CharField(max_length=8, choices=Kind.choices, default=Kind.CHARGE)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.PENDING, db_index=True)
    amount = _money()
    currency = models.CharField(max_length=3, default="USD")
    hours = models.DecimalField(max_digits=7, decimal_places=2, null=True, blank=True)
    beneficiary = models.ForeignKey(
        "contracts.ContractParticipant",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="transactions",
        help_text="Who the money is for.",
    )
    event = models.ForeignKey(
        "contracts.ContractEvent", null=True, blank=True, on_delete=models.SET_NULL, related_name="transactions"
    )
    time_entry = models.OneToOneField(
        "contracts.TimeEntry", null=True, blank=True, on_delete=models.SET_NULL, related_name="charge"
    )
    label = models.CharField(max_length=255, blank=True)
    occurred_at = models.DateTimeField(help_text="When the work was done or the money moved (UTC).")
    approved_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    paid_at = models.DateTimeField(null=True, blank=True)
    paid_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-occurred_at", "-id"]
        indexes = [models.Index(fields=["status", "contract"])]
        constraints = [
            *VendorRecord.Meta.constraints,
            models.CheckConstraint(condition=Q(amount__gt=0), name="transaction_amount_positive"),
            models.CheckConstraint(
                condition=Q(hours__isnull=True) | Q(hours__gte=0), name="transaction_hours_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.amount} {self.currency} ({self.get_status_display()})"

    def clean(self) -> None:
        if self.amount is not None and self.amount <= 0:
            raise ValidationError({"amount": "An amount must be more than zero."})


class BillLineItem(AuditedModel):
    """One line of a bill; usually one approved transaction, with its amount as billed."""

    bill = models.ForeignKey(Bill, on_delete=models.CASCADE, related_name="line_items")
    transaction = models.OneToOneField(
        Transaction, null=True, blank=True, on_delete=models.PROTECT, related_name="bill_line"
    )
    description = models.CharField(max_length=255, blank=True)
    hours = models.DecimalField(max_digits=7, decimal_places=2, null=True, blank=True)
    amount = _money()
    currency = models.CharField(max_length=3, default="USD")

    class Meta:
        ordering = ["bill", "id"]

    def __str__(self) -> str:
        return f"{self.description or 'Line'}: {self.amount} {self.currency}"


class Invoice(VendorRecord, AuditedModel):
    """An Alaunus invoice to a client or patient for home-care punchcards."""

    client = models.ForeignKey("jobs.Client", null=True, blank=True, on_delete=models.PROTECT, related_name="invoices")
    patient = models.ForeignKey(
        "jobs.Patient", null=True, blank=True, on_delete=models.PROTECT, related_name="invoices"
    )
    number = models.CharField(max_length=64, blank=True)
    invoice_date = models.DateField(null=True, blank=True)
    due_date = models.DateField(null=True, blank=True)
    period_start = models.DateField(null=True, blank=True)
    period_end = models.DateField(null=True, blank=True)
    currency = models.CharField(max_length=3, default="USD")
    subtotal = _money(default=0)
    tax_total = _money(default=0)
    amount_due = _money(default=0)
    amount_paid = _money(default=0)
    vendor_status = models.CharField(max_length=64, blank=True, help_text="Alaunus status id, as reported.")
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-invoice_date", "-id"]
        constraints = [
            *VendorRecord.Meta.constraints,
            models.CheckConstraint(
                condition=Q(period_end__isnull=True)
                | Q(period_start__isnull=True)
                | Q(period_end__gte=F("period_start")),
                name="invoice_period_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"Invoice {self.number or self.pk}"

    @property
    def total(self):
        return self.subtotal + self.tax_total


class InvoiceLine(models.Model):
    """An invoice's services and taxes (Alaunus subdocuments), as lines so totals can be checked and shown."""

    class Kind(models.TextChoices):
        SERVICE = "service", "Service"
        TAX = "tax", "Tax"

    invoice = models.ForeignKey(Invoice, on_delete=models.CASCADE, related_name="lines")
    kind = models.CharField(max_length=8, choices=Kind.choices, default=Kind.SERVICE)
    code = models.CharField(max_length=64, blank=True)
    description = models.CharField(max_length=255, blank=True)
    quantity = models.DecimalField(max_digits=9, decimal_places=2, null=True, blank=True)
    rate = _money(null=True, blank=True)
    amount = _money()
    timecard = models.ForeignKey(
        "shifts.Timecard", null=True, blank=True, on_delete=models.SET_NULL, related_name="invoice_lines"
    )

    class Meta:
        ordering = ["invoice", "kind", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.description}: {self.amount}"


class Payroll(VendorRecord, AuditedModel):
    """An Alaunus payroll period."""

    period_start = models.DateField()
    period_end = models.DateField()
    period_type = models.CharField(max_length=32, blank=True, help_text="Alaunus period_type, as reported.")
    currency = models.CharField(max_length=3, default="USD")
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-period_start", "-id"]
        constraints = [
            *VendorRecord.Meta.constraints,
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")), name="payroll_period_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"Payroll {self.period_start} - {self.period_end}"

    def clean(self) -> None:
        if self.period_start and self.period_end and self.period_end < self.period_start:
            raise ValidationError({"period_end": "A payroll period cannot end before it starts."})


class PayrollEntry(VendorRecord, AuditedModel):
    """One caregiver in a payroll period (Alaunus payrollsusers): hours and pay from their punchcards."""

    payroll = models.ForeignKey(Payroll, on_delete=models.CASCADE, related_name="entries")
    talent = models.ForeignKey(
        "talent.TalentProfile", null=True, blank=True, on_delete=models.PROTECT, related_name="payroll_entries"
    )
    hours = models.DecimalField(max_digits=7, decimal_places=2, default=0)
    gross_pay = _money(default=0)
    adjustments = _money(default=0)
    currency = models.CharField(max_length=3, default="USD")

    class Meta:
        ordering = ["payroll", "id"]
        verbose_name_plural = "payroll entries"
        constraints = [*VendorRecord.Meta.constraints]

    def __str__(self) -> str:
        return f"{self.talent or 'Caregiver'} in {self.payroll}"


class RateCard(AuditedModel):
    """What a client is billed and a worker is paid per hour, for a profession and kind of shift, from a date.

    Local to the portal (no vendor keeps rate cards). A facility's card wins over its client's; of several cards
    the one that took effect last on the day of work applies (issue 20). Overtime and double time multiply both
    rates, so the margin on those hours grows with them.
    """

    class ShiftKind(models.TextChoices):
        DAY = "day", "Day"
        NIGHT = "night", "Night"
        WEEKEND = "weekend", "Weekend"
        HOLIDAY = "holiday", "Holiday"

    client = models.ForeignKey("jobs.Client", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    facility = models.ForeignKey("jobs.Facility", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    profession = models.CharField(max_length=8, choices=ProfessionalType.choices)
    shift_kind = models.CharField(max_length=8, choices=ShiftKind.choices, default=ShiftKind.DAY)
    effective_from = models.DateField()
    effective_to = models.DateField(null=True, blank=True, help_text="Last day it applies; empty: until replaced.")
    bill_rate = _money(help_text="Per hour billed to the client.")
    pay_rate = _money(help_text="Per hour paid to the worker.")
    currency = models.CharField(max_length=3, default="USD")
    overtime_multiplier = models.DecimalField(max_digits=4, decimal_places=2, default=Decimal("1.50"))
    double_multiplier = models.DecimalField(max_digits=4, decimal_places=2, default=Decimal("2.00"))

    class Meta:
        ordering = ["client", "facility", "profession", "shift_kind", "-effective_from", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(client__isnull=False) | Q(facility__isnull=False), name="rate_card_for_client_or_facility"
            ),
            models.CheckConstraint(
                condition=Q(effective_to__isnull=True) | Q(effective_to__gte=F("effective_from")),
                name="rate_card_ends_after_start",
            ),
            models.CheckConstraint(condition=Q(bill_rate__gt=0) & Q(pay_rate__gt=0), name="rate_card_rates_positive"),
            models.CheckConstraint(
                condition=Q(overtime_multiplier__gte=1) & Q(double_multiplier__gte=1), name="rate_card_multipliers"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.profession} {self.get_shift_kind_display()} at {self.facility or self.client}"

    def clean(self) -> None:
        if not self.client_id and not self.facility_id:
            raise ValidationError("A rate card is for a client or a facility.")
        if self.effective_to and self.effective_from and self.effective_to < self.effective_from:
            raise ValidationError({"effective_to": "A rate card cannot end before it takes effect."})

    def applies_on(self, day) -> bool:
        return self.effective_from <= day and (self.effective_to is None or day <= self.effective_to)


class ExceptionResolution(AuditedModel):
    """A coordinator's answer to a reconciliation exception: why it is fine, by whom, when (issue 20).

    Exceptions are computed, not stored, so a resolution names its exception by key (problem, source, vendor
    record: `reconciliation.MatchException.key`) and keeps the work's time to load a period's resolutions in one
    query. Reopening keeps the row (who reopened, when): at most one resolution per key is in force.
    """

    key = models.CharField(max_length=200, db_index=True)
    work_at = models.DateTimeField(help_text="When the work started (UTC): a period's resolutions load by it.")
    reason = models.CharField(max_length=500)
    resolved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    resolved_at = models.DateTimeField()
    reopened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reopened_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-resolved_at", "-id"]
        indexes = [models.Index(fields=["work_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["key"], condition=Q(reopened_at__isnull=True), name="one_resolution_in_force_per_exception"
            )
        ]

    def __str__(self) -> str:
        return f"{self.key}: {self.reason}"


class VendorDispute(AuditedModel):
    """A reconciliation exception disputed at the vendor that holds the record (issue 20): a charge held with a
    note, or a timecard correction. Billing only records it and sends `dispute_raised`; the vendor's receiver
    writes the outbox row, whose state (sent, or the vendor's refusal) the queue shows beside the exception."""

    class Kind(models.TextChoices):
        HOLD_CHARGE = "hold_charge", "Charge held with a note"
        CORRECT_TIMECARD = "correct_timecard", "Timecard correction"

    class Closing(models.TextChoices):
        WITHDRAWN = "withdrawn", "Withdrawn"
        SETTLED = "settled", "Settled"

    kind = models.CharField(max_length=16, choices=Kind.choices)
    exception_key = models.CharField(max_length=200, db_index=True)
    work_at = models.DateTimeField(help_text="When the work started (UTC), as on the exception.")
    transaction = models.ForeignKey(
        Transaction, null=True, blank=True, on_delete=models.PROTECT, related_name="disputes"
    )
    timecard = models.ForeignKey(
        "shifts.Timecard", null=True, blank=True, on_delete=models.PROTECT, related_name="disputes"
    )
    note = models.CharField(max_length=500)
    check_in = models.DateTimeField(null=True, blank=True, help_text="Corrected check-in (UTC).")
    check_out = models.DateTimeField(null=True, blank=True, help_text="Corrected check-out (UTC).")
    break_minutes = models.PositiveIntegerField(null=True, blank=True)
    raised_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    raised_at = models.DateTimeField()
    # Closing it lifts the hold: an open hold on a charge refuses its approval and payment (see billing.services).
    closed_as = models.CharField(max_length=9, choices=Closing.choices, blank=True)
    close_reason = models.CharField(max_length=500, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-raised_at", "-id"]
        indexes = [models.Index(fields=["work_at"])]
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="hold_charge") & Q(transaction__isnull=False))
                | (Q(kind="correct_timecard") & Q(timecard__isnull=False) & Q(check_out__gt=F("check_in"))),
                name="dispute_names_its_record",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.note}"
