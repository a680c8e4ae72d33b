"""Forms of the client pages: a client (create with where to send it, edit) and a contact (inline add and edit).

A client or contact on a vendor connection is checked against what that vendor would refuse (Kamana: a client's
name and type from its enum; a contact's first and last name, email and phone) before anything is saved or queued.
"""

from __future__ import annotations

from typing import Any

from django import forms

from portal.integrations.checked_forms import VendorCheckedForm
from portal.integrations.models import VendorConnection
from portal.integrations.services import connections_with_operation
from portal.jobs.forms.sending import SendToForm
from portal.jobs.models import Client, ClientContact

__all__ = ["ClientCreateForm", "ClientEditForm", "ContactForm"]

CLIENT_FIELDS = ["name", "vendor_type", "kind", "email", "phone", "website", "accounting_id"]
# What the vendor holds of a client once it is created there; the rest is the portal's own.
VENDOR_HELD = ("name", "vendor_type")


class ClientForm(VendorCheckedForm):
    website = forms.URLField(required=False, assume_scheme="https", max_length=200)

    class Meta:
        model = Client
        fields = CLIENT_FIELDS
        labels = {"vendor_type": "Type at the vendor", "kind": "Kind"}
        help_texts = {"vendor_type": "Kamana: msp, idn, facility or custom."}


class ClientCreateForm(SendToForm, ClientForm):
    """A new client, sent to the chosen connection or kept in the portal."""

    operation = "create_client"


class ClientEditForm(ClientForm):
    """A client's fields. A vendor without a client update (Kamana) keeps its name and type: they are shown,
    not editable, so a change is never made here that could not reach it."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        connection = self.instance.connection
        if connection is not None and not connections_with_operation("update_client").filter(pk=connection.pk):
            for name in VENDOR_HELD:
                self.fields[name].disabled = True
                self.fields[name].help_text = f"Held by {connection.name}, which offers no way to change it."

    def push_target(self) -> VendorConnection | None:
        return None


class ContactForm(VendorCheckedForm):
    """A contact of `client`, new or existing; it goes where its client went."""

    class Meta:
        model = ClientContact
        fields = list(ClientContact.PERSON_FIELDS)
        widgets = {"notes": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args: Any, client: Client, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.client = client
        self.operation = "update_client_contact" if self.instance.pk else "create_client_contact"

    def push_target(self) -> VendorConnection | None:
        # Unchanged, nothing is sent, so nothing to check.
        return self.instance.client.connection if self.has_changed() or not self.instance.pk else None
