"""What the gate keeps: rule settings per organisation and facility, the do-not-return list, findings, and the
review of people who may be one person (issue 19)."""

from __future__ import annotations

from decimal import Decimal
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q

from portal.core.audit import AuditedModel

__all__ = ["DoNotReturn", "DuplicateSuggestion", "Finding", "Merge", "Recheck", "Rule", "RuleSetting", "Severity"]


class Rule(models.TextChoices):
    CREDENTIAL_EXPIRED = "credential_expired", "Credential expired"
    CREDENTIAL_EXPIRING = "credential_expiring", "Credential expires before the work ends"
    DO_NOT_HIRE = "do_not_hire", "Do-not-hire"
    DO_NOT_RETURN = "do_not_return", "Do-not-return at this facility"
    OVERLAP = "overlap", "Overlapping work"
    REST = "rest", "Too little rest between work"
    DAILY_HOURS = "daily_hours", "Too many hours in a day"
    WEEKLY_HOURS = "weekly_hours", "Too many hours in 7 days"
    CONSECUTIVE_DAYS = "consecutive_days", "Too many days in a row"


class Severity(models.TextChoices):
    BLOCK = "block", "Block"
    WARN = "warn", "Warn"
    OFF = "off", "Off"


class RuleSetting(AuditedModel):
    """A rule's severity and limit for the whole organisation (no facility) or one facility, which wins."""

    rule = models.CharField(max_length=32, choices=Rule.choices)
    facility = models.ForeignKey(
        "jobs.Facility", null=True, blank=True, on_delete=models.CASCADE, related_name="gate_rule_settings"
    )
    severity = models.CharField(max_length=8, choices=Severity.choices, default=Severity.WARN)
    limit = models.DecimalField(
        max_digits=6,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="Hours (rest, daily, weekly) or days (consecutive days); empty keeps the default.",
    )

    class Meta:
        ordering = ["rule", "facility_id"]
        constraints = [
            models.UniqueConstraint(fields=["rule", "facility"], name="gate_rule_setting_once_per_facility"),
            models.UniqueConstraint(
                fields=["rule"], condition=Q(facility__isnull=True), name="gate_rule_setting_once_for_organisation"
            ),
        ]

    def __str__(self) -> str:
        where = self.facility or "organisation"
        return f"{self.get_rule_display()} ({where}): {self.get_severity_display()}"


class DoNotReturn(AuditedModel):
    """A facility asked not to have this person back (Clipboard's flag), with why and who recorded it."""

    profile = models.ForeignKey("talent.TalentProfile", on_delete=models.CASCADE, related_name="do_not_return")
    facility = models.ForeignKey("jobs.Facility", on_delete=models.CASCADE, related_name="do_not_return")
    reason = models.CharField(max_length=255)
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "do-not-return entry"
        verbose_name_plural = "do-not-return list"
        constraints = [models.UniqueConstraint(fields=["profile", "facility"], name="gate_do_not_return_once")]

    def __str__(self) -> str:
        return f"{self.profile} not to return to {self.facility}"


