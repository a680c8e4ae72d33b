"""`manage.py sandbox [--port 8100]`: every registered vendor's sandbox under `/<vendor>/`, in one process.

Webhooks go to the portal connections whose base URL points at this sandbox (their webhook URL and secret).
Every sandbox also holds the demo's cast (`vendors/base/sandbox_cast.py`): a dozen people several vendors know.
"""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand

from portal.integrations.models import VendorConnection
from portal.integrations.registry import all_providers
from vendors.base.sandbox import SandboxServer
from vendors.base.sandbox_cast import DEMO_CAST


class Command(BaseCommand):
    help = "Serve the vendor sandboxes (fault injection: header X-Sandbox-Fault or POST /_sandbox/faults)."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8100)
        parser.add_argument("--seed", type=int, default=20, help="Records each vendor starts with.")
        parser.add_argument("--tick", type=float, default=10.0, help="Seconds between world updates (0: never).")

    def handle(self, *args, host: str, port: int, seed: int, tick: float, **opts):
        vendors = []
        for provider in all_providers().values():
            sandbox = provider.sandbox()
            if sandbox is not None:
                sandbox.seed(seed)
                vendors.append(sandbox)
        server = SandboxServer(vendors, host=host, port=port, tick_seconds=tick)
        for vendor in vendors:  # after the server: Kamana tells the portal of its cast by webhook
            vendor.add_cast(DEMO_CAST)
        for vendor in vendors:
            connection = VendorConnection.objects.filter(
                vendor=vendor.name, base_url__startswith=server.vendor_url(vendor.name)
            ).first()
            if connection is not None:
                server.set_target(vendor.name, connection.webhook_url, connection.credentials.get("webhook_secret", ""))
        server.start()
        for vendor in vendors:
            target = server.targets.get(vendor.name, {}).get("url", "no portal connection points here")
            self.stdout.write(f"{vendor.name}: {server.vendor_url(vendor.name)}  webhooks -> {target}")
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            server.stop()
