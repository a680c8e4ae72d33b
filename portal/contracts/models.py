"""Placements and the agreements around them: Kamana engagements (with extensions, notes and credentialing
requirements) and TribeIT/Ceki time-and-money contracts (with participants, events and time tracking)."""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from portal.core.audit import AuditedModel
from portal.core.models import VendorRecord
from portal.core.timezones import local_midnight
from portal.jobs.models import DEFAULT_TIME_ZONE
from portal.jobs.validators import validate_time_zone

__all__ = [
    "Contract",
    "ContractEvent",
    "ContractParticipant",
    "CredentialingRequirement",
    "CredentialingRequirementQuerySet",
    "Engagement",
    "EngagementExtension",
    "EngagementNote",
    "TimeEntry",
]

EXPIRY_WARNING = dt.timedelta(days=30)


def _money(**kwargs) -> models.DecimalField:
    return models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True, **kwargs)


def _forward_moves(pipeline: list[str]) -> dict[str, set[str]]:
    """Each step may move to any later step; the last is final."""
    return {step: set(pipeline[index + 1 :]) for index, step in enumerate(pipeline[:-1])}


class Engagement(VendorRecord, AuditedModel):
    """A talent placed (or being placed) on a job: Kamana's engagement, from `pending` to `complete`."""

    class Status(models.TextChoices):
        # Kamana's pipeline order (kamana-v2-api.txt, Engagement Event).
        PENDING = "pending", "Pending"
        QUALIFYING = "qualifying", "Qualifying"
        READY = "ready", "Ready"
        SUBMITTED = "submitted", "Submitted"
        INTERVIEWING = "interviewing", "Interviewing"
        OFFERED = "offered", "Offered"
        PLACED = "placed", "Placed"
        CREDENTIALING = "credentialing", "Credentialing"
        CREDENTIALED = "credentialed", "Credentialed"
        CLEARED = "cleared", "Cleared"
        ACTIVE = "active", "Active"
        COMPLETE = "complete", "Complete"

    class SubStatus(models.TextChoices):
        ASSIGNMENT_COMPLETE = "Assignment Complete"
        CANCELLED_BY_CLIENT = "Cancelled By Client"
        CANCELLED_BY_AGENCY = "Cancelled By Agency"
        CANCELLED_BY_TALENT = "Cancelled By Talent"
        DECLINED_BY_CLIENT = "Declined By Client"
        DECLINED = "Declined"
        DECLINED_BY_TALENT = "Declined By Talent"
        TERMINATED_BY_CLIENT = "Terminated By Client"
        TERMINATED_BY_AGENCY = "Terminated By Agency"
        TERMINATED_BY_TALENT = "Terminated By Talent"
        OTHER = "Other"

    # Staff move an engagement forward through the pipeline (skipping steps is normal: a direct hire goes
    # from `ready` to `placed`) or close it as `complete` with a sub-status saying why; `complete` is final.
    status_transitions: ClassVar = {"status": _forward_moves(list(Status))}

    talent = models.ForeignKey(
        "talent.TalentProfile", null=True, blank=True, on_delete=models.PROTECT, related_name="engagements"
    )
    job_requisition = models.ForeignKey(
        "jobs.JobRequisition", null=True, blank=True, on_delete=models.PROTECT, related_name="engagements"
    )
    facility = models.ForeignKey(
        "jobs.Facility",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="engagements",
        help_text="Kamana client_location.",
    )
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING, db_index=True)
    sub_status = models.CharField(max_length=32, choices=SubStatus.choices, blank=True)
    status_reason = models.CharField(max_length=255, blank=True)
    starts_on = models.DateField(null=True, blank=True)
    ends_on = models.DateField(null=True, blank=True)
    contract_length = models.PositiveSmallIntegerField(null=True, blank=True, help_text="Weeks (Kamana: 1-26).")
    hours_per_week = models.PositiveSmallIntegerField(null=True, blank=True)
    shift_start_time = models.PositiveSmallIntegerField(null=True, blank=True, help_text="Local hour, 0-23.")
    shift_end_time = models.PositiveSmallIntegerField(null=True, blank=True, help_text="Local hour, 0-23.")
    regular_hourly_rate = _money()
    weekly_gross_pay = _money()
    weekly_housing_stipend = _money()
    weekly_per_diem = _money()
    travel_reimbursement = _money()
    currency = models.CharField(max_length=3, default="USD")
    compensation_comments = models.TextField(blank=True)
    client_contract_id = models.CharField(
        max_length=64, blank=True, help_text="Kamana client contract; can be set once and not changed afterwards."
    )

    class Meta:
        ordering = ["-starts_on", "-id"]
        constraints = [
            *VendorRecord.Meta.constraints,
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(starts_on__isnull=True) | Q(ends_on__gte=F("starts_on")),
                name="engagement_ends_on_or_after_start",
            ),
            models.CheckConstraint(
                condition=Q(shift_start_time__isnull=True) | Q(shift_start_time__lte=23),
                name="engagement_shift_start_is_an_hour",
            ),
            models.CheckConstraint(
                condition=Q(shift_end_time__isnull=True) | Q(shift_end_time__lte=23),
                name="engagement_shift_end_is_an_hour",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.talent or 'Talent'} - {self.get_status_display()}"

    def clean(self) -> None:
        errors = {}
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            errors["ends_on"] = "An engagement cannot end before it starts."
        if self.sub_status and self.status != self.Status.COMPLETE:
            errors["sub_status"] = "A sub-status says why an engagement completed; set status to complete."
        # Kamana refuses to change a client contract once one is set (PUT /engagements, NOTE).
        loaded = (getattr(self, "_loaded_values", None) or {}).get("client_contract_id")
        if loaded and self.client_contract_id != loaded:
            errors["client_contract_id"] = "The client contract is already set and cannot be changed."
        for name in ("shift_start_time", "shift_end_time"):
            value = getattr(self, name)
            if value is not None and value > 23:
                errors[name] = "An hour of the day, 0-23."
        if errors:
            raise ValidationError(errors)


