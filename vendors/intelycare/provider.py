"""IntelyCare's registration: credentials, client, outbound operations, signed webhooks, sandbox.

No sync resources: IntelyCare's API has no list to read; its side of a shift arrives by webhook (`handlers.py`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django.utils import timezone

from portal.integrations.provider import CredentialField, VendorProvider, WebhookInfo
from vendors.base.client import VendorClient
from vendors.base.signing import hmac_sha256_hex_matches
from vendors.intelycare import signals
from vendors.intelycare.client import IntelyCareAuth
from vendors.intelycare.handlers import EVENT_TYPES, handle_status_event, shift_subject
from vendors.intelycare.outbound import OPERATIONS
from vendors.intelycare.sandbox import IntelyCareSandbox
from vendors.intelycare.schemas import ShiftStatusEvent

if TYPE_CHECKING:
    from portal.integrations.models import VendorConnection, WebhookEvent

__all__ = ["Provider"]


class Provider(VendorProvider):
    name = "intelycare"
    label = "IntelyCare"
    credential_fields = (
        CredentialField("api_key", "API key (X-API-KEY)"),
        CredentialField("client_id", "Client id (X-CLIENT-ID)", secret=False),
        CredentialField("webhook_secret", "Webhook secret (signs X-Signature-IC)"),
    )
    operations = OPERATIONS
    receives_webhooks = True
    signs_webhooks = True
    webhook_secret_field = "webhook_secret"  # noqa: S105 (the credential's name)
    # "All requests and responses are JSON-encoded" (the doc's introduction).
    webhook_content_types = ("application/json",)

    def build_client(self, connection: VendorConnection) -> VendorClient:
        credentials = connection.credentials or {}
        return VendorClient(
            vendor=self.label,
            base_url=connection.base_url,
            auth=IntelyCareAuth(str(credentials.get("api_key", "")), str(credentials.get("client_id", ""))),
            secrets=self.secrets_of(connection),
        )

    def verify_webhook(self, connection: VendorConnection, body: bytes, headers: Mapping[str, str]) -> bool:
        signature = headers.get("X-Signature-IC")
        secrets = self.webhook_secrets(connection, timezone.now())
        return any(hmac_sha256_hex_matches(secret, body, signature) for secret in secrets)

    def describe_webhook(self, payload: Any) -> WebhookInfo:
        # IntelyCare sends no event id: the inbox dedupes on the body's hash, which includes statusTimestamp.
        event = ShiftStatusEvent.parse(payload)
        return WebhookInfo(
            event_type=EVENT_TYPES[event.status],
            occurred_at=event.status_at,
            subject=shift_subject(event.external_shift_id),
            event=event,
        )

    def handle_webhook(self, connection: VendorConnection, event: WebhookEvent) -> str:
        return handle_status_event(connection, event)

    def ready(self) -> None:
        """Listen to the shifts app's domain signals: shifts and timecards made in the portal go out by outbox."""
        signals.connect()

    def sandbox(self) -> IntelyCareSandbox:
        return IntelyCareSandbox()
