"""The forms on a Ceki connection's page, for connecting either way (issue 22): as a Ceki user, the two-step "Log
in to Ceki" (issue 7: ask Ceki to mail a one-time password, then exchange it for the token the connection keeps);
as an agent, "Register an agent" (its API key kept instead) and "Verify the agent's e-mail".

Ceki's refusals and an unreachable Ceki become form errors in plain words; the code typed is never shown back.
"""

from __future__ import annotations

from collections.abc import Collection

import httpx
from django import forms
from django.core.exceptions import NON_FIELD_ERRORS

from portal.integrations.errors import PayloadInvalid, VendorError
from portal.integrations.forms import ConnectionSettingsForm, secret_input
from portal.integrations.registry import get_provider
from vendors.ceki.client import CekiClient
from vendors.ceki.schemas import VERIFY_CODE_LENGTH, AgentCurrency, agent_register_body, verify_email_body
from vendors.ceki.token_keeper import account_email

__all__ = ["LogInForm", "RegisterAgentForm", "RequestCodeForm", "VerifyAgentEmailForm"]


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


def _placed(action: str, error: Exception, fields: Collection[str]) -> forms.ValidationError:
    """Ceki's 422 `errors` (or our own check's, keyed the same way) beside the form's fields: `skills.0` is the
    skills field's; one the form does not have goes above the form, after `action`."""
    field_errors = getattr(error, "field_errors", None) or getattr(error, "errors", None) or {}
    if not field_errors:
        return _refused(action, error)
    placed: dict[str, list[str]] = {}
    for name, listed in field_errors.items():
        field = str(name).split(".")[0]
        if field not in fields:
            placed.setdefault(NON_FIELD_ERRORS, []).extend(f"{action}: {m}" for m in _listed(listed))
        else:
            placed.setdefault(field, []).extend(str(m) for m in _listed(listed))
    return forms.ValidationError(placed)


def _words(text: str) -> list[str]:
    return [word.strip() for word in text.split(",") if word.strip()]


class RegisterAgentForm(ConnectionSettingsForm):
    """Register a Ceki agent for this connection ("Register a new agent"): the key Ceki returns, shown by Ceki only
    once, is stored encrypted with the other credentials, and the connection then calls as that agent."""

    submit_label = "Register the agent"
    intro = (
        "Registers a new agent with Ceki's Agent API. Its API key is stored encrypted on this connection and never "
        "shown; the connection then calls Ceki as that agent instead of the one-time-password login. Ceki e-mails "
        "a code to verify the agent's e-mail, and the agent turns active after its first deposit."
    )

    name = forms.CharField(label="Agent name", max_length=255)
    email = forms.EmailField(label="Agent e-mail", help_text="Ceki mails the verification code here.")
    currency = forms.ChoiceField(
        label="Wallet currency", required=False, choices=[("", "Ceki's default")] + [(c, c) for c in AgentCurrency]
    )
    description = forms.CharField(label="Description", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    callback_url = forms.URLField(label="Callback URL", required=False, max_length=500, assume_scheme="https")
    skills = forms.CharField(label="Skills", required=False, help_text="Comma-separated, e.g. scheduling, search.")
    languages = forms.CharField(label="Languages", required=False, help_text="Comma-separated codes, e.g. en, es.")

    def clean(self) -> dict:
        if (self.connection.credentials or {}).get("api_key"):
            raise forms.ValidationError(
                "This connection already calls Ceki as an agent: remove its API key under Credentials first "
                "(Ceki shows a key only once, so a replaced one is lost)."
            )
        return super().clean()

    def save(self) -> str:
        data = self.cleaned_data
        try:
            body = agent_register_body(
                data["name"],
                data["email"],
                currency=data["currency"] or None,
                description=data["description"] or None,
                callback_url=data["callback_url"] or None,
                skills=_words(data["skills"]) or None,
                languages=_words(data["languages"]) or None,
            )
            registration = CekiClient(get_provider("ceki").client(self.connection)).register_agent(body)
        except (VendorError, httpx.HTTPError, PayloadInvalid) as error:
            raise _placed("Not registered", error, self.fields) from None
        if not registration.api_key:
            raise forms.ValidationError("Not registered: Ceki's answer carried no API key.")
        self.store_credentials({"email": data["email"], "api_key": registration.api_key}, removed=("otp", "token"))
        return (
            f"Agent {registration.agent_id or ''} registered ({registration.status or 'status not given'}); its API "
            f"key is stored encrypted. Ceki says: {registration.message or 'nothing more.'}"
        )


class VerifyAgentEmailForm(ConnectionSettingsForm):
    """The code Ceki e-mailed at registration ("Verify agent email"): without it Ceki refuses searches and
    profile views."""

    submit_label = "Verify the e-mail"

    code = forms.CharField(
        label="Verification code",
        min_length=VERIFY_CODE_LENGTH,
        max_length=VERIFY_CODE_LENGTH,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )

    @property
    def intro(self) -> str:
        email = account_email(self.connection)
        if not email or not (self.connection.credentials or {}).get("api_key"):
            return "For an agent: register one above (or give its key and e-mail under Credentials) first."
        return f"Enter the {VERIFY_CODE_LENGTH}-character code Ceki e-mailed to {email} when the agent registered."

    def save(self) -> str:
        try:
            body = verify_email_body(account_email(self.connection), self.cleaned_data["code"])
            answer = CekiClient(get_provider("ceki").client(self.connection)).verify_agent_email(body)
        except (VendorError, httpx.HTTPError, PayloadInvalid) as error:
            raise _placed("Not verified", error, self.fields) from None
        said = answer.get("message") if isinstance(answer, dict) else None
        return f"E-mail verified: the agent may search once it is active. {said or ''}".strip()