class EngagementExtension(VendorRecord, AuditedModel):
    """More weeks on the same placement."""

    engagement = models.ForeignKey(Engagement, on_delete=models.CASCADE, related_name="extensions")
    starts_on = models.DateField()
    ends_on = models.DateField()

    class Meta:
        ordering = ["starts_on", "id"]
        constraints = [
            *VendorRecord.Meta.constraints,
            models.CheckConstraint(condition=Q(ends_on__gte=F("starts_on")), name="extension_ends_on_or_after_start"),
        ]

    def __str__(self) -> str:
        return f"Extension {self.starts_on} - {self.ends_on}"

    def clean(self) -> None:
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": "An extension cannot end before it starts."})


class EngagementNote(VendorRecord, AuditedModel):
    engagement = models.ForeignKey(Engagement, on_delete=models.CASCADE, related_name="notes")
    content = models.TextField()
    note_type = models.CharField(max_length=32, default="note")
    creator_external_id = models.CharField(max_length=64, blank=True, help_text="Kamana creator_id.")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, help_text="Portal user, if any."
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [*VendorRecord.Meta.constraints]

    def __str__(self) -> str:
        return self.content[:60]


class CredentialingRequirementQuerySet(models.QuerySet):
    """Lists of what needs chasing: credentials that have lapsed or lapse within the warning window."""

    def expired(self, now: dt.datetime | None = None) -> CredentialingRequirementQuerySet:
        return self.filter(expires_at__lte=now or timezone.now())

    def expiring(self, now: dt.datetime | None = None) -> CredentialingRequirementQuerySet:
        now = now or timezone.now()
        return self.filter(expires_at__gt=now, expires_at__lte=now + EXPIRY_WARNING)

    def for_work_ahead(self, today: dt.date) -> CredentialingRequirementQuerySet:
        """Requirements that still matter: not dismissed, of an engagement not complete whose end (if known) is
        today or later, i.e. of people with work coming up (issue 18)."""
        return (
            self.exclude(status=CredentialingRequirement.Status.DISMISSED)
            .filter(
                Q(engagement__ends_on__isnull=True) | Q(engagement__ends_on__gte=today),
                engagement__archived_at=None,
                archived_at=None,
            )
            .exclude(engagement__status=Engagement.Status.COMPLETE)
        )