class Finding(AuditedModel):
    """A rule that a person's work breaks: raised by the gate when it cannot stop the booking (a vendor booked),
    or kept when a coordinator went on past a warning (`overridden`, with the reason)."""

    class State(models.TextChoices):
        OPEN = "open", "Open"
        ACKNOWLEDGED = "acknowledged", "Acknowledged"
        OVERRIDDEN = "overridden", "Overridden at booking"
        RESOLVED = "resolved", "Resolved"

    status_transitions: ClassVar = {
        "state": {
            State.OPEN: {State.ACKNOWLEDGED, State.RESOLVED},
            State.ACKNOWLEDGED: {State.RESOLVED, State.OPEN},
            State.RESOLVED: {State.OPEN},
        }
    }

    profile = models.ForeignKey("talent.TalentProfile", on_delete=models.CASCADE, related_name="gate_findings")
    rule = models.CharField(max_length=32, choices=Rule.choices)
    severity = models.CharField(max_length=8, choices=Severity.choices)
    message = models.CharField(max_length=500)
    # Indexed: a record's page and each calendar entry ask for the findings of their work.
    work_ref = models.CharField(max_length=64, db_index=True, help_text="The work it is about: '<model label>:<pk>'.")
    work_starts_at = models.DateTimeField(db_index=True)
    work_ends_at = models.DateTimeField()
    work_title = models.CharField(max_length=300)
    other_ref = models.CharField(max_length=64, blank=True, default="", help_text="The other work, when there is.")
    facility = models.ForeignKey(
        "jobs.Facility", null=True, blank=True, on_delete=models.SET_NULL, related_name="gate_findings"
    )
    state = models.CharField(max_length=16, choices=State.choices, default=State.OPEN, db_index=True)
    reason = models.CharField(max_length=500, blank=True, default="", help_text="Why it was acknowledged or resolved.")
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["work_starts_at", "id"]
        indexes = [models.Index(fields=["state", "work_starts_at"])]
        constraints = [
            # One live finding per rule, work and other work: a re-check finds it again rather than adding one.
            models.UniqueConstraint(
                fields=["rule", "work_ref", "other_ref", "profile"],
                condition=Q(state__in=["open", "acknowledged"]),
                name="gate_finding_live_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_rule_display()}: {self.message}"

    @property
    def key(self) -> tuple[str, str, str, int]:
        return self.rule, self.work_ref, self.other_ref, self.profile_id


class DuplicateSuggestion(AuditedModel):
    """Two profiles that may be one person, with the matcher's score and what matched. Never merged by itself."""

    class State(models.TextChoices):
        OPEN = "open", "To review"
        MERGED = "merged", "Merged"
        REJECTED = "rejected", "Not the same person"
        UNMERGED = "unmerged", "Merged, then undone"

    status_transitions: ClassVar = {
        "state": {
            State.OPEN: {State.MERGED, State.REJECTED},
            State.MERGED: {State.UNMERGED},
            State.UNMERGED: {State.MERGED, State.REJECTED},
        }
    }

    first = models.ForeignKey("talent.TalentProfile", on_delete=models.CASCADE, related_name="+")
    second = models.ForeignKey("talent.TalentProfile", on_delete=models.CASCADE, related_name="+")
    score = models.DecimalField(max_digits=5, decimal_places=2, default=Decimal(0))
    reasons = models.JSONField(default=list, help_text='What matched, e.g. ["name 96", "phone"].')
    state = models.CharField(max_length=16, choices=State.choices, default=State.OPEN, db_index=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-score", "id"]
        constraints = [
            models.UniqueConstraint(fields=["first", "second"], name="gate_duplicate_pair_once"),
            models.CheckConstraint(condition=Q(first__lt=models.F("second")), name="gate_duplicate_pair_ordered"),
        ]

    def __str__(self) -> str:
        return f"{self.first} ~ {self.second} ({self.score})"


class Merge(AuditedModel):
    """One merge: which rows moved from `merged` to `kept`, so it can be undone exactly."""

    suggestion = models.ForeignKey(DuplicateSuggestion, on_delete=models.PROTECT, related_name="merges")
    kept = models.ForeignKey("talent.TalentProfile", on_delete=models.PROTECT, related_name="+")
    merged = models.ForeignKey("talent.TalentProfile", on_delete=models.PROTECT, related_name="+")
    moved = models.JSONField(default=dict, help_text='{"<model label>.<field>": [pk, ...]} moved to the kept one.')
    merged_values = models.JSONField(default=dict, help_text="The merged profile's email, before it was cleared.")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(auto_now_add=True)
    undone_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.merged} into {self.kept}"


class Recheck(models.Model):
    """One re-check of upcoming work (beat's, after a sync finished): when, and what it found."""

    started_at = models.DateTimeField(db_index=True)
    checked = models.PositiveIntegerField(default=0)
    raised = models.PositiveIntegerField(default=0)
    resolved = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"Re-check {self.started_at:%Y-%m-%d %H:%M} UTC: {self.raised} raised, {self.resolved} resolved"
