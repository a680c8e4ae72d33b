"""Forms of a connection's settings page: its credentials, and the base of the extra forms a vendor offers.

Secrets are write-only here: a secret input never renders a value (not the stored one, not the one just typed
into a refused form), and leaving it blank keeps what is stored.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django import forms
from django.utils.timezone import localtime

if TYPE_CHECKING:
    from portal.integrations.models import VendorConnection
    from portal.integrations.provider import CredentialField

__all__ = ["ConnectionSettingsForm", "CredentialsForm", "secret_input"]

CLEAR_PREFIX = "clear__"


def secret_input(autocomplete: str = "new-password") -> forms.PasswordInput:
    """An input that never renders a value; `new-password` stops browsers filling in a saved login."""
    return forms.PasswordInput(render_value=False, attrs={"autocomplete": autocomplete})


class ConnectionSettingsForm(forms.Form):
    """A form bound to one connection. `save()` applies the cleaned data and returns what to tell the Admin; it
    raises `forms.ValidationError` when the vendor refuses, which the page shows on the form in plain words."""

    submit_label = "Save"
    intro = ""

    def __init__(self, connection: VendorConnection, data: Any = None, **kwargs: Any) -> None:
        super().__init__(data, **kwargs)
        self.connection = connection

    def save(self) -> str:
        raise NotImplementedError

    def store_credentials(self, changes: dict[str, Any], removed: Iterable[str] = ()) -> None:
        """Merge `changes` into the encrypted credentials, drop `removed`, and save only that (with `updated_at`,
        which retires the process's cached client for the connection)."""
        credentials = {**(self.connection.credentials or {}), **changes}
        for name in removed:
            credentials.pop(name, None)
        self.connection.credentials = credentials
        self.connection.save(update_fields=["credentials", "updated_at"])


class CredentialsForm(ConnectionSettingsForm):
    """The provider's credential fields: settings shown and editable, secrets write-only ("leave blank to keep").

    A required secret that was never stored must be given; a stored optional one can be removed with its box.
    """

    submit_label = "Save credentials"

    def __init__(
        self,
        connection: VendorConnection,
        credential_fields: Iterable[CredentialField],
        data: Any = None,
        signing_secret: str = "",
    ) -> None:
        super().__init__(connection, data, prefix="credentials")
        self.credential_fields = tuple(credential_fields)
        self.signing_secret = signing_secret  # the webhook signing secret's field: replaced by rotation
        stored = connection.credentials or {}
        for spec in self.credential_fields:
            if not spec.secret:
                value = stored.get(spec.name, "")
                self.fields[spec.name] = forms.CharField(
                    label=spec.label,
                    required=spec.required,
                    initial=value if isinstance(value, str) else json.dumps(value),
                )
                continue
            is_set = bool(stored.get(spec.name))
            self.fields[spec.name] = forms.CharField(
                label=spec.label,
                required=spec.required and not is_set,
                widget=secret_input(),
                help_text="Set; leave blank to keep it." if is_set else "Not set.",
                strip=True,
            )
            if is_set and not spec.required:
                self.fields[CLEAR_PREFIX + spec.name] = forms.BooleanField(
                    label=f"Remove the stored {spec.label[:1].lower()}{spec.label[1:]}", required=False
                )

    def save(self) -> str:
        changes: dict[str, Any] = {}
        removed: list[str] = []
        for spec in self.credential_fields:
            value = self.cleaned_data.get(spec.name, "")
            if spec.secret:
                if self.cleaned_data.get(CLEAR_PREFIX + spec.name):
                    removed.append(spec.name)
                elif value:
                    changes[spec.name] = value
            elif value:
                changes[spec.name] = value
            else:
                removed.append(spec.name)
        kept_until = self._rotate_signing_secret(changes)
        self.store_credentials(changes, removed)
        if kept_until is not None:
            return (
                f"Credentials of {self.connection.name} saved. The previous webhook signing secret keeps working "
                f"until {localtime(kept_until):%Y-%m-%d %H:%M %Z}."
            )
        return f"Credentials of {self.connection.name} saved."

    def _rotate_signing_secret(self, changes: dict[str, Any]) -> dt.datetime | None:
        """A new signing secret typed over a stored one is a rotation: the old one keeps verifying for the overlap,
        so deliveries the vendor signed before it switched are not lost. Returns until when, if it rotated."""
        from portal.integrations.rotation import rotate_webhook_proof

        new = changes.pop(self.signing_secret, "") if self.signing_secret else ""
        stored = (self.connection.credentials or {}).get(self.signing_secret)
        if not new or new == stored:
            return None
        rotation = rotate_webhook_proof(self.connection, new_secret=new)
        return rotation.previous_valid_until
