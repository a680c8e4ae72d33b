"""Django admin for engagements (with extensions, notes, requirements) and Ceki contracts."""

from __future__ import annotations

from django.contrib import admin

from portal.contracts.models import (
    Contract,
    ContractEvent,
    ContractParticipant,
    CredentialingRequirement,
    Engagement,
    EngagementExtension,
    EngagementNote,
    TimeEntry,
)
from portal.core.admin_support import VendorRecordAdmin, linked

VENDOR_FILTERS = ("connection", ("archived_at", admin.EmptyFieldListFilter))


class ExtensionInline(admin.TabularInline):
    model = EngagementExtension
    fields = ("starts_on", "ends_on")
    extra = 0


class RequirementInline(admin.TabularInline):
    model = CredentialingRequirement
    fields = ("name", "kind", "status", "expires_at")
    extra = 0
    show_change_link = True


@admin.register(Engagement)
class EngagementAdmin(VendorRecordAdmin):
    list_display = (
        "__str__",
        linked("talent"),
        linked("facility"),
        linked("job_requisition"),
        "status",
        "sub_status",
        "starts_on",
        "ends_on",
        "connection",
    )
    list_select_related = ("talent", "facility", "job_requisition", "connection")
    list_filter = ("status", "sub_status", *VENDOR_FILTERS)
    search_fields = ("talent__email", "talent__last_name", "client_contract_id", "external_id")
    autocomplete_fields = ("talent", "job_requisition", "facility")
    date_hierarchy = "starts_on"
    inlines = (ExtensionInline, RequirementInline)


@admin.register(EngagementExtension)
class EngagementExtensionAdmin(VendorRecordAdmin):
    list_display = ("__str__", linked("engagement"), "starts_on", "ends_on", "connection")
    list_select_related = ("engagement__talent", "connection")
    list_filter = VENDOR_FILTERS
    search_fields = ("engagement__talent__email", "external_id")
    raw_id_fields = ("engagement",)


@admin.register(EngagementNote)
class EngagementNoteAdmin(VendorRecordAdmin):
    list_display = ("__str__", linked("engagement"), "note_type", "author", "created_at")
    list_select_related = ("engagement__talent", "author", "connection")
    list_filter = ("note_type", *VENDOR_FILTERS)
    search_fields = ("content", "external_id")
    raw_id_fields = ("engagement", "author")


@admin.register(CredentialingRequirement)
class CredentialingRequirementAdmin(VendorRecordAdmin):
    list_display = ("name", linked("engagement"), "kind", "status", "expires_at", "expiry")
    list_select_related = ("engagement__talent", "connection")
    list_filter = ("status", "kind", *VENDOR_FILTERS)
    search_fields = ("name", "engagement__talent__email", "external_id")
    raw_id_fields = ("engagement",)

    @admin.display(description="Expiry")
    def expiry(self, obj: CredentialingRequirement) -> str:
        return obj.expiry_state() or "-"


class ParticipantInline(admin.TabularInline):
    model = ContractParticipant
    fields = ("talent", "email", "role", "accepted", "rate", "currency")
    raw_id_fields = ("talent",)
    extra = 0
    show_change_link = True


@admin.register(Contract)
class ContractAdmin(VendorRecordAdmin):
    list_display = ("label", linked("client"), linked("engagement"), "starts_at", "budget", "currency", "connection")
    list_select_related = ("client", "engagement__talent", "connection")
    list_filter = ("currency", *VENDOR_FILTERS)
    search_fields = ("label", "description", "client__name", "external_id")
    autocomplete_fields = ("client", "engagement")
    raw_id_fields = ("parent",)
    inlines = (ParticipantInline,)


@admin.register(ContractParticipant)
class ContractParticipantAdmin(VendorRecordAdmin):
    list_display = ("__str__", linked("contract"), linked("talent"), "role", "accepted", "rate", "currency")
    list_select_related = ("contract", "talent", "connection")
    list_filter = ("accepted", "role", *VENDOR_FILTERS)
    search_fields = ("email", "talent__email", "contract__label", "external_id")
    autocomplete_fields = ("contract", "talent")


@admin.register(ContractEvent)
class ContractEventAdmin(VendorRecordAdmin):
    list_display = ("__str__", linked("contract"), linked("beneficiary"), "duration_minutes", "amount", "currency")
    list_select_related = ("contract", "beneficiary__talent", "connection")
    list_filter = ("vendor_status_id", *VENDOR_FILTERS)
    search_fields = ("label", "contract__label", "external_id")
    autocomplete_fields = ("contract",)
    raw_id_fields = ("beneficiary",)
    date_hierarchy = "starts_at"


@admin.register(TimeEntry)
class TimeEntryAdmin(VendorRecordAdmin):
    list_display = ("__str__", linked("contract"), linked("participant"), "started_at", "stopped_at")
    list_select_related = ("contract", "participant__talent", "connection")
    list_filter = (("stopped_at", admin.EmptyFieldListFilter), *VENDOR_FILTERS)
    search_fields = ("label", "contract__label", "external_id")
    autocomplete_fields = ("contract",)
    raw_id_fields = ("participant",)
    date_hierarchy = "started_at"
