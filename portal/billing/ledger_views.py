"""Invoices and payroll periods synced from Alaunus (issue 9), with their totals in their own currencies.

A page of its own rather than a section of the visits week: invoices and payrolls cover periods (weeks, fortnights)
that do not line up with the week being viewed, and coordinators look them up by period, not by visit.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Count, DecimalField, F, Q, Sum, Value
from django.db.models.functions import Coalesce
from django.views.generic import TemplateView

from portal.billing.models import Invoice, Payroll
from portal.core.htmx import HtmxTemplateMixin
from portal.core.roles import RoleRequiredMixin

__all__ = ["LedgerFilterForm", "LedgerView"]

PAGE_SIZE = 50
ZERO = Value(0, output_field=DecimalField(max_digits=12, decimal_places=2))


class LedgerFilterForm(forms.Form):
    """Filters in the URL, so a list can be shared; a mistyped one is ignored rather than emptying the page."""

    currency = forms.CharField(required=False, max_length=3, label="Currency")
    period_from = forms.DateField(
        required=False, label="Periods ending on or after", widget=forms.DateInput(attrs={"type": "date"})
    )
    page = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    def cleaned(self) -> dict[str, Any]:
        if not self.is_bound:
            return {}
        self.is_valid()
        return {name: value for name, value in self.cleaned_data.items() if value}


def _page(queryset, number: int) -> tuple[list, bool]:
    """One row past the page says whether there is a next one, without counting every row."""
    rows = list(queryset[(number - 1) * PAGE_SIZE : number * PAGE_SIZE + 1])
    return rows[:PAGE_SIZE], len(rows) > PAGE_SIZE


class LedgerView(RoleRequiredMixin, HtmxTemplateMixin, TemplateView):
    """Two list queries whatever the number of rows: invoices with their people, payrolls with summed entries."""

    template_name = "billing/ledger/ledger.html"
    htmx_template_name = "billing/ledger/htmx/ledger.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        filters = LedgerFilterForm(self.request.GET or None)
        chosen = filters.cleaned()
        number = chosen.get("page", 1)
        invoices = Invoice.objects.filter(archived_at__isnull=True).select_related("client", "patient")
        payrolls = Payroll.objects.filter(archived_at__isnull=True)
        if currency := chosen.get("currency"):
            invoices, payrolls = invoices.filter(currency__iexact=currency), payrolls.filter(currency__iexact=currency)
        if period_from := chosen.get("period_from"):
            invoices = invoices.filter(Q(period_end__gte=period_from) | Q(period_end__isnull=True))
            payrolls = payrolls.filter(period_end__gte=period_from)
        live_entries = Q(entries__archived_at__isnull=True)
        payrolls = payrolls.annotate(
            caregiver_count=Count("entries", filter=live_entries),
            hours=Coalesce(Sum("entries__hours", filter=live_entries), ZERO),
            gross_pay=Coalesce(Sum("entries__gross_pay", filter=live_entries), ZERO),
            adjustments=Coalesce(Sum("entries__adjustments", filter=live_entries), ZERO),
        ).annotate(total_pay=F("gross_pay") + F("adjustments"))
        invoice_rows, more_invoices = _page(invoices.order_by("-invoice_date", "-id"), number)
        payroll_rows, more_payrolls = _page(payrolls.order_by("-period_start", "-id"), number)
        query = self.request.GET.copy()
        query.pop("page", None)
        return super().get_context_data(
            filters=filters,
            filtered=bool({"currency", "period_from"} & set(chosen)),
            invoices=invoice_rows,
            payrolls=payroll_rows,
            page_number=number,
            previous_page=number - 1,
            next_page=number + 1 if more_invoices or more_payrolls else None,
            filter_query=query.urlencode(),
            **kwargs,
        )
