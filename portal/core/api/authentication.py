"""Token authentication only for the roles allowed to hold tokens (API client, Admin)."""

from __future__ import annotations

from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication

from portal.core.audit import set_audit_actor
from portal.core.roles import Role, has_role

__all__ = ["RoleTokenAuthentication"]


class RoleTokenAuthentication(TokenAuthentication):
    def authenticate_credentials(self, key: str):
        user, token = super().authenticate_credentials(key)
        if not has_role(user, Role.API_CLIENT, Role.ADMIN):
            raise exceptions.AuthenticationFailed("This token's user has no API client or Admin role.")
        # The request's audit actor was set before DRF knew the user; name the token's user now.
        set_audit_actor("api", user)
        return user, token
