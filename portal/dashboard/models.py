"""What Today keeps per coordinator: the zone their day is read in, the digest choice, and the calendar feed's
generation (bumped to revoke every feed URL handed out before)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from portal.jobs.validators import validate_time_zone

__all__ = ["CoordinatorPreferences"]


class CoordinatorPreferences(models.Model):
    """One row per user who changed anything; a user without one reads the agency's zone and gets no digest."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="dashboard_preferences"
    )
    time_zone = models.CharField(
        max_length=64, blank=True, validators=[validate_time_zone], help_text="IANA zone; empty: the agency's."
    )
    digest_opt_in = models.BooleanField(default=False, help_text="Send the daily digest at 07:00 in this zone.")
    digest_sent_on = models.DateField(
        null=True, blank=True, help_text="The local day of the last digest claimed for sending (one a day)."
    )
    feed_generation = models.PositiveIntegerField(
        default=1, help_text="Part of the signed calendar feed URLs; raising it revokes every older URL."
    )

    class Meta:
        verbose_name_plural = "coordinator preferences"

    def __str__(self) -> str:
        return f"Today preferences of {self.user}"
