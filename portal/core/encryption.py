"""Secrets at rest: vendor credentials are stored as Fernet tokens, so a database dump alone reveals nothing.

FIELD_ENCRYPTION_KEY holds one or more Fernet keys, comma-separated, newest first (MultiFernet decrypts
with any and encrypts with the first, which is how a key is rotated). Development without a key derives
one from SECRET_KEY; production settings refuse to start without it.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import json
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models

__all__ = ["EncryptedJSONField", "decrypt_json", "encrypt_json"]


@functools.cache
def _fernet(key_setting: str, secret_key: str) -> MultiFernet:
    keys = [k.strip() for k in key_setting.split(",") if k.strip()]
    if not keys:
        keys = [base64.urlsafe_b64encode(hashlib.sha256(f"field-encryption:{secret_key}".encode()).digest()).decode()]
    try:
        return MultiFernet([Fernet(k) for k in keys])
    except ValueError as exc:
        raise ImproperlyConfigured(
            "FIELD_ENCRYPTION_KEY must be Fernet keys (32 url-safe base64 bytes), comma-separated."
        ) from exc


def _cipher() -> MultiFernet:
    return _fernet(settings.FIELD_ENCRYPTION_KEY, settings.SECRET_KEY)


def encrypt_json(value: Any) -> str:
    return _cipher().encrypt(json.dumps(value, sort_keys=True).encode()).decode()


def decrypt_json(token: str) -> Any:
    try:
        return json.loads(_cipher().decrypt(token.encode()))
    except InvalidToken as exc:
        raise ImproperlyConfigured("A stored secret cannot be decrypted: FIELD_ENCRYPTION_KEY changed?") from exc


class EncryptedJSONField(models.TextField):
    """A JSON value encrypted in the column. Not searchable or filterable, by design."""

    def from_db_value(self, value, expression, connection):
        if value in (None, ""):
            return {}
        return decrypt_json(value)

    def to_python(self, value):
        if isinstance(value, dict | list) or value is None:
            return value
        return decrypt_json(value)

    def get_prep_value(self, value):
        return encrypt_json(value if value is not None else {})
