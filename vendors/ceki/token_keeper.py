"""Ceki's Bearer token kept on its connection, encrypted with the other credentials (README "Authentication").

The token comes two ways: the client logs in again by itself when a token lapses (`client.CekiAuth`, which
hands the fresh one to `keeper_for`), and an Admin's OTP step (`log_in`) exchanges a mailed one-time password
for one. Either way it lands in the connection's credentials, so every process builds its next client with it.
"""

from __future__ import annotations

from collections.abc import Callable

from portal.integrations.models import VendorConnection
from vendors.ceki.client import login

__all__ = ["account_email", "keeper_for", "log_in"]


def account_email(connection: VendorConnection) -> str:
    """The Ceki account the connection logs in as (the OTP is mailed there)."""
    return str((connection.credentials or {}).get("email") or "")


def keeper_for(connection_id: int) -> Callable[[str], None]:
    """Store a fresh token on the connection, leaving its other credentials as they are. The row's `updated_at`
    stays, so the process keeps its client (`VendorProvider.client`), whose auth already holds the token."""

    def keep(token: str) -> None:
        connection = VendorConnection.objects.get(pk=connection_id)
        VendorConnection.objects.filter(pk=connection_id).update(
            credentials={**(connection.credentials or {}), "token": token}
        )

    return keep


def log_in(connection: VendorConnection, otp: str) -> None:
    """The Admin's second OTP step: exchange the OTP for a token and keep both on the connection (saved, so
    every process builds a fresh client with them)."""
    token = login(connection.base_url, account_email(connection), otp)
    connection.credentials = {**(connection.credentials or {}), "otp": otp, "token": token}
    connection.save(update_fields=["credentials", "updated_at"])
