"""Django admin for transactions, bills, invoices and payrolls; rate cards with the margin they make per period;
reconciliation resolutions and disputes (issue 20)."""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.urls import path

from portal.billing.models import (
    Bill,
    BillLineItem,
    ExceptionResolution,
    Invoice,
    InvoiceLine,
    Payroll,
    PayrollEntry,
    RateCard,
    Transaction,
    VendorDispute,
)
from portal.billing.rate_views import margin_context
from portal.billing.services import approve_transactions, mark_transactions_paid
from portal.core.admin_base import PortalModelAdmin
from portal.core.admin_support import VendorRecordAdmin, linked

VENDOR_FILTERS = ("connection", ("archived_at", admin.EmptyFieldListFilter))


@admin.register(Transaction)
class TransactionAdmin(VendorRecordAdmin):
    list_display = (
        "occurred_at",
        "kind",
        "status",
        "amount",
        "currency",
        "hours",
        linked("contract"),
        linked("beneficiary"),
        "connection",
    )
    list_select_related = ("contract", "beneficiary__talent", "connection")
    list_filter = ("status", "kind", "currency", *VENDOR_FILTERS)
    search_fields = ("label", "contract__label", "beneficiary__email", "external_id")
    autocomplete_fields = ("contract",)
    raw_id_fields = ("beneficiary", "event", "time_entry", "approved_by", "paid_by")
    readonly_fields = (*VendorRecordAdmin.readonly_fields, "approved_at", "approved_by", "paid_at", "paid_by")
    date_hierarchy = "occurred_at"
    actions = ("approve_selected", "pay_selected")

    @admin.action(description="Approve selected transactions")
    def approve_selected(self, request, queryset) -> None:
        self._report(request, approve_transactions(queryset.values_list("pk", flat=True), by=request.user))

    @admin.action(description="Mark selected transactions paid")
    def pay_selected(self, request, queryset) -> None:
        self._report(request, mark_transactions_paid(queryset.values_list("pk", flat=True), by=request.user))

    def _report(self, request, outcomes) -> None:
        """Say how many were done and, for each refused one, why: the rest are done regardless."""
        done = sum(outcome["changed"] for outcome in outcomes.values())
        self.message_user(request, f"{done} transaction(s) updated.", messages.SUCCESS)
        for pk, outcome in outcomes.items():
            if not outcome["ok"]:
                self.message_user(request, f"Transaction {pk}: {outcome['message']}", messages.WARNING)


class BillLineItemInline(admin.TabularInline):
    model = BillLineItem
    fields = ("transaction", "description", "hours", "amount", "currency")
    raw_id_fields = ("transaction",)
    extra = 0


@admin.register(Bill)
class BillAdmin(VendorRecordAdmin):
    list_display = ("label", linked("contract"), "status", "currency", "paid_at", "connection")
    list_select_related = ("contract", "connection")
    list_filter = ("status", *VENDOR_FILTERS)
    search_fields = ("label", "contract__label", "external_id")
    autocomplete_fields = ("contract",)
    inlines = (BillLineItemInline,)


class InvoiceLineInline(admin.TabularInline):
    model = InvoiceLine
    fields = ("kind", "code", "description", "quantity", "rate", "amount")
    extra = 0


@admin.register(Invoice)
class InvoiceAdmin(VendorRecordAdmin):
    list_display = (
        "__str__",
        linked("client"),
        linked("patient"),
        "invoice_date",
        "subtotal",
        "tax_total",
        "amount_due",
        "currency",
        "closed_at",
    )
    list_select_related = ("client", "patient", "connection")
    list_filter = ("currency", ("closed_at", admin.EmptyFieldListFilter), *VENDOR_FILTERS)
    search_fields = ("number", "client__name", "patient__last_name", "external_id")
    autocomplete_fields = ("client", "patient")
    date_hierarchy = "invoice_date"
    inlines = (InvoiceLineInline,)


class PayrollEntryInline(admin.TabularInline):
    model = PayrollEntry
    fields = ("talent", "hours", "gross_pay", "adjustments", "currency")
    raw_id_fields = ("talent",)
    extra = 0
    show_change_link = True


