"""Filters of the talent pages; every value lives in the URL so a search or a filtered timeline can be shared."""

from __future__ import annotations

from django import forms
from django.db.models import Q, QuerySet

from portal.integrations.models import VendorConnection
from portal.talent.timeline import LOCAL_SOURCE

__all__ = ["PeopleSearchForm", "TimelineFilterForm"]


def source_choices() -> list[tuple[str, str]]:
    """The vendors this portal is connected to, named by their connections (one query), and records held only
    here. Read from the connections rather than listed, so the domain app names no vendor."""
    names: dict[str, list[str]] = {}
    for vendor, name in VendorConnection.objects.order_by("vendor", "name").values_list("vendor", "name"):
        names.setdefault(vendor, []).append(name)
    return [
        ("", "All sources"),
        *((vendor, " / ".join(labels)) for vendor, labels in names.items()),
        (LOCAL_SOURCE, "Portal only"),
    ]


class PeopleSearchForm(forms.Form):
    q = forms.CharField(label="Name or email", required=False, max_length=200)

    def filter(self, queryset: QuerySet) -> QuerySet:
        """Every word must match a first name, last name or email, so "maria lopez" finds Maria Lopez."""
        if not self.is_valid():
            return queryset
        for word in self.cleaned_data["q"].split():
            queryset = queryset.filter(
                Q(first_name__icontains=word) | Q(last_name__icontains=word) | Q(email__icontains=word)
            )
        return queryset


class TimelineFilterForm(forms.Form):
    source = forms.ChoiceField(required=False)
    requisition = forms.CharField(label="Requisition id", required=False, max_length=1024)
    before = forms.DateTimeField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["source"].choices = source_choices()  # read once, for validating and for rendering

    def values(self) -> dict[str, object]:
        """The filters `build_timeline` takes; a mistyped value drops only itself."""
        self.is_valid()  # cleaned_data keeps the fields that did validate
        data = self.cleaned_data
        return {
            "source": data.get("source", ""),
            "requisition": data.get("requisition", ""),
            "before": data.get("before"),
        }
