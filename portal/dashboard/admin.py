"""Coordinators' Today preferences in Django admin: an Admin can see who gets the digest and revoke feeds."""

from __future__ import annotations

from django.contrib import admin

from portal.core.admin_base import PortalModelAdmin
from portal.dashboard.models import CoordinatorPreferences


@admin.register(CoordinatorPreferences)
class CoordinatorPreferencesAdmin(PortalModelAdmin):
    list_display = ("user", "time_zone", "digest_opt_in", "digest_sent_on", "feed_generation")
    list_filter = ("digest_opt_in",)
    search_fields = ("user__username", "user__email")
    # Raising the generation revokes the user's calendar feed URLs; the last digest day is the task's to set.
    readonly_fields = ("digest_sent_on",)
