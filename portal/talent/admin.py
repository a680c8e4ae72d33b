"""Django admin for people: profiles with their vendor references, relationships and CareerBuilder timeline."""

from __future__ import annotations

from functools import partial

from django.contrib import admin, messages
from django.core.exceptions import ValidationError

from portal.core.admin_support import AuditedAdminForm, VendorRecordAdmin, linked
from portal.integrations.services import connections_with_operation
from portal.talent.accounts import ADD_OPERATION, add_problems, add_to_account
from portal.talent.models import (
    AccountRelationship,
    CandidateStatus,
    OpportunityPreference,
    Skill,
    TalentProfile,
    TalentReference,
)

VENDOR_FILTERS = ("connection", ("archived_at", admin.EmptyFieldListFilter))


class TalentReferenceInline(admin.TabularInline):
    """Which vendors know this person, under which id: read-only, since only a sync may create them."""

    model = TalentReference
    fields = ("connection", "external_id", "email", "vendor_updated_at", "archived_at")
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False


class OpportunityPreferenceInline(admin.TabularInline):
    """What the person told this vendor they are looking for: read-only, a sync writes them."""

    model = OpportunityPreference
    fields = (
        "name",
        "available_on",
        "desired_contract_length",
        "hours_per_week",
        "minimum_weekly_gross_pay",
        "shift_days",
        "shift_mids",
        "shift_nights",
        "archived_at",
    )
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class AccountRelationshipInline(admin.TabularInline):
    model = AccountRelationship
    form = AuditedAdminForm
    fields = ("connection", "account_ref", "status", "sub_status", "status_reason", "status_changed_at")
    readonly_fields = ("connection", "account_ref", "status_changed_at")
    extra = 0
    show_change_link = True


@admin.register(Skill)
class SkillAdmin(VendorRecordAdmin):
    list_display = ("title", "color", "connection", "external_id")
    list_filter = VENDOR_FILTERS
    search_fields = ("title", "description", "external_id")


@admin.register(TalentProfile)
class TalentProfileAdmin(VendorRecordAdmin):
    list_display = ("__str__", "email", "phone", linked("profession"), linked("specialty"), "do_not_hire")
    list_select_related = ("profession", "specialty")
    list_filter = ("do_not_hire", "profession")
    search_fields = ("first_name", "last_name", "email", "phone", "references__external_id")
    readonly_fields = ("audit_trail", "created_at", "updated_at")
    autocomplete_fields = ("profession", "specialty", "skills")
    inlines = (TalentReferenceInline, AccountRelationshipInline)

    def get_actions(self, request):
        """One "Add to <connection>" action per connection that can add people (issue 24), through the same service
        and checks as the person's page."""
        actions = super().get_actions(request)
        for connection in connections_with_operation(ADD_OPERATION):
            name = f"add_to_connection_{connection.pk}"
            action = partial(_add_selected, connection=connection)
            actions[name] = (action, name, f"Add the selected people to {connection.name}")
        return actions


def _add_selected(modeladmin, request, queryset, *, connection) -> None:
    """People the connection already has, or whose record it would refuse, are named and skipped."""
    added, skipped = 0, []
    for profile in queryset:
        try:
            problems = add_problems(profile, connection)
            if problems:
                raise ValidationError(problems)
            add_to_account(profile, connection, by=request.user)
            added += 1
        except ValidationError as refused:
            skipped.append(f"{profile}: {' '.join(refused.messages)}")
    if added:
        modeladmin.message_user(request, f"Adding {added} to {connection.name}.", messages.SUCCESS)
    for reason in skipped:
        modeladmin.message_user(request, f"Not added: {reason}", messages.WARNING)


@admin.register(TalentReference)
class TalentReferenceAdmin(VendorRecordAdmin):
    list_display = ("__str__", linked("profile"), "email", "connection", "external_id", "vendor_updated_at")
    list_select_related = ("profile", "connection")
    list_filter = VENDOR_FILTERS
    search_fields = ("external_id", "email", "profile__email", "profile__last_name")
    autocomplete_fields = ("profile",)
    inlines = (OpportunityPreferenceInline,)


@admin.register(AccountRelationship)
class AccountRelationshipAdmin(VendorRecordAdmin):
    list_display = (
        "__str__",
        linked("profile"),
        "status",
        "sub_status",
        "status_reason",
        "do_not_hire",
        "status_changed_at",
        "connection",
    )
    list_select_related = ("profile", "connection")
    list_filter = ("status", "do_not_hire", *VENDOR_FILTERS)
    search_fields = ("profile__email", "profile__last_name", "sub_status", "status_reason", "external_id")
    autocomplete_fields = ("profile",)


@admin.register(CandidateStatus)
class CandidateStatusAdmin(VendorRecordAdmin):
    list_display = (
        "candidate_email",
        linked("profile"),
        "status_level",
        "status",
        "requisition_id",
        "requisition_title",
        "status_date",
    )
    list_select_related = ("profile",)
    list_filter = ("status_level", "account", *VENDOR_FILTERS)
    search_fields = ("candidate_email", "status", "requisition_id", "requisition_title", "vendor_key")
    autocomplete_fields = ("profile",)
    date_hierarchy = "status_date"
