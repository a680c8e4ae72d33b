"""The webhook receiver's refusals, on the neutral fake vendor: a bad or missing signature is refused and kept,
malformed JSON is 400 and visible, an unknown URL is 404 and keeps no body; nothing refused is ever applied."""

from __future__ import annotations

import pytest

from portal.integrations.inbox_drain import drain_queued
from portal.integrations.models import RefusedDelivery, WebhookEvent
from tests.support.fake_vendor import event, signature, signed

pytestmark = pytest.mark.django_db


def post(client, connection, body: bytes, headers: dict | None = None):
    return client.post(connection.webhook_path, data=body, content_type="application/json", **(headers or {}))


def test_bad_or_missing_signature_is_refused_and_kept(client, fake_connection):
    body, _ = signed(event("thing:1", "changed", "2024-01-17T15:01:00Z"))
    _, wrong = signed(event("thing:1", "changed", "2024-01-17T15:01:00Z"), secret="not-the-secret")
    assert post(client, fake_connection, body, wrong).status_code == 401
    assert post(client, fake_connection, body).status_code == 401
    assert list(WebhookEvent.objects.values_list("state", flat=True)) == ["rejected", "rejected"]
    assert drain_queued(batch_size=10, max_batches=1)["applied"] == 0, "a refused delivery is never applied"


def test_malformed_json_is_400_and_visible(client, fake_connection):
    body = b'{"type": "changed",'
    response = post(client, fake_connection, body, signature(body))
    assert response.status_code == 400
    stored = WebhookEvent.objects.get()
    assert stored.state == "malformed" and stored.body == body.decode() and stored.error


def test_unknown_token_is_404_and_keeps_no_body(client, fake_connection):
    response = client.post("/webhooks/fake/not-a-token/", data=b"{}", content_type="application/json")
    assert response.status_code == 404
    assert not WebhookEvent.objects.exists()
    assert RefusedDelivery.objects.get().reason == "unknown_url"
