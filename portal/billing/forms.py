"""Forms of the billing pages: the approvals queue's URL filters, its bulk action, making a bill, and the period
of the rates and reconciliation pages."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone

from portal.billing.models import Transaction
from portal.core.timezones import agency_zone, local_midnight

__all__ = [
    "MAX_EXPORT_DAYS",
    "MAX_PERIOD_DAYS",
    "ApprovalActionForm",
    "ApprovalFilterForm",
    "CreateBillForm",
    "ExportForm",
    "PeriodForm",
    "period_from_query",
]

Status = Transaction.Status


class ApprovalFilterForm(forms.Form):
    """The queue's filters, read from the query string so a filtered queue is a link to share.

    Contract and participant are ids, not model choices: a bad id filters to nothing instead of loading every
    contract to validate it. Dates are days in the portal's time zone (settings.TIME_ZONE), labelled on the page.
    """

    WAITING_FOR = (("pending", "Approval"), ("approved", "Payment"))

    status = forms.ChoiceField(choices=WAITING_FOR, required=False, label="Waiting for")
    contract = forms.IntegerField(required=False, min_value=1)
    participant = forms.IntegerField(required=False, min_value=1)
    kind = forms.ChoiceField(choices=[("", "any"), *Transaction.Kind.choices], required=False, label="Type")
    currency = forms.CharField(required=False, max_length=3, label="Currency")
    occurred_from = forms.DateField(required=False, label="From")
    occurred_to = forms.DateField(required=False, label="To")

    def clean(self) -> dict:
        data = super().clean()
        start, end = data.get("occurred_from"), data.get("occurred_to")
        if start and end and end < start:
            self.add_error("occurred_to", "The range must end on or after its start.")
        return data

    @property
    def waiting_for(self) -> str:
        return (self.cleaned_data.get("status") if self.is_valid() else "") or Status.PENDING

    def filter(self, queryset):
        """The transactions the filters select; an invalid filter shows nothing rather than everything."""
        if not self.is_valid():
            return queryset.none()
        data = self.cleaned_data
        query = Q(status=self.waiting_for)
        if data.get("contract"):
            query &= Q(contract_id=data["contract"])
        if data.get("participant"):
            query &= Q(beneficiary_id=data["participant"])
        if data.get("kind"):
            query &= Q(kind=data["kind"])
        if data.get("currency"):
            query &= Q(currency=data["currency"].upper())
        zone = agency_zone()
        if data.get("occurred_from"):
            query &= Q(occurred_at__gte=local_midnight(data["occurred_from"], zone))
        if data.get("occurred_to"):
            query &= Q(occurred_at__lt=local_midnight(data["occurred_to"] + dt.timedelta(days=1), zone))
        return queryset.filter(query)


class TransactionIdsField(forms.Field):
    """The ticked boxes (`ids`, repeated). Any well-formed id is accepted here: the services say per id whether it
    exists and may move, which is the message a coordinator needs."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value) -> list[int]:
        values = value or []
        if any(not str(item).isdigit() for item in values):
            raise ValidationError("Not a transaction id.")
        return list(dict.fromkeys(int(item) for item in values))


class ApprovalActionForm(forms.Form):
    """Approve or pay the ticked transactions, whichever contracts they belong to."""

    ACTIONS = (("approve", "Approve"), ("pay", "Mark paid"))

    action = forms.ChoiceField(choices=ACTIONS)
    ids = TransactionIdsField(error_messages={"required": "Tick at least one transaction."})


class CreateBillForm(forms.Form):
    label = forms.CharField(max_length=255)
    ids = TransactionIdsField(error_messages={"required": "Tick at least one approved charge."})


MAX_PERIOD_DAYS = 62  # the hours engine and the match read a bounded set of rows


class PeriodForm(forms.Form):
    max_days = MAX_PERIOD_DAYS

    first = forms.DateField(label="From", widget=forms.DateInput(attrs={"type": "date"}))
    last = forms.DateField(label="To", widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        first, last = data.get("first"), data.get("last")
        if first and last and not dt.timedelta() <= last - first < dt.timedelta(days=self.max_days):
            raise forms.ValidationError(f"Choose a period of 1 to {self.max_days} days, ending after it starts.")
        return data


def period_from_query(query, days: int = 14) -> tuple[PeriodForm, dt.date, dt.date]:
    """The chosen period, or the last `days` days when none (or a refused one) is given."""
    today = timezone.localdate()
    default = {"first": today - dt.timedelta(days=days - 1), "last": today}
    form = PeriodForm(query if {"first", "last"} & set(query) else None, initial=default)
    if form.is_bound and form.is_valid():
        return form, form.cleaned_data["first"], form.cleaned_data["last"]
    return form, default["first"], default["last"]


MAX_EXPORT_DAYS = 366


class ExportForm(PeriodForm):
    """The range of an export (issue 20): longer than a page's period, as exports are read a week at a time."""

    max_days = MAX_EXPORT_DAYS
    per = forms.ChoiceField(
        choices=(("day", "Day"), ("week", "Week")), required=False, label="Payroll hours per", initial="day"
    )

    def clean_per(self) -> str:
        return self.cleaned_data.get("per") or "day"