@admin.register(Payroll)
class PayrollAdmin(VendorRecordAdmin):
    list_display = ("__str__", "period_type", "period_start", "period_end", "closed_at", "connection")
    list_select_related = ("connection",)
    list_filter = ("period_type", ("closed_at", admin.EmptyFieldListFilter), *VENDOR_FILTERS)
    search_fields = ("period_type", "external_id")
    date_hierarchy = "period_start"
    inlines = (PayrollEntryInline,)


@admin.register(PayrollEntry)
class PayrollEntryAdmin(VendorRecordAdmin):
    list_display = ("__str__", linked("payroll"), linked("talent"), "hours", "gross_pay", "currency")
    list_select_related = ("payroll", "talent", "connection")
    list_filter = VENDOR_FILTERS
    search_fields = ("talent__email", "talent__last_name", "external_id")
    raw_id_fields = ("payroll",)
    autocomplete_fields = ("talent",)


@admin.register(BillLineItem)
class BillLineItemAdmin(PortalModelAdmin):
    list_display = ("__str__", linked("bill"), linked("transaction"), "hours", "amount", "currency")
    list_select_related = ("bill", "transaction")
    search_fields = ("description", "bill__label")
    raw_id_fields = ("bill", "transaction")
    show_full_result_count = False


@admin.register(InvoiceLine)
class InvoiceLineAdmin(PortalModelAdmin):
    list_display = ("__str__", linked("invoice"), "kind", "code", "quantity", "rate", "amount")
    list_select_related = ("invoice",)
    list_filter = ("kind",)
    search_fields = ("code", "description", "invoice__number")
    raw_id_fields = ("invoice", "timecard")
    show_full_result_count = False


@admin.register(RateCard)
class RateCardAdmin(PortalModelAdmin):
    """Rate cards are the portal's own (no vendor keeps them), so every field is editable here (issue 20)."""

    list_display = (
        "__str__",
        "profession",
        "shift_kind",
        "effective_from",
        "effective_to",
        "bill_rate",
        "pay_rate",
        "currency",
        "overtime_multiplier",
        "double_multiplier",
    )
    list_select_related = ("client", "facility")
    list_filter = ("profession", "shift_kind", "currency")
    search_fields = ("client__name", "facility__name")
    raw_id_fields = ("client", "facility")
    date_hierarchy = "effective_from"
    change_list_template = "admin/billing/ratecard/change_list.html"

    def get_urls(self):
        margins = self.admin_site.admin_view(self.margins_view)
        return [path("margins/", margins, name="billing_ratecard_margins"), *super().get_urls()]

    def margins_view(self, request):
        """The margin the cards make on a period, summed per client or facility and week or month."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        context = {**self.admin_site.each_context(request), "title": "Margins by period", "opts": self.model._meta}
        context.update(margin_context(request.GET))
        return TemplateResponse(request, "admin/billing/ratecard/margins.html", context)


@admin.register(ExceptionResolution)
class ExceptionResolutionAdmin(PortalModelAdmin):
    """Resolutions are made and reopened in the queue (`/billing/reconciliation/`); here they are looked up."""

    list_display = ("key", "reason", "resolved_by", "resolved_at", "reopened_by", "reopened_at")
    list_select_related = ("resolved_by", "reopened_by")
    list_filter = (("reopened_at", admin.EmptyFieldListFilter),)
    search_fields = ("key", "reason")
    date_hierarchy = "work_at"
    readonly_fields = ("key", "work_at", "resolved_by", "resolved_at", "reopened_by", "reopened_at")
    machine_made = True


@admin.register(VendorDispute)
class VendorDisputeAdmin(PortalModelAdmin):
    """Disputes go to the vendor through the outbox when raised in the queue; they are not edited afterwards."""

    list_display = ("__str__", "kind", "exception_key", "raised_by", "raised_at")
    list_select_related = ("raised_by",)
    list_filter = ("kind",)
    search_fields = ("exception_key", "note")
    date_hierarchy = "raised_at"
    raw_id_fields = ("transaction", "timecard")

    def has_change_permission(self, request, obj=None) -> bool:
        return False
