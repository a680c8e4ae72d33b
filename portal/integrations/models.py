"""Vendor-neutral integration records. Vendor specifics live in `vendors/<name>/`, never here."""

from __future__ import annotations

import secrets

from django.db import models

from portal.core.encryption import EncryptedJSONField

__all__ = ["VendorConnection"]


def new_webhook_token() -> str:
    return secrets.token_urlsafe(32)


class VendorConnection(models.Model):
    """One account at one vendor: where it is, how to authenticate, where it sends webhooks."""

    vendor = models.CharField(max_length=32, db_index=True, help_text="Registry name, e.g. 'kamana'.")
    name = models.CharField(max_length=100, unique=True)
    base_url = models.URLField(max_length=500)
    credentials = EncryptedJSONField(blank=True, default=dict, help_text="Encrypted at rest.")
    is_active = models.BooleanField(default=True)
    webhook_token = models.CharField(max_length=64, unique=True, default=new_webhook_token, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["vendor", "name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.vendor})"
