"""The supply side: people who work shifts and jobs, and where they stand with each account.

One person is one `TalentProfile`, however many vendors know them; each vendor's record of that person is a
`TalentReference` (issue 3: "a person found in several vendors, matched by normalised email, is one talent
profile with several references"). Kamana account relationships and CareerBuilder candidate statuses hang off
the profile and together form a candidate's timeline.
"""

from __future__ import annotations

from typing import ClassVar

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone

from portal.core.audit import AuditedModel
from portal.core.models import VendorRecord

__all__ = [
    "AccountRelationship",
    "CandidateStatus",
    "OpportunityPreference",
    "Skill",
    "TalentProfile",
    "TalentReference",
    "normalise_email",
]


def normalise_email(email: str | None) -> str:
    """The matching key for people across vendors: surrounding space stripped, case folded. Nothing cleverer
    (no gmail dot rules): a false merge of two people is worse than a missed one."""
    return (email or "").strip().casefold()


class Skill(VendorRecord, AuditedModel):
    """A caregiver skill (Alaunus skills: title, description, colour), e.g. "Dementia care"."""

    title = models.CharField(max_length=100)
    description = models.TextField(blank=True, default="")
    color = models.CharField(max_length=20, blank=True, default="")

    class Meta(VendorRecord.Meta):
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title


class TalentProfile(AuditedModel):
    """One person who can be staffed. Not a `VendorRecord`: vendor ids live on its references."""

    first_name = models.CharField(max_length=100, blank=True, default="")
    last_name = models.CharField(max_length=100, blank=True, default="")
    email = models.CharField(
        max_length=254, blank=True, default="", help_text="Normalised (trimmed, lower-case): the matching key."
    )
    phone = models.CharField(max_length=40, blank=True, default="")
    profession = models.ForeignKey(
        "jobs.Profession", null=True, blank=True, on_delete=models.SET_NULL, related_name="talent_profiles"
    )
    specialty = models.ForeignKey(
        "jobs.Specialty", null=True, blank=True, on_delete=models.SET_NULL, related_name="talent_profiles"
    )
    years_experience = models.PositiveSmallIntegerField(null=True, blank=True)
    do_not_hire = models.BooleanField(default=False)
    skills = models.ManyToManyField(Skill, blank=True, related_name="talent_profiles")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["last_name", "first_name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["email"], condition=~Q(email=""), name="talent_profile_unique_email")
        ]

    def __str__(self) -> str:
        name = f"{self.first_name} {self.last_name}".strip()
        return name or self.email or f"Talent {self.pk}"

    def save(self, *args, **kwargs):
        self.email = normalise_email(self.email)
        super().save(*args, **kwargs)


class TalentReference(VendorRecord, AuditedModel):
    """One vendor's record of a person (a Kamana profile, an Alaunus user or candidate, an IntelyCare
    professional): `connection` + `external_id` say which, `vendor_data` holds what the vendor sent."""

    profile = models.ForeignKey(TalentProfile, on_delete=models.CASCADE, related_name="references")
    email = models.CharField(max_length=254, blank=True, default="", help_text="The email this vendor holds.")

    class Meta(VendorRecord.Meta):
        ordering = ["profile_id", "id"]

    def __str__(self) -> str:
        return f"{self.connection} #{self.external_id}" if self.connection_id else f"local reference {self.pk}"


class OpportunityPreference(VendorRecord, AuditedModel):
    """What a person told one vendor they are looking for (Kamana `opportunity_preference`, included with Show
    Talent): when they can start, how long and how many hours, the least weekly pay, which shifts.

    A row per preference rather than a JSON field on the reference: each has its own Kamana id and update time,
    so the sync's diff writes only what changed and archives one Kamana dropped, and typed columns let the page
    show dates and money as such. It hangs off the vendor's reference (whose connection it shares), not the
    person: another vendor's view of the same person is a different statement."""

    reference = models.ForeignKey(TalentReference, on_delete=models.CASCADE, related_name="opportunity_preferences")
    name = models.CharField(max_length=255, blank=True, default="")
    available_on = models.DateField(null=True, blank=True)
    desired_contract_length = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="As Kamana sends it (its enum is 1-26; the doc names no unit)."
    )
    hours_per_week = models.PositiveSmallIntegerField(null=True, blank=True)
    minimum_weekly_gross_pay = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)
    currency = models.CharField(max_length=3, default="USD")
    shift_days = models.BooleanField(null=True, blank=True)
    shift_mids = models.BooleanField(null=True, blank=True)
    shift_nights = models.BooleanField(null=True, blank=True)

    class Meta(VendorRecord.Meta):
        ordering = ["available_on", "id"]

    def __str__(self) -> str:
        return self.name or f"Preference {self.external_id or self.pk}"

    @property
    def shifts(self) -> list[str]:
        """The shifts the person said yes to, in the day's order."""
        wanted = (("Days", self.shift_days), ("Mids", self.shift_mids), ("Nights", self.shift_nights))
        return [label for label, yes in wanted if yes]


