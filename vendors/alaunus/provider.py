"""Alaunus's registration: the API key, the client, what syncs into which model, outbound visit and punchcard
changes, and the sandbox. Alaunus sends no webhooks (its doc describes none), so everything arrives by sync and
`receives_webhooks` stays False."""

from __future__ import annotations

from typing import TYPE_CHECKING

from portal.integrations.provider import CredentialField, VendorProvider
from vendors.alaunus import signals
from vendors.alaunus.client import AlaunusAuth
from vendors.alaunus.outbound import OPERATIONS
from vendors.alaunus.resources import RESOURCES
from vendors.alaunus.sandbox import AlaunusSandbox
from vendors.base.client import VendorClient

if TYPE_CHECKING:
    from portal.integrations.models import VendorConnection

__all__ = ["Provider"]


class Provider(VendorProvider):
    name = "alaunus"
    label = "Alaunus"
    credential_fields = (CredentialField("api_key", "API key (sent as the Authorization header)"),)
    resources = RESOURCES
    operations = OPERATIONS
    receives_webhooks = False  # the doc describes no webhooks

    def build_client(self, connection: VendorConnection) -> VendorClient:
        return VendorClient(
            vendor=self.label,
            base_url=connection.base_url,
            auth=AlaunusAuth(str((connection.credentials or {}).get("api_key", ""))),
            secrets=self.secrets_of(connection),
        )

    def ready(self) -> None:
        """Connect the receivers that turn visit changes made in the portal into outbox rows (`signals`)."""
        signals.connect()

    def sandbox(self) -> AlaunusSandbox:
        return AlaunusSandbox()
