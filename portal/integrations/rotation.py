"""Rotating a connection's webhook proof (issue 15): the signing secret where the vendor signs, else the URL token.

The rotated-out secret or token keeps working until `previous_webhook_expires_at` (WEBHOOK_ROTATION_OVERLAP_HOURS
after the rotation), so deliveries the vendor still signs or addresses the old way while it switches are accepted.
Two are kept, never more: rotating again inside the window retires the older one at once.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from portal.integrations.models import VendorConnection, new_webhook_token
from portal.integrations.provider import PREVIOUS_SECRET_PREFIX, VendorProvider
from portal.integrations.registry import get_provider

__all__ = ["Rotation", "previous_valid_until", "rotate_webhook_proof", "rotates_secret"]


@dataclass(frozen=True)
class Rotation:
    """What to tell the Admin once: the new secret (or URL), and until when the old one works."""

    what: str  # "signing secret" or "webhook URL"
    new_value: str
    previous_valid_until: dt.datetime | None  # None when there was no previous one to keep


def rotates_secret(provider: VendorProvider) -> bool:
    """Whether rotating this vendor's connections replaces a signing secret (else the URL token)."""
    return bool(provider.signs_webhooks and provider.webhook_secret_field)


def rotate_webhook_proof(connection: VendorConnection, *, new_secret: str = "") -> Rotation:
    """Rotate and save; `new_secret` is the one the vendor issued, else a random one is made for it.

    Updates `connection` in place (the row is locked while it changes, so two Admins' clicks do not mix).
    """
    provider = get_provider(connection.vendor)
    now = timezone.now()
    until = now + dt.timedelta(hours=settings.WEBHOOK_ROTATION_OVERLAP_HOURS)
    with transaction.atomic():
        locked = VendorConnection.objects.select_for_update().get(pk=connection.pk)
        if rotates_secret(provider):
            name = provider.webhook_secret_field
            credentials = dict(locked.credentials or {})
            old, new = str(credentials.get(name) or ""), new_secret or secrets.token_hex(32)
            credentials[name], credentials[PREVIOUS_SECRET_PREFIX + name] = new, old
            locked.credentials = credentials
            what, shown = "signing secret", new
        else:
            old = locked.webhook_token
            locked.previous_webhook_token, locked.webhook_token = old, new_webhook_token()
            what, shown = "webhook URL", locked.webhook_url
        locked.previous_webhook_expires_at = until if old else None
        locked.save()
    for field in (
        "credentials",
        "webhook_token",
        "previous_webhook_token",
        "previous_webhook_expires_at",
        "updated_at",
    ):
        setattr(connection, field, getattr(locked, field))
    return Rotation(what, shown, locked.previous_webhook_expires_at)


def previous_valid_until(connection: VendorConnection) -> dt.datetime | None:
    """When the rotated-out secret or token stops working, if it still works now."""
    until = connection.previous_webhook_expires_at
    return until if until is not None and timezone.now() < until else None
