"""`manage.py connect VENDOR --base-url URL [--secret NAME=VALUE ...] [--name NAME]`: create or update a
connection and print it as one JSON object with its webhook URL. Secret values are never printed."""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError

from portal.integrations.models import VendorConnection
from vendors.registry import UnknownVendor, get_provider


class Command(BaseCommand):
    help = "Create or update a vendor connection; prints it as JSON (with webhook_url, without secrets)."

    def add_arguments(self, parser):
        parser.add_argument("vendor")
        parser.add_argument("--base-url", required=True)
        parser.add_argument("--secret", action="append", default=[], metavar="NAME=VALUE")
        parser.add_argument("--name", help="Display name; defaults to the vendor's label. Identifies the connection.")
        parser.add_argument("--inactive", action="store_true")

    def handle(self, *args, vendor: str, base_url: str, secret: list[str], name: str | None, inactive: bool, **opts):
        try:
            provider = get_provider(vendor)
        except UnknownVendor as exc:
            raise CommandError(str(exc)) from None
        known = {f.name for f in provider.credential_fields}
        secrets = {}
        for item in secret:
            key, sep, value = item.partition("=")
            if not sep or key not in known:
                raise CommandError(f"--secret wants NAME=VALUE with NAME one of: {', '.join(sorted(known))}.")
            secrets[key] = value
        connection = VendorConnection.objects.filter(name=name or provider.label).first()
        if connection is not None and connection.vendor != vendor:
            raise CommandError(f"A connection named {connection.name!r} already exists for {connection.vendor}.")
        connection = connection or VendorConnection(vendor=vendor, name=name or provider.label)
        connection.base_url = base_url
        connection.credentials = {**(connection.credentials or {}), **secrets}
        connection.is_active = not inactive
        missing = [f.name for f in provider.credential_fields if f.required and not connection.credentials.get(f.name)]
        connection.full_clean(exclude=["credentials"])
        connection.save()
        result = connection.public_dict()
        if missing:
            result["missing_credentials"] = missing
        self.stdout.write(json.dumps(result))
