"""The promises every vendor package keeps, as a mixin each vendor's tests subclass (allauth's
`OAuth2TestsMixin`): credentials on every call, retry on 429, refused signatures, deduped webhooks.

A subclass provides the fixtures `connection` (a VendorConnection to the vendor's sandbox) and `server` (the
running `SandboxServer`), and implements `probe`, `sample_webhook` and `webhook_headers`.
"""

from __future__ import annotations

from typing import Any

import pytest

from portal.integrations.errors import AuthError, NotFound
from portal.integrations.models import VendorConnection, WebhookEvent
from portal.integrations.registry import get_provider
from vendors.base.client import VendorClient

__all__ = ["VendorContractTests"]


class VendorContractTests:
    vendor: str

    def probe(self, client: VendorClient) -> Any:
        """One idempotent call; may raise NotFound (the sandbox has no such record)."""
        raise NotImplementedError

    def sample_webhook(self) -> dict:
        raise NotImplementedError

    def webhook_headers(self, body: bytes, connection: VendorConnection) -> dict[str, str]:
        """Request headers (Django test client style, `HTTP_...`) that make `body` authentic."""
        raise NotImplementedError

    def call(self, connection: VendorConnection) -> Any:
        try:
            return self.probe(get_provider(self.vendor).client(connection))
        except NotFound:
            return None

    @pytest.mark.django_db
    def test_calls_carry_the_connection_credentials(self, connection, server):
        self.call(connection)
        for field in get_provider(self.vendor).credential_fields:
            if field.secret and field.name != "webhook_secret":
                connection.credentials = {**connection.credentials, field.name: "wrong-value"}
        connection.save()
        with pytest.raises(AuthError):
            self.probe(get_provider(self.vendor).client(connection))

    @pytest.mark.django_db
    def test_a_429_is_retried_after_its_retry_after(self, connection, server):
        server.add_fault("429", count=1, vendor=self.vendor)
        self.call(connection)
        statuses = [r[3] for r in server.requests if r[0] == self.vendor]
        assert statuses[0] == 429 and len(statuses) == 2

    @pytest.mark.django_db
    def test_a_webhook_is_stored_once_and_a_forged_one_refused(self, client, connection):
        import json

        body = json.dumps(self.sample_webhook()).encode()
        headers = self.webhook_headers(body, connection)
        post = lambda **h: client.post(connection.webhook_path, data=body, content_type="application/json", **h)  # noqa: E731
        assert post(**headers).status_code == 202
        assert post(**headers).status_code == 200
        states = list(WebhookEvent.objects.order_by("pk").values_list("state", flat=True))
        assert states == ["queued", "duplicate"]
        if get_provider(self.vendor).signs_webhooks:
            forged = {k: "0" * 64 for k in headers}
            assert post(**forged).status_code == 401
