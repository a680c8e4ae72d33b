"""The requisition list's search and filters, read from the URL so a filtered list can be shared, and its cursor.

The list is newest first by id. Ids only grow, so "newest first" and "id descending" are the same order, and the
cursor of the next page is one number: the id of the last row shown (`after`). Each page is then one index range
scan on the primary key, as cheap on the millionth row as on the first, and nothing is counted.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone

from portal.core.choices import SourceLabelledChoiceField
from portal.jobs.models import Facility, JobRequisition, Profession, Specialty

__all__ = ["IDLE_DAYS", "RequisitionFilterForm", "read_cursor"]

# A requisition without candidate activity this long is idle (Today, issue 18).
IDLE_DAYS = 5


class RequisitionFilterForm(forms.Form):
    q = forms.CharField(
        label="Search",
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": "Name or reference number"}),
    )
    status = forms.ChoiceField(choices=[("", "any"), *JobRequisition.Status.choices], required=False)
    facility = forms.ModelChoiceField(queryset=Facility.objects.order_by("name"), required=False, empty_label="any")
    profession = SourceLabelledChoiceField(
        queryset=Profession.objects.order_by("name"), required=False, empty_label="any"
    )
    specialty = SourceLabelledChoiceField(
        queryset=Specialty.objects.order_by("name"), required=False, empty_label="any"
    )
    idle = forms.BooleanField(
        label=f"No candidate activity for {IDLE_DAYS} days",
        required=False,
        help_text="Open, and no engagement made or moved for it in that time (what Today counts).",
    )

    def values(self) -> dict[str, Any]:
        """The filters that are valid: a stale facility id in a shared link drops that filter only."""
        self.is_valid()
        return {name: value for name, value in self.cleaned_data.items() if value}

    def filter(self, queryset: QuerySet[JobRequisition]) -> QuerySet[JobRequisition]:
        """Every word of the search must match the name, Kamana's reference number or the source reference, so
        "icu 10432" finds the ICU job with that reference."""
        values = self.values()
        if values.pop("idle", False):
            queryset = queryset.idle(timezone.now() - dt.timedelta(days=IDLE_DAYS))
        for word in values.pop("q", "").split():
            queryset = queryset.filter(
                Q(name__icontains=word)
                | Q(reference_number__icontains=word)
                | Q(source_reference_number__icontains=word)
            )
        return queryset.filter(**values)


def read_cursor(value: str | None) -> int | None:
    """The `after` id from the URL; anything else (edited by hand, say) means the first page."""
    return int(value) if value and value.isdigit() else None
