"""Per-diem shift requests (IntelyCare), home-care visits and their recurring groups (Alaunus), and timecards
for both (IntelyCare timecards, Alaunus punchcards)."""

from __future__ import annotations

import datetime as dt
import secrets
from typing import ClassVar, NamedTuple
from zoneinfo import ZoneInfo

from dateutil import rrule
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q

from portal.core.audit import AuditedModel
from portal.core.models import VendorRecord
from portal.core.timezones import local_to_utc, to_local, zone_named
from portal.jobs.models import DEFAULT_TIME_ZONE
from portal.jobs.validators import validate_time_zone

__all__ = [
    "Occurrence",
    "ProfessionalType",
    "RecurringVisitGroup",
    "ShiftRequest",
    "SlotBooking",
    "Timecard",
    "Visit",
    "new_external_shift_id",
]


class ProfessionalType(models.TextChoices):
    """IntelyCare's healthcareProfessionalType examples ("CNA", "LPN", "RN") plus the home-care roles."""

    CNA = "CNA", "Certified Nursing Assistant"
    LPN = "LPN", "Licensed Practical Nurse"
    RN = "RN", "Registered Nurse"
    CMA = "CMA", "Certified Medication Aide"
    STNA = "STNA", "State Tested Nursing Assistant"
    HHA = "HHA", "Home Health Aide"


def new_external_shift_id() -> str:
    """The id the portal sends as IntelyCare's `externalShiftId`.

    Digits only: the doc types it as a string on create but as an integer in the timecard and webhook schemas
    (intelycare-api.txt), so a numeric string is safe in both readings.
    """
    return str(10**11 + secrets.randbelow(9 * 10**11))


class BreakInterval(models.Func):
    """`break_minutes` as an interval, so the database itself can check that a break fits inside the timecard."""

    output_field = models.DurationField()

    def as_postgresql(self, compiler, connection, **extra):
        return self.as_sql(compiler, connection, template="make_interval(mins => %(expressions)s)", **extra)

    def as_sqlite(self, compiler, connection, **extra):
        # Django keeps durations on SQLite as integer microseconds.
        return self.as_sql(compiler, connection, template="(%(expressions)s * 60000000)", **extra)


