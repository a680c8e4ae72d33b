"""Django admin for shifts, home-care visits, recurring groups and timecards."""

from __future__ import annotations

from django.contrib import admin

from portal.core.admin_base import PortalModelAdmin
from portal.core.admin_support import VendorRecordAdmin, linked
from portal.shifts.models import RecurringVisitGroup, ShiftRequest, SlotBooking, Timecard, Visit

VENDOR_FILTERS = ("connection", ("archived_at", admin.EmptyFieldListFilter))


class TimecardInline(admin.TabularInline):
    model = Timecard
    fields = ("check_in", "check_out", "break_minutes", "pay_total", "bill_total", "currency")
    extra = 0
    show_change_link = True


@admin.register(ShiftRequest)
class ShiftRequestAdmin(VendorRecordAdmin):
    list_display = (
        "external_shift_id",
        linked("facility"),
        "unit",
        "professional_type",
        "local_start",
        "status",
        linked("assigned_professional"),
        "boost_percentage",
        "connection",
    )
    list_select_related = ("facility", "assigned_professional", "connection")
    list_filter = ("status", "professional_type", "time_zone", *VENDOR_FILTERS)
    search_fields = ("external_shift_id", "external_id", "unit", "facility__name", "assigned_professional__email")
    autocomplete_fields = ("facility", "assigned_professional")
    readonly_fields = (*VendorRecordAdmin.readonly_fields, "external_shift_id", "status_changed_at")
    date_hierarchy = "starts_at"
    inlines = (TimecardInline,)

    @admin.display(description="Starts (local)", ordering="starts_at")
    def local_start(self, obj: ShiftRequest) -> str:
        return f"{obj.local_starts_at:%Y-%m-%d %H:%M %Z}"


class VisitInline(admin.TabularInline):
    model = Visit
    fields = ("starts_at", "ends_at", "status", "caregiver")
    raw_id_fields = ("caregiver",)
    extra = 0
    show_change_link = True


@admin.register(RecurringVisitGroup)
class RecurringVisitGroupAdmin(VendorRecordAdmin):
    list_display = ("__str__", linked("patient"), linked("caregiver"), "freq", "starts_at", "count", "until")
    list_select_related = ("patient", "caregiver", "connection")
    list_filter = ("freq", "time_zone", *VENDOR_FILTERS)
    search_fields = ("service_name", "patient__last_name", "caregiver__email", "external_id")
    autocomplete_fields = ("client", "patient", "caregiver")
    readonly_fields = (*VendorRecordAdmin.readonly_fields, "rule_text")
    inlines = (VisitInline,)


@admin.register(Visit)
class VisitAdmin(VendorRecordAdmin):
    list_display = ("starts_at", "service_name", linked("patient"), linked("caregiver"), linked("group"), "status")
    list_select_related = ("patient", "caregiver", "group", "connection")
    list_filter = ("status", "stat_holiday", "time_zone", *VENDOR_FILTERS)
    search_fields = ("service_name", "patient__last_name", "caregiver__email", "external_id")
    autocomplete_fields = ("client", "patient", "caregiver")
    raw_id_fields = ("group",)
    date_hierarchy = "starts_at"
    inlines = (TimecardInline,)


@admin.register(Timecard)
class TimecardAdmin(VendorRecordAdmin):
    list_display = (
        "check_in",
        "check_out",
        "break_minutes",
        linked("shift"),
        linked("visit"),
        linked("professional"),
        "pay_total",
        "bill_total",
        "currency",
    )
    list_select_related = ("shift", "visit", "professional", "connection")
    list_filter = VENDOR_FILTERS
    search_fields = ("shift__external_shift_id", "professional__email", "external_id")
    raw_id_fields = ("shift", "visit")
    autocomplete_fields = ("professional",)
    date_hierarchy = "check_in"


@admin.register(SlotBooking)
class SlotBookingAdmin(PortalModelAdmin):
    """Sourced bookings (issue 22), read-only: their state follows the outbox row that books them."""

    list_display = ("profile", "connection", "slot_starts_at", "state", "shift", "visit", "requisition")
    list_select_related = ("profile", "connection", "shift", "visit", "requisition")
    list_filter = ("state", "connection")
    search_fields = ("profile__email", "profile__last_name", "event_ref")

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_add_permission(self, request) -> bool:
        return False
