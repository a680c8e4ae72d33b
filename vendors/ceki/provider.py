"""TribeIT/Ceki's registration: OTP-token credentials, the client, five synced resources (`resources`), money and
time operations through the outbox (`outbound`, written by `signals`), the OTP log-in forms, and the sandbox.
Ceki sends no webhooks (the doc describes none for the User API)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from portal.integrations.provider import CredentialField, SettingsForm, VendorProvider
from portal.shifts import sourcing
from vendors.base.client import VendorClient
from vendors.ceki import signals, token_keeper
from vendors.ceki.client import CekiAuth, CekiClient
from vendors.ceki.outbound import OPERATIONS
from vendors.ceki.resources import RESOURCES
from vendors.ceki.sandbox import CekiSandbox
from vendors.ceki.settings_forms import LogInForm, RequestCodeForm
from vendors.ceki.sourcing import CekiChannel

if TYPE_CHECKING:
    from portal.integrations.models import VendorConnection

__all__ = ["Provider"]


class Provider(VendorProvider):
    name = "ceki"
    label = "TribeIT Ceki"
    credential_fields = (
        CredentialField("email", "Ceki account email", secret=False),
        CredentialField("otp", "One-time password (sandbox: its demo OTP)", required=False),
        CredentialField("token", "Bearer token (set by the OTP login)", required=False),
        CredentialField("api_key", "Agent API key (instead of the OTP login)", required=False),
    )
    resources = RESOURCES
    operations = OPERATIONS
    # The User API describes no webhooks: Ceki is polled (README "Webhooks").
    receives_webhooks = False

    def ready(self) -> None:
        """Connect the receivers that turn money moves and slot bookings into outbox rows (`signals`), and offer
        Ceki's specialists to the shifts app (`sourcing`)."""
        signals.connect()
        sourcing.register(CekiChannel())

    def build_client(self, connection: VendorConnection) -> VendorClient:
        credentials = connection.credentials or {}
        api_key = str(credentials.get("api_key", ""))  # an agent: its key is its Bearer token, never renewed
        auth = CekiAuth(
            connection.base_url,
            email=token_keeper.account_email(connection),
            otp="" if api_key else str(credentials.get("otp", "")),
            token=api_key or str(credentials.get("token", "")),
            on_token=token_keeper.keeper_for(connection.pk),
        )
        return VendorClient(
            vendor=self.label,
            base_url=connection.base_url,
            auth=auth,
            secrets=self.secrets_of(connection),
        )

    def request_otp(self, connection: VendorConnection) -> None:
        """The Admin's first OTP step: Ceki mails a one-time password to the connection's email."""
        CekiClient(self.client(connection)).request_otp(token_keeper.account_email(connection))

    def log_in(self, connection: VendorConnection, otp: str) -> None:
        """The second step: exchange the OTP for a token and keep both on the connection (`token_keeper`)."""
        token_keeper.log_in(connection, otp)

    def settings_forms(self) -> tuple[SettingsForm, ...]:
        """The Admin's two OTP steps on the connection's page (`request_otp`, then `log_in`)."""
        return (
            SettingsForm("request-code", "Log in to Ceki: get a code", RequestCodeForm),
            SettingsForm("log-in", "Log in to Ceki: enter the code", LogInForm),
        )

    def verify_webhook(self, connection: VendorConnection, body: bytes, headers: Mapping[str, str]) -> bool:
        """Whatever reaches a Ceki webhook URL is kept in the inbox as rejected, and nothing is applied."""
        return False

    def sandbox(self) -> CekiSandbox:
        return CekiSandbox()
