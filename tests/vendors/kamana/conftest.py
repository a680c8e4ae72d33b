"""The Kamana sandbox over real HTTP, a connection to it, and the push hook (`Provider.ready()`)."""

from __future__ import annotations

import json

import pytest

from portal.integrations import inbox
from portal.integrations.models import VendorConnection, WebhookEvent
from portal.integrations.registry import get_provider
from tests.support.processes import free_port
from vendors.base.sandbox import SandboxServer
from vendors.kamana.client import KamanaClient
from vendors.kamana.sandbox import SANDBOX_TOKEN, KamanaSandbox


@pytest.fixture
def registered(settings):
    """The lead adds the registration line; until then each test registers the package itself."""
    settings.VENDOR_PROVIDERS = [*settings.VENDOR_PROVIDERS, "vendors.kamana"]


@pytest.fixture
def kamana_server():
    """A fresh sandbox per test on a free port: 30 requisitions, 4 people, pages of 10 so lists really page."""
    server = SandboxServer([KamanaSandbox(seed=30, page_size=10)], port=free_port(), retry_after=1).start()
    yield server
    server.stop()


@pytest.fixture
def vendor(kamana_server) -> KamanaSandbox:
    return kamana_server.vendors["kamana"]


@pytest.fixture
def kamana(db, registered, kamana_server, vendor) -> VendorConnection:
    return VendorConnection.objects.create(
        vendor="kamana",
        name="Kamana sandbox",
        base_url=kamana_server.vendor_url("kamana"),
        credentials={
            "token": SANDBOX_TOKEN,
            "account_id": vendor.world.account_id,
            "user_id": next(iter(vendor.world.users)),
        },
    )


@pytest.fixture
def api(kamana) -> KamanaClient:
    return KamanaClient(get_provider("kamana").client(kamana))


@pytest.fixture
def pushing(registered):
    """`Provider.ready()`, as the core calls it at start-up (connecting twice is harmless). The receivers stay
    connected afterwards, as in production: disconnecting here left later tests without them."""
    get_provider("kamana").ready()


def deliver(client, connection: VendorConnection, payload: dict | bytes) -> WebhookEvent:
    """Post one delivery to the portal's webhook URL and apply it as the task would; returns the stored event."""
    body = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
    client.post(connection.webhook_path, data=body, content_type="application/json")
    event = WebhookEvent.objects.order_by("-pk").first()
    if event.state == WebhookEvent.State.QUEUED:
        inbox.process_event(event.pk)
        event.refresh_from_db()
    return event


def sent_webhooks(server: SandboxServer) -> list[dict]:
    """What the sandbox queued for the portal, oldest first (its delivery thread has no target in these tests)."""
    return [json.loads(d.body) for d in server.deliveries if d.vendor == "kamana"]
