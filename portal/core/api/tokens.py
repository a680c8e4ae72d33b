"""Issuing, using and revoking API tokens. Only the API client and Admin roles may hold one; a token is shown
once, when issued, and only its digest is kept (knox). Use is recorded at most once a minute per token, so a
busy integration does not write on every request."""

from __future__ import annotations

import logging
from datetime import timedelta

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from knox.settings import knox_settings

from portal.core.models import ApiToken
from portal.core.roles import Role, has_role

__all__ = [
    "MAX_LIFETIME_DAYS",
    "TOKEN_HOLDER_ROLES",
    "default_lifetime_days",
    "issue_api_token",
    "may_hold_api_token",
    "record_use",
    "revoke_api_token",
]

logger = logging.getLogger(__name__)

TOKEN_HOLDER_ROLES = (Role.API_CLIENT, Role.ADMIN)
MAX_LIFETIME_DAYS = 365
LAST_USE_RESOLUTION = timedelta(minutes=1)


def may_hold_api_token(user: AbstractBaseUser | AnonymousUser) -> bool:
    return user.is_authenticated and user.is_active and has_role(user, *TOKEN_HOLDER_ROLES)


def default_lifetime_days() -> int:
    return knox_settings.TOKEN_TTL.days


def issue_api_token(
    user: AbstractBaseUser, *, name: str = "", lifetime_days: int | None = None
) -> tuple[ApiToken, str]:
    """A new token for `user`: the row and the token itself, which exists nowhere else once this returns."""
    if not may_hold_api_token(user):
        raise PermissionDenied(f"{user} has no API client or Admin role, so may not hold an API token.")
    days = default_lifetime_days() if lifetime_days is None else lifetime_days
    if not 1 <= days <= MAX_LIFETIME_DAYS:
        raise ValidationError(f"A token lives from 1 to {MAX_LIFETIME_DAYS} days, not {days}.")
    row, token = ApiToken.objects.create(user=user, expiry=timedelta(days=days), name=name)
    logger.info("API token %s… issued to %s, expires %s", row.token_key, user, row.expiry.isoformat())
    return row, token


def revoke_api_token(user: AbstractBaseUser, digest: str) -> bool:
    """Revoke one of `user`'s own tokens; False when `user` holds no token with that digest."""
    token = ApiToken.objects.filter(user=user, digest=digest).first()
    if token is None:
        return False
    token.delete()
    logger.info("API token %s… of %s revoked by its holder", token.token_key, user)
    return True


def record_use(token: ApiToken) -> None:
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USE_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