class AccountRelationship(VendorRecord, AuditedModel):
    """Where a person stands with a staffing account (Kamana V2 account relationships).

    Kamana documents the statuses but not which moves are allowed; we allow the pipeline forwards and back one
    step, archiving from anywhere and reopening an archived person as interested or prospect. A status change
    carries its `sub_status` and `status_reason` (Kamana requires both when status is set).
    """

    class Status(models.TextChoices):
        INTERESTED = "interested", "Interested"
        PROSPECT = "prospect", "Prospect"
        REVIEW = "review", "Review"
        ENGAGED = "engaged", "Engaged"
        ARCHIVED = "archived", "Archived"

    status_transitions: ClassVar[dict[str, dict[str, set[str]]]] = {
        "status": {
            Status.INTERESTED: {Status.PROSPECT, Status.REVIEW, Status.ENGAGED, Status.ARCHIVED},
            Status.PROSPECT: {Status.INTERESTED, Status.REVIEW, Status.ENGAGED, Status.ARCHIVED},
            Status.REVIEW: {Status.PROSPECT, Status.ENGAGED, Status.ARCHIVED},
            Status.ENGAGED: {Status.REVIEW, Status.ARCHIVED},
            Status.ARCHIVED: {Status.INTERESTED, Status.PROSPECT},
        }
    }

    profile = models.ForeignKey(TalentProfile, on_delete=models.CASCADE, related_name="relationships")
    account_ref = models.CharField(max_length=100, blank=True, default="", help_text="Kamana account id.")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.INTERESTED, db_index=True)
    sub_status = models.CharField(max_length=100, blank=True, default="")
    status_reason = models.CharField(max_length=255, blank=True, default="")
    status_changed_at = models.DateTimeField(null=True, blank=True)
    primary_contact_email = models.CharField(max_length=254, blank=True, default="")
    primary_contact_ref = models.CharField(
        max_length=100, blank=True, default="", help_text="Kamana `primary_contact_id` (a Kamana user)."
    )
    do_not_hire = models.BooleanField(default=False)
    do_not_hire_user_ref = models.CharField(max_length=100, blank=True, default="")
    source = models.CharField(max_length=100, blank=True, default="", help_text="Kamana `source`, e.g. 'Direct'.")

    class Meta(VendorRecord.Meta):
        ordering = ["-status_changed_at", "-id"]
        constraints = [
            *VendorRecord.Meta.constraints,
            models.UniqueConstraint(
                fields=["connection", "account_ref", "profile"],
                condition=Q(connection__isnull=False),
                name="talent_relationship_one_per_account",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.profile} — {self.get_status_display()}"

    def status_changed(self) -> bool:
        loaded = getattr(self, "_loaded_values", None)
        return loaded is not None and loaded.get("status") != self.status

    def clean(self) -> None:
        """Forms (admin, pages) ask for the sub-status and reason that Kamana requires with a status change."""
        super().clean()
        if self.status_changed():
            missing = {
                name: "Give a sub-status and a reason with a status change."
                for name in ("sub_status", "status_reason")
                if not getattr(self, name)
            }
            if missing:
                raise ValidationError(missing)

    def save(self, *args, **kwargs):
        # A vendor tells us when the status changed; a move made here happens now.
        loaded = getattr(self, "_loaded_values", {})
        if self.status_changed() and loaded.get("status_changed_at") == self.status_changed_at:
            self.status_changed_at = timezone.now()
        super().save(*args, **kwargs)


class CandidateStatus(VendorRecord, AuditedModel):
    """One status line from CareerBuilder Candidate Status. CareerBuilder has no record id; its documented unique
    key (account, candidate_email, vendor_key, requisition_id, status_level) is ours too, with absent values
    stored as ''. Statuses are free text as the source system recorded them, so no transitions are enforced."""

    class Level(models.TextChoices):
        CANDIDATE = "candidate", "Candidate"
        APPLICATION = "application", "Application"

    profile = models.ForeignKey(
        TalentProfile, null=True, blank=True, on_delete=models.SET_NULL, related_name="candidate_statuses"
    )
    account = models.CharField(max_length=20, help_text="CareerBuilder account DID.")
    candidate_email = models.CharField(max_length=255)
    vendor_key = models.CharField(max_length=20, blank=True, default="")
    client = models.CharField(max_length=20, blank=True, default="", help_text="System that reported the status.")
    requisition_id = models.CharField(max_length=1024, blank=True, default="")
    requisition_title = models.CharField(max_length=256, blank=True, default="")
    status_level = models.CharField(max_length=20, choices=Level.choices)
    level_id = models.CharField(max_length=64, blank=True, default="")
    status = models.CharField(max_length=100)
    status_detail = models.TextField(max_length=4096, blank=True, default="")
    status_date = models.DateTimeField(db_index=True)

    class Meta(VendorRecord.Meta):
        ordering = ["-status_date", "-id"]
        verbose_name_plural = "candidate statuses"
        # CareerBuilder's key, once per connection and once among lines recorded with none: a sync never takes
        # over a portal-only line nor collides with another connection's (issue 14).
        constraints = [
            *VendorRecord.Meta.constraints,
            models.UniqueConstraint(
                fields=["connection", "account", "candidate_email", "vendor_key", "requisition_id", "status_level"],
                condition=Q(connection__isnull=False),
                name="talent_candidatestatus_key_per_connection",
            ),
            models.UniqueConstraint(
                fields=["account", "candidate_email", "vendor_key", "requisition_id", "status_level"],
                condition=Q(connection__isnull=True),
                name="talent_candidatestatus_key_local",
            ),
            # CareerBuilder: "Application requires requisition_id".
            models.CheckConstraint(
                condition=~Q(status_level="application") | ~Q(requisition_id=""),
                name="talent_candidatestatus_application_has_requisition",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.candidate_email}: {self.status}"

    def save(self, *args, **kwargs):
        self.candidate_email = normalise_email(self.candidate_email)
        super().save(*args, **kwargs)
