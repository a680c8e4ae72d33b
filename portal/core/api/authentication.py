"""Token authentication (`Authorization: Token <key>`) with knox's hashed, expiring tokens, only for the roles
allowed to hold tokens (API client, Admin)."""

from __future__ import annotations

import re

from django.contrib.auth.models import AbstractBaseUser
from drf_spectacular.contrib.knox_auth_token import KnoxTokenScheme
from knox.auth import TokenAuthentication
from rest_framework import exceptions

from portal.core.api.tokens import may_hold_api_token, record_use
from portal.core.audit import set_audit_actor
from portal.core.models import ApiToken

__all__ = ["RoleTokenAuthentication"]

# knox's tokens are hex; migrated DRF keys too. Anything else (non-ASCII, NUL, which PostgreSQL refuses in a
# query) is refused before it reaches the database, as 401 rather than 500.
TOKEN_SHAPE = re.compile(rb"[0-9A-Za-z_-]{1,200}")


class RoleTokenAuthentication(TokenAuthentication):
    def authenticate_credentials(self, token: bytes) -> tuple[AbstractBaseUser, ApiToken]:
        if not TOKEN_SHAPE.fullmatch(token):
            raise exceptions.AuthenticationFailed("Invalid token.")
        user, api_token = super().authenticate_credentials(token)
        if api_token.is_expired:
            raise exceptions.AuthenticationFailed(
                f"This token expired on {api_token.expiry:%Y-%m-%d}; ask for a new one (API tokens page)."
            )
        if not may_hold_api_token(user):
            raise exceptions.AuthenticationFailed("This token's user has no API client or Admin role.")
        record_use(api_token)
        # The request's audit actor was set before DRF knew the user; name the token's user now.
        set_audit_actor("api", user)
        return user, api_token

    def _cleanup_token(self, auth_token: ApiToken) -> bool:
        """knox would load and delete the user's other expired tokens on every request (a query each time);
        here an expired token is refused above, after its digest matched, and stays listed as expired."""
        return False


class RoleTokenScheme(KnoxTokenScheme):
    """The OpenAPI description of `RoleTokenAuthentication` (drf-spectacular matches knox's class exactly)."""

    target_class = "portal.core.api.authentication.RoleTokenAuthentication"
    name = "tokenAuth"
