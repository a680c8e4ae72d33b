"""Django admin for the gate: rule settings per organisation and facility, the do-not-return list, findings and
the who-is-who review (its pages at /talent/duplicates/ are where merges happen, so those are read-only here)."""

from __future__ import annotations

from django.contrib import admin

from portal.core.admin_base import PortalModelAdmin
from portal.core.admin_support import AuditedAdminForm, linked
from portal.gate.models import DoNotReturn, DuplicateSuggestion, Finding, Merge, RuleSetting


@admin.register(RuleSetting)
class RuleSettingAdmin(PortalModelAdmin):
    """No facility: the organisation's setting. A facility's row wins over it for work at that facility."""

    form = AuditedAdminForm
    list_display = ("rule", linked("facility"), "severity", "limit")
    list_filter = ("rule", "severity")
    autocomplete_fields = ("facility",)


@admin.register(DoNotReturn)
class DoNotReturnAdmin(PortalModelAdmin):
    form = AuditedAdminForm
    list_display = (linked("profile"), linked("facility"), "reason", "set_by", "created_at")
    autocomplete_fields = ("profile", "facility")
    readonly_fields = ("set_by", "created_at")
    search_fields = ("profile__last_name", "profile__email", "facility__name")

    def save_model(self, request, obj, form, change):
        if not change:
            obj.set_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(Finding)
class FindingAdmin(PortalModelAdmin):
    form = AuditedAdminForm
    list_display = ("rule", "severity", linked("profile"), "work_title", "work_starts_at", "state")
    list_filter = ("state", "rule", "severity")
    readonly_fields = ("profile", "rule", "severity", "message", "work_ref", "other_ref", "work_starts_at")
    exclude = ("facility",)
    show_full_result_count = False


@admin.register(DuplicateSuggestion)
class DuplicateSuggestionAdmin(PortalModelAdmin):
    list_display = (linked("first"), linked("second"), "score", "state")
    list_filter = ("state",)
    readonly_fields = ("first", "second", "score", "reasons", "state", "decided_by")
    show_full_result_count = False

    machine_made = True  # suggested by the who-is-who scan (`/talent/duplicates/`)


@admin.register(Merge)
class MergeAdmin(PortalModelAdmin):
    list_display = (linked("kept"), linked("merged"), "by", "created_at", "undone_at")
    readonly_fields = ("suggestion", "kept", "merged", "moved", "merged_values", "by", "undone_at")

    machine_made = True  # made on the who-is-who page, which moves the records; a row alone would not
