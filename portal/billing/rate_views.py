"""Rate cards and the margin they make on a period's worked hours (issue 20), for coordinators.

The period is in the URL (`first`, `last`, local days), at most 62 days so the hours engine reads a bounded set of
timecards; the page costs the same number of queries whatever the number of shifts in it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.views.generic import TemplateView

from portal.billing.models import RateCard
from portal.billing.rates import period_margin
from portal.core.roles import RoleRequiredMixin

__all__ = ["MAX_PERIOD_DAYS", "SHOWN_SHIFTS", "RatesView"]

MAX_PERIOD_DAYS = 62
SHOWN_SHIFTS = 200  # the totals cover every shift of the period; the table shows the first ones


class PeriodForm(forms.Form):
    first = forms.DateField(label="From", widget=forms.DateInput(attrs={"type": "date"}))
    last = forms.DateField(label="To", widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        first, last = data.get("first"), data.get("last")
        if first and last and not dt.timedelta() <= last - first < dt.timedelta(days=MAX_PERIOD_DAYS):
            raise forms.ValidationError(f"Choose a period of 1 to {MAX_PERIOD_DAYS} days, ending after it starts.")
        return data


def _period(query) -> tuple[PeriodForm, dt.date, dt.date]:
    """The chosen period, or the last 14 days when none (or a refused one) is given."""
    today = timezone.localdate()
    default = {"first": today - dt.timedelta(days=13), "last": today}
    form = PeriodForm(query if {"first", "last"} & set(query) else None, initial=default)
    if form.is_bound and form.is_valid():
        return form, form.cleaned_data["first"], form.cleaned_data["last"]
    return form, default["first"], default["last"]


class RatesView(RoleRequiredMixin, TemplateView):
    template_name = "billing/rates/rates.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        form, first, last = _period(self.request.GET)
        margin = period_margin(first, last)
        cards = RateCard.objects.filter(Q(effective_to__isnull=True) | Q(effective_to__gte=first)).select_related(
            "client", "facility"
        )
        return super().get_context_data(
            form=form,
            first=first,
            last=last,
            cards=cards,
            margin=margin,
            shifts=margin.shifts[:SHOWN_SHIFTS],
            more_shifts=max(0, len(margin.shifts) - SHOWN_SHIFTS),
            **kwargs,
        )
