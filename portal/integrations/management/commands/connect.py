"""`manage.py connect VENDOR --base-url URL [--secret NAME=VALUE ...] [--name NAME] [--rotate-webhook]`: create or
update a connection and print it as one JSON object with its webhook URL. Secret values are never printed, except
the new signing secret a rotation makes (printed that once, so it can be given to the vendor)."""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError

from portal.integrations.models import VendorConnection
from portal.integrations.registry import UnknownVendor, get_provider
from portal.integrations.rotation import rotate_webhook_proof


class Command(BaseCommand):
    help = "Create or update a vendor connection; prints it as JSON (with webhook_url, without secrets)."

    def add_arguments(self, parser):
        parser.add_argument("vendor")
        parser.add_argument("--base-url", help="Required when the connection is created.")
        parser.add_argument("--secret", action="append", default=[], metavar="NAME=VALUE")
        parser.add_argument("--name", help="Display name; defaults to the vendor's label. Identifies the connection.")
        parser.add_argument("--inactive", action="store_true")
        parser.add_argument(
            "--rotate-webhook",
            action="store_true",
            help="Rotate the webhook signing secret (or, for vendors that do not sign, the URL token); the old one "
            "keeps working for WEBHOOK_ROTATION_OVERLAP_HOURS. A --secret for the signing secret becomes the new one "
            "(giving a new signing secret rotates even without this flag).",
        )

    def handle(self, *args, vendor: str, base_url: str | None, secret: list[str], name: str | None, **opts):
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
        if connection is None and not base_url:
            raise CommandError("--base-url is required to create a connection.")
        # A new signing secret given for a connection that has one is a rotation: the old one keeps verifying.
        field = provider.webhook_secret_field
        stored = (connection.credentials or {}).get(field) if connection is not None and field else None
        rotate = opts["rotate_webhook"] or bool(stored and secrets.get(field, stored) != stored)
        new_secret = secrets.pop(field, "") if rotate else ""
        connection = connection or VendorConnection(vendor=vendor, name=name or provider.label)
        connection.base_url = base_url or connection.base_url
        connection.credentials = {**(connection.credentials or {}), **secrets}
        connection.is_active = not opts["inactive"]
        connection.full_clean(exclude=["credentials"])
        connection.save()
        rotated = rotate_webhook_proof(connection, new_secret=new_secret) if rotate else None
        missing = provider.missing_credentials(connection)
        result = connection.public_dict()
        if rotated is not None:
            until = rotated.previous_valid_until
            result["rotated"] = {
                "what": rotated.what,
                "new": rotated.new_value,
                "previous_valid_until": until.isoformat() if until else None,
            }
        if missing:
            result["missing_credentials"] = missing
        self.stdout.write(json.dumps(result))
