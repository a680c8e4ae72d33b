"""The fake vendor's provider: signed webhooks with an id, a type, a time and a subject (see `__init__`)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils import timezone

from portal.integrations.models import VendorConnection, WebhookEvent
from portal.integrations.provider import CredentialField, VendorProvider, WebhookInfo
from tests.support.fake_vendor import HALF_APPLIED, REFUSED
from vendors.base.reading import iso_datetime
from vendors.base.signing import hmac_sha256_hex_matches


class Provider(VendorProvider):
    name = "fake"
    label = "Fake vendor"
    credential_fields = (CredentialField("webhook_secret", "Webhook signing secret"),)
    receives_webhooks = True
    signs_webhooks = True
    webhook_secret_field = "webhook_secret"

    def verify_webhook(self, connection: VendorConnection, body: bytes, headers: Mapping[str, str]) -> bool:
        secrets = self.webhook_secrets(connection, timezone.now())
        return any(hmac_sha256_hex_matches(secret, body, headers.get("X-Signature")) for secret in secrets)

    def describe_webhook(self, payload: Any) -> WebhookInfo:
        return WebhookInfo(
            event_type=str(payload["type"]),
            event_id=str(payload.get("id") or ""),
            occurred_at=iso_datetime(payload["at"]),
            subject=str(payload["subject"]),
        )

    def handle_webhook(self, connection: VendorConnection, event: WebhookEvent) -> str:
        if event.event_type == REFUSED:
            WebhookEvent.objects.filter(pk=event.pk).update(outcome=HALF_APPLIED)
            raise ValueError("the fake vendor refuses this event")
        return "recorded"