class ShiftRequest(VendorRecord, AuditedModel):
    """A per-diem shift the portal asks a staffing vendor to fill. `external_id` is IntelyCare's internalShiftId."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        FILLED = "filled", "Filled"
        COMPLETED = "completed", "Completed"
        CANCELLED = "cancelled", "Cancelled"

    status_transitions: ClassVar = {
        "status": {
            Status.OPEN: {Status.FILLED, Status.CANCELLED},
            Status.FILLED: {Status.OPEN, Status.COMPLETED, Status.CANCELLED},
        }
    }

    facility = models.ForeignKey("jobs.Facility", on_delete=models.PROTECT, related_name="shift_requests")
    unit = models.CharField(max_length=100, help_text="Facility unit where care is delivered, e.g. '1st Floor'.")
    professional_type = models.CharField(max_length=8, choices=ProfessionalType.choices)
    starts_at = models.DateTimeField(help_text="UTC.")
    ends_at = models.DateTimeField(help_text="UTC.")
    time_zone = models.CharField(
        max_length=64, blank=True, validators=[validate_time_zone], help_text="IANA zone; copied from the facility."
    )
    boost_percentage = models.PositiveSmallIntegerField(default=0, validators=[MaxValueValidator(100)])
    external_shift_id = models.CharField(max_length=32, unique=True, default=new_external_shift_id)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.OPEN, db_index=True)
    assigned_professional = models.ForeignKey(
        "talent.TalentProfile", null=True, blank=True, on_delete=models.PROTECT, related_name="shift_requests"
    )
    status_changed_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="Vendor statusTimestamp of the newest event folded into the status (every stored event is folded).",
    )
    source = models.CharField(max_length=64, default="staffing-portal", help_text="IntelyCare shiftSource.")

    class Meta:
        ordering = ["starts_at", "id"]
        indexes = [models.Index(fields=["facility", "starts_at"]), models.Index(fields=["status", "starts_at"])]
        constraints = [
            *VendorRecord.Meta.constraints,
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="shift_ends_after_start"),
            models.CheckConstraint(condition=Q(boost_percentage__lte=100), name="shift_boost_at_most_100"),
        ]

    def __str__(self) -> str:
        return f"{self.get_professional_type_display()} {self.unit} {self.local_starts_at:%Y-%m-%d %H:%M %Z}"

    def save(self, *args, **kwargs):
        if not self.time_zone and self.facility_id:
            self.time_zone = self.facility.time_zone
        super().save(*args, **kwargs)

    def clean(self) -> None:
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": "A shift must end after it starts."})
        if self.assigned_professional_id and self.status == self.Status.OPEN:
            raise ValidationError({"assigned_professional": "An open shift has no assigned professional."})
        if not self.assigned_professional_id and self.status in {self.Status.FILLED, self.Status.COMPLETED}:
            raise ValidationError({"status": "A filled or completed shift needs its assigned professional."})

    @property
    def zone(self) -> ZoneInfo:
        return zone_named(self.time_zone) or ZoneInfo(DEFAULT_TIME_ZONE)  # a mistyped zone still shows

    @property
    def local_starts_at(self) -> dt.datetime:
        return to_local(self.starts_at, str(self.zone))

    @property
    def local_ends_at(self) -> dt.datetime:
        return to_local(self.ends_at, str(self.zone))

    @property
    def duration(self) -> dt.timedelta:
        """Real elapsed time: a night shift across the autumn change lasts an hour longer than its clock times."""
        return self.ends_at - self.starts_at

    @property
    def is_overnight(self) -> bool:
        return self.local_ends_at.date() > self.local_starts_at.date()


class Occurrence(NamedTuple):
    starts_at: dt.datetime
    ends_at: dt.datetime


def _listed(value: object) -> list:
    return value if isinstance(value, list) else [value]


class RecurringVisitGroup(VendorRecord, AuditedModel):
    """An Alaunus eventsgroup: an RFC 5545 rule (freq, interval, byweekday, bymonthday, count, until, wkst).

    The first visit's `starts_at`/`ends_at` give the clock times and length of every occurrence; occurrences are
    expanded on the group's wall clock so a 09:00 visit stays at 09:00 across daylight-saving changes.
    """

    class Frequency(models.TextChoices):
        DAILY = "DAILY", "Daily"
        WEEKLY = "WEEKLY", "Weekly"
        MONTHLY = "MONTHLY", "Monthly"
        YEARLY = "YEARLY", "Yearly"

    class Weekday(models.TextChoices):
        MO = "MO", "Monday"
        TU = "TU", "Tuesday"
        WE = "WE", "Wednesday"
        TH = "TH", "Thursday"
        FR = "FR", "Friday"
        SA = "SA", "Saturday"
        SU = "SU", "Sunday"

    client = models.ForeignKey(
        "jobs.Client", null=True, blank=True, on_delete=models.PROTECT, related_name="recurring_visit_groups"
    )
    caregiver = models.ForeignKey(
        "talent.TalentProfile", null=True, blank=True, on_delete=models.PROTECT, related_name="recurring_visit_groups"
    )
    patient = models.ForeignKey(
        "jobs.Patient", null=True, blank=True, on_delete=models.PROTECT, related_name="recurring_visit_groups"
    )
    service_name = models.CharField(max_length=200, blank=True)
    time_zone = models.CharField(max_length=64, default=DEFAULT_TIME_ZONE, validators=[validate_time_zone])
    starts_at = models.DateTimeField(help_text="Start of the first visit (UTC); RFC 5545 DTSTART.")
    ends_at = models.DateTimeField(help_text="End of the first visit (UTC); every visit lasts as long.")
    freq = models.CharField(max_length=8, choices=Frequency.choices, default=Frequency.WEEKLY)
    interval = models.PositiveSmallIntegerField(default=1, validators=[MinValueValidator(1)])
    byweekday = models.JSONField(
        default=list, blank=True, help_text='RFC 5545 BYDAY, e.g. ["MO", "WE"] or ["+2TU"] (second Tuesday).'
    )
    bymonthday = models.JSONField(default=list, blank=True, help_text="Days of the month, e.g. [1, 15, -1].")
    count = models.PositiveIntegerField(null=True, blank=True)
    until = models.DateTimeField(null=True, blank=True, help_text="UTC; inclusive.")
    wkst = models.CharField(max_length=2, choices=Weekday.choices, default=Weekday.MO)

    class Meta:
        ordering = ["starts_at", "id"]
        constraints = [
            *VendorRecord.Meta.constraints,
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="visit_group_ends_after_start"),
            # RFC 5545 3.3.10: UNTIL and COUNT MUST NOT occur in the same rule.
            models.CheckConstraint(
                condition=Q(count__isnull=True) | Q(until__isnull=True), name="visit_group_count_or_until"
            ),
            models.CheckConstraint(condition=Q(interval__gte=1), name="visit_group_interval_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.service_name or 'Visits'} for {self.patient or 'patient'} ({self.rule_text})"

    def clean(self) -> None:
        if self.count and self.until:
            raise ValidationError({"until": "A rule ends either after a count or at a date, not both (RFC 5545)."})
        try:
            self._weekdays()
        except (KeyError, ValueError, TypeError) as exc:
            raise ValidationError({"byweekday": f"Not an RFC 5545 weekday list: {exc}"}) from exc
        days = self.bymonthday
        if not isinstance(days, list) or not all(type(d) is int and 1 <= abs(d) <= 31 for d in days):
            raise ValidationError({"bymonthday": "Days of the month as a list such as [1, 15, -1] (1 to 31, -1 last)."})

    @property
    def rule_text(self) -> str:
        parts = [f"FREQ={self.freq}", f"INTERVAL={self.interval}"]
        # As stored, even when a refused admin form holds something else than a list (shown, not read).
        if self.byweekday:
            parts.append("BYDAY=" + ",".join(str(d) for d in _listed(self.byweekday)))
        if self.bymonthday:
            parts.append("BYMONTHDAY=" + ",".join(str(d) for d in _listed(self.bymonthday)))
        if self.count:
            parts.append(f"COUNT={self.count}")
        if self.until:
            parts.append(f"UNTIL={self.until:%Y%m%dT%H%M%SZ}")
        parts.append(f"WKST={self.wkst}")
        return ";".join(parts)

    def _weekdays(self) -> list[rrule.weekday] | None:
        """BYDAY codes ("MO", or "+2TU"/"-1FR" for the nth weekday of the period) as dateutil weekdays."""
        days = []
        for value in self.byweekday or []:
            code = str(value).strip().upper()
            if code[-2:] not in self.Weekday.values:
                raise ValueError(f"{value!r} is not a weekday code such as 'MO' or '+2TU'")
            day = getattr(rrule, code[-2:])
            days.append(day(int(code[:-2])) if code[:-2] else day)
        return days or None

    def occurrences(self, between: tuple[dt.datetime, dt.datetime]) -> list[Occurrence]:
        """Visits starting within `between` (aware datetimes, both ends inclusive), as UTC instants.

        Start and end keep the first visit's wall-clock times: a 22:00-06:00 night visit ends at 06:00 on the night
        clocks change too (it then lasts 7 or 9 hours), as a visit made from the same clock times would.
        """
        zone = self.zone
        first = self.starts_at.astimezone(zone).replace(tzinfo=None)
        length = self.ends_at.astimezone(zone).replace(tzinfo=None) - first  # on the clock, not elapsed
        rule = rrule.rrule(
            getattr(rrule, self.freq),
            dtstart=first,
            interval=self.interval,
            byweekday=self._weekdays(),
            bymonthday=self.bymonthday or None,
            count=self.count,
            until=self.until.astimezone(zone).replace(tzinfo=None) if self.until else None,
            wkst=getattr(rrule, self.wkst),
        )
        after, before = (moment.astimezone(zone).replace(tzinfo=None) for moment in between)
        return [
            Occurrence(local_to_utc(local, zone), local_to_utc(local + length, zone))
            for local in rule.between(after, before, inc=True)
        ]

    @property
    def zone(self) -> ZoneInfo:
        return zone_named(self.time_zone) or ZoneInfo(DEFAULT_TIME_ZONE)  # a mistyped zone still shows


class Visit(VendorRecord, AuditedModel):
    """A home-care visit (Alaunus event): a caregiver at a patient's home, possibly one of a recurring group."""

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", "Scheduled"
        IN_PROGRESS = "in_progress", "In progress"
        COMPLETED = "completed", "Completed"
        CANCELLED = "cancelled", "Cancelled"
        MISSED = "missed", "Missed"

    status_transitions: ClassVar = {
        "status": {
            Status.SCHEDULED: {Status.IN_PROGRESS, Status.COMPLETED, Status.CANCELLED, Status.MISSED},
            Status.IN_PROGRESS: {Status.COMPLETED, Status.CANCELLED},
            Status.MISSED: {Status.SCHEDULED},
        }
    }

    group = models.ForeignKey(
        RecurringVisitGroup, null=True, blank=True, on_delete=models.SET_NULL, related_name="visits"
    )
    client = models.ForeignKey("jobs.Client", null=True, blank=True, on_delete=models.PROTECT, related_name="visits")
    caregiver = models.ForeignKey(
        "talent.TalentProfile", null=True, blank=True, on_delete=models.PROTECT, related_name="visits"
    )
    patient = models.ForeignKey("jobs.Patient", null=True, blank=True, on_delete=models.PROTECT, related_name="visits")
    service_name = models.CharField(max_length=200, blank=True)
    address = models.CharField(max_length=300, blank=True)
    starts_at = models.DateTimeField(help_text="Scheduled start (UTC).")
    ends_at = models.DateTimeField(help_text="Scheduled end (UTC).")
    time_zone = models.CharField(max_length=64, default=DEFAULT_TIME_ZONE, validators=[validate_time_zone])
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.SCHEDULED, db_index=True)
    pay_rate = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)
    bill_rate = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)
    currency = models.CharField(max_length=3, default="USD")
    stat_holiday = models.BooleanField(default=False)
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["starts_at", "id"]
        indexes = [models.Index(fields=["caregiver", "starts_at"])]
        constraints = [
            *VendorRecord.Meta.constraints,
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="visit_ends_after_start"),
        ]

    def __str__(self) -> str:
        return f"{self.service_name or 'Visit'} {self.patient or ''} {self.local_starts_at:%Y-%m-%d %H:%M %Z}"

    def clean(self) -> None:
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": "A visit must end after it starts."})

    @property
    def local_starts_at(self) -> dt.datetime:
        return to_local(self.starts_at, zone_named(self.time_zone) or DEFAULT_TIME_ZONE)

    @property
    def local_ends_at(self) -> dt.datetime:
        return to_local(self.ends_at, zone_named(self.time_zone) or DEFAULT_TIME_ZONE)