class CredentialingRequirement(VendorRecord, AuditedModel):
    """A licence, certification or document the talent must provide before a given engagement status."""

    class Status(models.TextChoices):
        NEEDED = "needed", "Needed"
        MAPPED = "mapped", "Mapped"
        VERIFIED = "verified", "Verified"
        DISMISSED = "dismissed", "Dismissed"

    class Kind(models.TextChoices):
        CERTIFICATION = "certification"
        EDUCATION = "education"
        EHR = "ehr", "EHR"
        ESIGN = "esign", "E-sign"
        GENERIC = "generic"
        LICENSE = "license"
        MEDICAL_HISTORY = "medical_history"
        REFERENCE = "reference"
        SKILLS_CHECKLIST = "skills_checklist"

    # Kamana's update events: mapped, verified, dismissed, restored from dismissal, mapping undone -> needed.
    status_transitions: ClassVar = {
        "status": {
            Status.NEEDED: {Status.MAPPED, Status.VERIFIED, Status.DISMISSED},
            Status.MAPPED: {Status.NEEDED, Status.VERIFIED, Status.DISMISSED},
            Status.VERIFIED: {Status.NEEDED, Status.DISMISSED},
            Status.DISMISSED: {Status.NEEDED},
        }
    }

    engagement = models.ForeignKey(Engagement, on_delete=models.CASCADE, related_name="requirements")
    name = models.CharField(max_length=255)
    kind = models.CharField(max_length=32, choices=Kind.choices, default=Kind.GENERIC)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.NEEDED, db_index=True)
    due_on = models.DateField(null=True, blank=True)
    expires_at = models.DateTimeField(
        null=True, blank=True, db_index=True, help_text="End of Kamana's expires_on day in expires_on_time_zone."
    )
    expires_on_time_zone = models.CharField(max_length=64, default=DEFAULT_TIME_ZONE, validators=[validate_time_zone])
    verified_at = models.DateTimeField(null=True, blank=True)
    dismissed_at = models.DateTimeField(null=True, blank=True)
    comments = models.TextField(blank=True)

    objects = CredentialingRequirementQuerySet.as_manager()

    class Meta:
        ordering = ["expires_at", "id"]
        constraints = [*VendorRecord.Meta.constraints]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_status_display()})"

    @staticmethod
    def expiry_instant(expires_on: dt.date, time_zone: str) -> dt.datetime:
        """Kamana gives a date and a zone; the credential is valid through that whole local day."""
        return local_midnight(expires_on + dt.timedelta(days=1), time_zone)

    def expiry_state(self, now: dt.datetime | None = None) -> str:
        """'expired', 'expiring' (within 30 days), 'valid', or '' when it never expires."""
        if self.expires_at is None:
            return ""
        now = now or timezone.now()
        if self.expires_at <= now:
            return "expired"
        return "expiring" if self.expires_at <= now + EXPIRY_WARNING else "valid"


