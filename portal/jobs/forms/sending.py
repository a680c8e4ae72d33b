"""The "Send to" choice of every create form in the jobs pages (requisitions, clients, facilities)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db import models

from portal.integrations.checked_forms import VendorCheckedForm
from portal.integrations.models import VendorConnection
from portal.integrations.services import connections_with_operation

__all__ = ["SendToForm"]


class SendToForm(VendorCheckedForm):
    """A new record, sent to the connection chosen among those whose vendor can carry out `operation`, or kept in
    the portal; the vendor's check runs for the connection chosen. Put it first among a form's bases."""

    connection = forms.ModelChoiceField(
        label="Send to",
        queryset=VendorConnection.objects.none(),
        required=False,
        empty_label="No vendor (keep in the portal)",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["connection"].queryset = connections_with_operation(self.operation)
        self.order_fields(["connection"])

    def push_target(self) -> VendorConnection | None:
        return self.cleaned_data.get("connection")

    def unsaved(self) -> models.Model:
        """The unsaved record, tied to its connection so the save pushes it there."""
        record = self.save(commit=False)
        record.connection = self.cleaned_data["connection"]
        return record
