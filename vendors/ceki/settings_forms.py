"""The two-step "Log in to Ceki" on a Ceki connection's page (issue 7: "an Admin can run the OTP step from the
Integrations page"): ask Ceki to mail a one-time password, then exchange it for the token the connection keeps.

Ceki's refusals and an unreachable Ceki become form errors in plain words; the code typed is never shown back.
"""

from __future__ import annotations

import httpx
from django import forms

from portal.integrations.errors import VendorError
from portal.integrations.forms import ConnectionSettingsForm, secret_input
from portal.integrations.registry import get_provider
from vendors.ceki.token_keeper import account_email

__all__ = ["LogInForm", "RequestCodeForm"]


def _refused(action: str, error: Exception) -> forms.ValidationError:
    """Ceki's (or our own check's) field messages where there are some, else the error in the taxonomy's words."""
    field_errors = getattr(error, "field_errors", None) or getattr(error, "errors", None) or {}
    messages = [str(m) for listed in field_errors.values() for m in _listed(listed)]
    if messages:
        detail = " ".join(messages)
    elif isinstance(error, VendorError):
        detail = error.message
    elif isinstance(error, httpx.HTTPError):
        detail = "Ceki could not be reached. Check the base URL and try again."
    else:
        detail = "Ceki's answer could not be read."
    return forms.ValidationError(f"{action}: {detail}")


def _listed(messages: object) -> list[object]:
    return list(messages) if isinstance(messages, list | tuple) else [messages]


class RequestCodeForm(ConnectionSettingsForm):
    """Step 1: Ceki mails a one-time password to the connection's account email."""

    submit_label = "Email me a code"

    @property
    def intro(self) -> str:
        email = account_email(self.connection)
        return f"Step 1: Ceki emails a one-time password to {email}." if email else "Set the account email first."

    def save(self) -> str:
        try:
            get_provider("ceki").request_otp(self.connection)
        except (VendorError, httpx.HTTPError, ValueError) as error:  # ValueError: our check of the body
            raise _refused("Ceki did not send a code", error) from None
        return f"Ceki emailed a one-time password to {account_email(self.connection)}. Enter it in step 2."


class LogInForm(ConnectionSettingsForm):
    """Step 2: the code for a token; `Provider.log_in` stores both, encrypted with the other credentials."""

    submit_label = "Log in to Ceki"
    intro = "Step 2: enter the code from the email. The token Ceki returns is stored encrypted and never shown."

    code = forms.CharField(label="One-time password", max_length=64, widget=secret_input("one-time-code"))

    def save(self) -> str:
        try:
            get_provider("ceki").log_in(self.connection, self.cleaned_data["code"])
        except (VendorError, httpx.HTTPError, ValueError) as error:
            raise _refused("Not logged in", error) from None
        return "Logged in to Ceki: the new token is stored."