class Contract(VendorRecord, AuditedModel):
    """A TribeIT/Ceki work contract: a budgeted piece of work that participants log time and money against.

    Ceki soft-deletes and restores contracts; that is `archived_at` here.
    """

    label = models.CharField(max_length=255)
    description = models.TextField(blank=True)
    client = models.ForeignKey("jobs.Client", null=True, blank=True, on_delete=models.PROTECT, related_name="contracts")
    engagement = models.ForeignKey(
        Engagement,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="contracts",
        help_text="The placement this contract bills, when there is one.",
    )
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="children")
    starts_at = models.DateTimeField(null=True, blank=True)
    ends_at = models.DateTimeField(null=True, blank=True)
    time_zone = models.CharField(max_length=64, default=DEFAULT_TIME_ZONE, validators=[validate_time_zone])
    budget = _money(help_text="Ceki `amount`.")
    currency = models.CharField(max_length=3, default="USD")
    is_private = models.BooleanField(default=False)
    vendor_status_id = models.IntegerField(null=True, blank=True, help_text="Ceki status_id, as reported.")

    class Meta:
        ordering = ["label", "id"]
        constraints = [
            *VendorRecord.Meta.constraints,
            models.CheckConstraint(
                condition=Q(ends_at__isnull=True) | Q(starts_at__isnull=True) | Q(ends_at__gt=F("starts_at")),
                name="contract_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.label


class ContractParticipant(VendorRecord, AuditedModel):
    """One of a contract's "hands": a person with a role, who has or has not accepted."""

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="participants")
    talent = models.ForeignKey(
        "talent.TalentProfile", null=True, blank=True, on_delete=models.PROTECT, related_name="contract_participations"
    )
    email = models.CharField(max_length=254, blank=True)
    role = models.CharField(max_length=64, blank=True, help_text="Ceki role name, as reported.")
    role_id = models.PositiveSmallIntegerField(null=True, blank=True, help_text="Ceki role_id (1-6).")
    accepted = models.BooleanField(null=True, blank=True, help_text="Empty while the invitation is unanswered.")
    rate = _money(help_text="Ceki `price`.")
    currency = models.CharField(max_length=3, default="USD")
    is_working = models.BooleanField(default=False, help_text="Time tracking is running.")

    class Meta:
        ordering = ["contract", "id"]
        constraints = [*VendorRecord.Meta.constraints]

    def __str__(self) -> str:
        return f"{self.talent or self.email or 'Participant'} ({self.role or 'no role'})"


class ContractEvent(VendorRecord, AuditedModel):
    """A dated piece of work on a contract (Ceki contract event): what the charges are for."""

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="events")
    beneficiary = models.ForeignKey(
        ContractParticipant, null=True, blank=True, on_delete=models.SET_NULL, related_name="events"
    )
    label = models.CharField(max_length=255, blank=True)
    description = models.TextField(blank=True)
    starts_at = models.DateTimeField()
    duration_minutes = models.PositiveIntegerField(default=60, help_text="Ceki requires at least 15.")
    time_zone = models.CharField(max_length=64, default=DEFAULT_TIME_ZONE, validators=[validate_time_zone])
    amount = _money()
    currency = models.CharField(max_length=3, default="USD")
    vendor_status_id = models.IntegerField(null=True, blank=True, help_text="Ceki status_id (100/400/444/777).")
    vendor_payment_status_id = models.IntegerField(null=True, blank=True)

    class Meta:
        ordering = ["starts_at", "id"]
        constraints = [
            *VendorRecord.Meta.constraints,
            models.CheckConstraint(condition=Q(duration_minutes__gte=15), name="contract_event_at_least_15_minutes"),
        ]

    def __str__(self) -> str:
        return f"{self.label or 'Event'} {self.starts_at:%Y-%m-%d %H:%M} UTC"

    @property
    def ends_at(self) -> dt.datetime:
        return self.starts_at + dt.timedelta(minutes=self.duration_minutes)


class TimeEntry(VendorRecord, AuditedModel):
    """A time-tracking session on a contract; stopping it makes a billable charge (a billing.Transaction)."""

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="time_entries")
    participant = models.ForeignKey(
        ContractParticipant, null=True, blank=True, on_delete=models.SET_NULL, related_name="time_entries"
    )
    label = models.CharField(max_length=255, blank=True)
    started_at = models.DateTimeField()
    stopped_at = models.DateTimeField(null=True, blank=True, help_text="Empty while the clock runs.")
    time_zone = models.CharField(max_length=64, default=DEFAULT_TIME_ZONE, validators=[validate_time_zone])

    class Meta:
        ordering = ["-started_at", "-id"]
        verbose_name_plural = "time entries"
        constraints = [
            *VendorRecord.Meta.constraints,
            models.CheckConstraint(
                condition=Q(stopped_at__isnull=True) | Q(stopped_at__gt=F("started_at")),
                name="time_entry_stops_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.label or 'Time'} from {self.started_at:%Y-%m-%d %H:%M} UTC"

    def clean(self) -> None:
        if self.started_at and self.stopped_at and self.stopped_at <= self.started_at:
            raise ValidationError({"stopped_at": "Time tracking must stop after it started."})

    @property
    def is_running(self) -> bool:
        return self.stopped_at is None

    @property
    def hours(self) -> float | None:
        if self.stopped_at is None:
            return None
        return round((self.stopped_at - self.started_at).total_seconds() / 3600, 2)
