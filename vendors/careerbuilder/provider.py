"""CareerBuilder's registration: credentials, client, the candidate-status sync, the status push, sandbox.

No webhooks: the doc describes none, so CareerBuilder's side of a status reaches the portal by pulling.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from portal.integrations.provider import CredentialField, SettingsForm, VendorProvider
from vendors.careerbuilder import signals
from vendors.careerbuilder.auth import CareerBuilderAuth
from vendors.careerbuilder.client import CareerBuilderClient
from vendors.careerbuilder.outbound import OPERATIONS
from vendors.careerbuilder.paths import OAUTH_TOKEN
from vendors.careerbuilder.resources import RESOURCES
from vendors.careerbuilder.sandbox import CareerBuilderSandbox

if TYPE_CHECKING:
    from portal.integrations.models import VendorConnection

__all__ = ["Provider"]


class Provider(VendorProvider):
    name = "careerbuilder"
    label = "CareerBuilder"
    credential_fields = (
        CredentialField("account", "Account DID", secret=False),
        CredentialField("access_token", "Bearer token, if CareerBuilder issued a fixed one", required=False),
        CredentialField("client_id", "OAuth client id", secret=False, required=False),
        CredentialField("client_secret", "OAuth client secret (signs the client assertion)", required=False),
        CredentialField(
            "token_url", "OAuth token URL (default: base URL + /oauth/token)", secret=False, required=False
        ),
        CredentialField("vendor_key", "vendor_key sent with each status", secret=False, required=False),
        CredentialField("client", "client sent with each status", secret=False, required=False),
        CredentialField("status_map", "Portal status -> CareerBuilder status (JSON)", secret=False, required=False),
    )
    resources = RESOURCES
    operations = OPERATIONS
    receives_webhooks = False  # the doc describes none: statuses are pulled (README "Webhooks and errors")

    def build_client(self, connection: VendorConnection) -> CareerBuilderClient:
        credentials = connection.credentials or {}
        base_url = connection.base_url.rstrip("/")
        return CareerBuilderClient(
            vendor=self.label,
            base_url=base_url,
            auth=CareerBuilderAuth(
                access_token=str(credentials.get("access_token") or ""),
                token_url=str(credentials.get("token_url") or base_url + OAUTH_TOKEN.path()),
                client_id=str(credentials.get("client_id") or ""),
                client_secret=str(credentials.get("client_secret") or ""),
            ),
            secrets=self.secrets_of(connection),
            account=str(credentials.get("account") or ""),
        )

    def ready(self) -> None:
        """Connect the status-change receivers; `IntegrationsConfig.ready()` calls this at start-up."""
        signals.connect()

    def settings_forms(self) -> tuple[SettingsForm, ...]:
        """The status map editor; it owns `status_map`, so the credentials form does not show it as JSON text."""
        from vendors.careerbuilder.settings_forms import StatusMapForm

        return (SettingsForm("status-map", "Status map", StatusMapForm, owns=("status_map",)),)

    def sandbox(self) -> CareerBuilderSandbox:
        return CareerBuilderSandbox()
