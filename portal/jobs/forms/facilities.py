"""Forms of the facility pages: create (with where to send it), edit, the Admin's delete at the vendor, and the
search of the client and facility lists.

A facility on a vendor connection is checked against what that vendor would refuse (Kamana: name, street, city,
postal code and a province Kamana knows; an IANA time zone; no delete of a "linked" facility).
"""

from __future__ import annotations

from typing import Any

from django import forms

from portal.core.choices import SourceLabelledChoiceField
from portal.integrations.checked_forms import VendorCheckedForm
from portal.integrations.models import VendorConnection
from portal.jobs.forms.sending import SendToForm
from portal.jobs.models import Client, Facility, Province

__all__ = ["FacilityCreateForm", "FacilityDeleteForm", "FacilityEditForm", "SiteSearchForm"]


class SiteSearchForm(forms.Form):
    """The search of the client and facility lists, read from the URL so a search can be shared."""

    q = forms.CharField(
        label="Search", required=False, max_length=200, widget=forms.TextInput(attrs={"type": "search"})
    )

    def words(self) -> list[str]:
        return self.cleaned_data.get("q", "").split() if self.is_valid() else []


class FacilityForm(VendorCheckedForm):
    class Meta:
        model = Facility
        fields = ["name", "client", "street", "city", "province", "postal_code", "time_zone"]
        labels = {"time_zone": "Time zone"}
        field_classes = {"province": SourceLabelledChoiceField}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["client"].queryset = Client.objects.filter(archived_at=None).order_by("name")
        self.fields["province"].queryset = Province.objects.order_by("name")
        self.fields["time_zone"].help_text = "IANA, e.g. America/Denver: shift and requisition hours are on this clock."


class FacilityCreateForm(SendToForm, FacilityForm):
    """A new facility, sent to the chosen connection or kept in the portal."""

    operation = "create_facility"


class FacilityEditForm(FacilityForm):
    operation = "update_facility"

    def push_target(self) -> VendorConnection | None:
        return self.instance.connection if self.has_changed() else None


class FacilityDeleteForm(VendorCheckedForm):
    """The confirmation of a delete at the vendor: refused here when the vendor would refuse it."""

    operation = "delete_facility"

    class Meta:
        model = Facility
        fields: list[str] = []

    def push_target(self) -> VendorConnection | None:
        return self.instance.connection
