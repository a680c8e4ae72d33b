"""Kamana's registration: credentials, client, synced resources, outbound operations, webhooks, sandbox."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from portal.integrations.provider import CredentialField, VendorProvider, WebhookInfo
from vendors.base.client import VendorClient
from vendors.kamana import signals
from vendors.kamana.client import KamanaAuth
from vendors.kamana.handlers import event_subject, handle_event
from vendors.kamana.outbound import OPERATIONS
from vendors.kamana.resources import RESOURCES
from vendors.kamana.sandbox import KamanaSandbox
from vendors.kamana.schemas import WebhookEvent as KamanaEvent

if TYPE_CHECKING:
    from portal.integrations.models import VendorConnection, WebhookEvent

__all__ = ["Provider"]


class Provider(VendorProvider):
    name = "kamana"
    label = "Kamana"
    credential_fields = (
        CredentialField("token", "Access token (Bearer, from Kamana support)"),
        CredentialField("account_id", "Account id (relationships live under it)", secret=False),
        CredentialField("user_id", "Kamana user the portal acts as (do-not-hire decisions)", secret=False),
    )
    resources = RESOURCES
    operations = OPERATIONS
    # Kamana documents no webhook signature: the unguessable URL token is the only proof (README "Webhooks").
    receives_webhooks = True
    signs_webhooks = False

    def build_client(self, connection: VendorConnection) -> VendorClient:
        return VendorClient(
            vendor=self.label,
            base_url=connection.base_url,
            auth=KamanaAuth(str((connection.credentials or {}).get("token", ""))),
            secrets=self.secrets_of(connection),
        )

    def ready(self) -> None:
        """Connect the receivers that turn local changes into outbox rows (`signals`)."""
        signals.connect()

    def describe_webhook(self, payload: Any) -> WebhookInfo:
        # Kamana sends no event id: the inbox dedupes on the body's hash; the object's `updated_at` orders events.
        event = KamanaEvent.from_payload(payload)
        return WebhookInfo(
            event_type=event.event_type, occurred_at=event.updated_at, subject=event_subject(event), event=event
        )

    def handle_webhook(self, connection: VendorConnection, event: WebhookEvent) -> str:
        return handle_event(connection, event)

    def sandbox(self) -> KamanaSandbox:
        return KamanaSandbox()
