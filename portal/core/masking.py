"""Secrets on pages show only their last characters: enough to tell two apart, not enough to use one. A page
that must let an Admin copy the whole value puts it in a copy button's `data-copy`, never in the text."""

from __future__ import annotations

__all__ = ["MASK", "mask_secret", "mask_secret_in"]

MASK = "••••••"
VISIBLE_CHARACTERS = 4


def mask_secret(secret: str) -> str:
    """`••••••3f9a`; a secret too short to spare four characters is masked whole."""
    if len(secret) <= VISIBLE_CHARACTERS * 2:
        return MASK
    return MASK + secret[-VISIBLE_CHARACTERS:]


def mask_secret_in(text: str, secret: str) -> str:
    """`text` with every occurrence of `secret` masked, e.g. a webhook URL with its token."""
    return text.replace(secret, mask_secret(secret)) if secret else text
