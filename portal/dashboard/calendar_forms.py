"""The calendar's view, day and filters, all in the URL so a coordinator can share exactly what they see."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms

from portal.dashboard.calendar import PORTAL_ONLY, CalendarFilters
from portal.integrations.registry import all_providers
from portal.jobs.models import Facility

__all__ = ["VIEWS", "CalendarFilterForm", "view_range"]

VIEWS = (("day", "Day"), ("week", "Week"), ("month", "Month"))


def _vendor_choices() -> list[tuple[str, str]]:
    vendors = sorted((provider.name, provider.label) for provider in all_providers().values())
    return [("", "every vendor"), *vendors, (PORTAL_ONLY, "Portal only")]


class CalendarFilterForm(forms.Form):
    view = forms.ChoiceField(choices=VIEWS, required=False)
    date = forms.DateField(required=False, label="Date", widget=forms.DateInput(attrs={"type": "date"}))
    facility = forms.ModelChoiceField(
        Facility.objects.filter(archived_at__isnull=True).order_by("name"), required=False, empty_label="every facility"
    )
    # An id, not a list of every person: the list would grow with the talent pool. The timeline links here.
    person = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
    vendor = forms.ChoiceField(choices=(), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["vendor"].choices = _vendor_choices()

    def value(self, name: str, default: Any = None) -> Any:
        """The cleaned value, or `default` when missing or mistyped: a bad filter drops only itself."""
        if not self.is_bound:
            return default
        self.is_valid()
        return self.cleaned_data.get(name) or default

    def filters(self) -> CalendarFilters:
        facility = self.value("facility")
        return CalendarFilters(
            facility=facility.pk if facility else None, person=self.value("person"), vendor=self.value("vendor")
        )


def view_range(view: str, anchor: dt.date) -> tuple[dt.date, dt.date, dt.date, dt.date]:
    """(first, last) days shown and the anchors of the previous and next page. Weeks start on Monday; a month
    shows the whole weeks that hold its days."""
    if view == "day":
        return anchor, anchor, anchor - dt.timedelta(days=1), anchor + dt.timedelta(days=1)
    if view == "week":
        monday = anchor - dt.timedelta(days=anchor.weekday())
        return monday, monday + dt.timedelta(days=6), monday - dt.timedelta(days=7), monday + dt.timedelta(days=7)
    first_of_month = anchor.replace(day=1)
    next_month = (first_of_month + dt.timedelta(days=32)).replace(day=1)
    previous_month = (first_of_month - dt.timedelta(days=1)).replace(day=1)
    first = first_of_month - dt.timedelta(days=first_of_month.weekday())
    last_of_month = next_month - dt.timedelta(days=1)
    last = last_of_month + dt.timedelta(days=6 - last_of_month.weekday())
    return first, last, previous_month, next_month
