"""TribeIT/Ceki's registration: OTP-token or agent-key credentials, the client, five synced resources
(`resources`), money and time operations through the outbox (`outbound`, written by `signals`), the forms that
connect either way, the agent's panel, and the sandbox. Ceki sends no webhooks (none documented for the User API)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from portal.integrations.provider import ConnectionPanel, CredentialField, SettingsForm, VendorProvider
from portal.shifts import sourcing
from vendors.base.client import VendorClient
from vendors.ceki import signals, token_keeper
from vendors.ceki.agent_panel import load_agent
from vendors.ceki.client import CekiAuth, CekiClient
from vendors.ceki.outbound import OPERATIONS
from vendors.ceki.resources import RESOURCES
from vendors.ceki.sandbox import CekiSandbox
from vendors.ceki.settings_forms import LogInForm, RegisterAgentForm, RequestCodeForm, VerifyAgentEmailForm
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

    def missing_credentials(self, connection: VendorConnection) -> list[str]:
        """An agent's key is a whole connection (its e-mail only matters for verifying it); a user needs its
        login's e-mail."""
        if (connection.credentials or {}).get("api_key"):
            return []
        return super().missing_credentials(connection)

    def request_otp(self, connection: VendorConnection) -> None:
        """The Admin's first OTP step: Ceki mails a one-time password to the connection's email."""
        CekiClient(self.client(connection)).request_otp(token_keeper.account_email(connection))

    def log_in(self, connection: VendorConnection, otp: str) -> None:
        """The second step: exchange the OTP for a token and keep both on the connection (`token_keeper`)."""
        token_keeper.log_in(connection, otp)

    def settings_forms(self) -> tuple[SettingsForm, ...]:
        """Connect either way: as a Ceki user, the Admin's two OTP steps (`request_otp`, then `log_in`); as an
        agent, registration and the e-mail verification that unlocks search."""
        return (
            SettingsForm("request-code", "Log in to Ceki: get a code", RequestCodeForm),
            SettingsForm("log-in", "Log in to Ceki: enter the code", LogInForm),
            SettingsForm("register-agent", "Or connect as a Ceki agent: register one", RegisterAgentForm),
            SettingsForm("verify-agent", "Verify the agent's e-mail", VerifyAgentEmailForm),
        )

    def connection_panels(self) -> tuple[ConnectionPanel, ...]:
        """The agent's status, wallet, usage and transactions (`agent_panel`), loaded after the page."""
        return (ConnectionPanel("agent", "Ceki agent", "vendors/ceki/agent_panel.html", load_agent, params=("page",)),)

    def verify_webhook(self, connection: VendorConnection, body: bytes, headers: Mapping[str, str]) -> bool:
        """Whatever reaches a Ceki webhook URL is kept in the inbox as rejected, and nothing is applied."""
        return False

    def sandbox(self) -> CekiSandbox:
        return CekiSandbox()
