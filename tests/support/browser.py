"""Debian's chromium through Playwright, and signing a user in without typing (for tests not about login)."""

from __future__ import annotations

from django.conf import settings
from django.test import Client

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]

__all__ = ["CHROMIUM", "CHROMIUM_ARGS", "sign_in"]


def sign_in(context, user, base_url: str) -> None:
    """Give a Playwright browser context the session cookie of `user`."""
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": base_url}])