class Timecard(VendorRecord, AuditedModel):
    """Actual times worked: an IntelyCare timecard for a shift, or an Alaunus punchcard for a visit."""

    shift = models.ForeignKey(ShiftRequest, null=True, blank=True, on_delete=models.PROTECT, related_name="timecards")
    visit = models.ForeignKey(Visit, null=True, blank=True, on_delete=models.PROTECT, related_name="timecards")
    professional = models.ForeignKey(
        "talent.TalentProfile", null=True, blank=True, on_delete=models.PROTECT, related_name="timecards"
    )
    check_in = models.DateTimeField(help_text="UTC.")
    check_out = models.DateTimeField(null=True, blank=True, help_text="UTC; empty while still on shift.")
    break_minutes = models.PositiveIntegerField(default=0)
    pay_rate = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)
    pay_total = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    bill_rate = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)
    bill_total = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    currency = models.CharField(max_length=3, default="USD")
    vendor_errors = models.JSONField(
        default=list, blank=True, help_text="IntelyCare's `errors` from the last send; empty when accepted."
    )
    corrected_at = models.DateTimeField(
        null=True, blank=True, help_text="When a coordinator corrected the actual times in the portal (local only)."
    )
    correction_reason = models.CharField(max_length=200, blank=True, default="", help_text="Why (local only).")

    class Meta:
        ordering = ["-check_in", "-id"]
        constraints = [
            *VendorRecord.Meta.constraints,
            models.CheckConstraint(
                condition=Q(shift__isnull=False) | Q(visit__isnull=False), name="timecard_for_shift_or_visit"
            ),
            # IntelyCare keeps one timecard per shift, created and then updated by externalShiftId.
            models.UniqueConstraint(fields=["shift"], condition=Q(shift__isnull=False), name="timecard_one_per_shift"),
            models.CheckConstraint(
                condition=Q(check_out__isnull=True) | Q(check_out__gt=F("check_in")),
                name="timecard_check_out_after_check_in",
            ),
            models.CheckConstraint(
                condition=Q(check_out__isnull=True) | Q(check_out__gt=F("check_in") + BreakInterval("break_minutes")),
                name="timecard_break_shorter_than_shift",
            ),
        ]

    def __str__(self) -> str:
        return f"Timecard {self.check_in:%Y-%m-%d %H:%M} UTC for {self.shift or self.visit}"

    def clean(self) -> None:
        if self.shift_id is None and self.visit_id is None:
            raise ValidationError("A timecard belongs to a shift or a visit.")
        if self.check_in and self.check_out:
            if self.check_out <= self.check_in:
                raise ValidationError({"check_out": "Check-out must be after check-in."})
            if dt.timedelta(minutes=self.break_minutes or 0) >= self.check_out - self.check_in:
                raise ValidationError({"break_minutes": "The break must be shorter than the time worked."})

    @property
    def worked_minutes(self) -> int | None:
        if self.check_out is None:
            return None
        return int((self.check_out - self.check_in).total_seconds() // 60) - self.break_minutes


class SlotBooking(AuditedModel):
    """A specialist's slot booked through a sourcing channel (issue 22) for an unfilled shift, visit or open
    requisition: the person as the portal knows them, and the booking's state as the vendor answered it.

    Written with its outbox row after the gate passed; the row's outcome moves it from pending to booked (the
    vendor's event id, a payment link when asked) or refused (the vendor's reason), once."""

    class State(models.TextChoices):
        PENDING = "pending", "Pending"
        BOOKED = "booked", "Booked"
        REFUSED = "refused", "Refused"

    status_transitions: ClassVar = {
        "state": {State.PENDING: {State.BOOKED, State.REFUSED}, State.REFUSED: {State.BOOKED}}
    }

    connection = models.ForeignKey(
        "integrations.VendorConnection", on_delete=models.PROTECT, related_name="slot_bookings"
    )
    shift = models.ForeignKey(
        ShiftRequest, null=True, blank=True, on_delete=models.CASCADE, related_name="slot_bookings"
    )
    visit = models.ForeignKey(Visit, null=True, blank=True, on_delete=models.CASCADE, related_name="slot_bookings")
    requisition = models.ForeignKey(
        "jobs.JobRequisition", null=True, blank=True, on_delete=models.CASCADE, related_name="slot_bookings"
    )
    profile = models.ForeignKey("talent.TalentProfile", on_delete=models.PROTECT, related_name="slot_bookings")
    person_ref = models.CharField(max_length=64, help_text="The vendor's id of the specialist.")
    schedule_ref = models.CharField(max_length=64, help_text="The vendor's id of the specialist's schedule.")
    slot_starts_at = models.DateTimeField(help_text="UTC.")
    slot_ends_at = models.DateTimeField(help_text="UTC.")
    price = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)
    currency = models.CharField(max_length=10, blank=True, default="")
    with_payment = models.BooleanField(default=False)
    state = models.CharField(max_length=16, choices=State.choices, default=State.PENDING, db_index=True)
    event_ref = models.CharField(max_length=64, blank=True, default="", help_text="The vendor's booked event.")
    payment_url = models.URLField(max_length=500, blank=True, default="")
    refusal = models.TextField(blank=True, default="", help_text="The vendor's reason, when refused.")
    override_reason = models.CharField(max_length=255, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(shift__isnull=False, visit__isnull=True, requisition__isnull=True)
                    | Q(shift__isnull=True, visit__isnull=False, requisition__isnull=True)
                    | Q(shift__isnull=True, visit__isnull=True, requisition__isnull=False)
                ),
                name="slot_booking_for_one_record",
            ),
            models.CheckConstraint(condition=Q(slot_ends_at__gt=F("slot_starts_at")), name="slot_ends_after_start"),
        ]

    def __str__(self) -> str:
        return f"{self.profile} on {self.connection} ({self.get_state_display()})"
