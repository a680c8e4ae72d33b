"""Secret URLs without stored secrets: the calendar feed and the digest's unsubscribe link carry a value signed
with SECRET_KEY. A feed URL names its user and the preferences' feed generation, so raising the generation
revokes every feed URL handed out before; nothing in the database is a usable token."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.core import signing

from portal.dashboard.preferences import preferences_of

__all__ = ["feed_token", "unsubscribe_token", "user_of_feed_token", "user_of_unsubscribe_token"]

FEED_SALT = "portal.dashboard.calendar-feed"
UNSUBSCRIBE_SALT = "portal.dashboard.digest-unsubscribe"


def feed_token(user: AbstractBaseUser) -> str:
    return signing.Signer(salt=FEED_SALT).sign(f"{user.pk}.{preferences_of(user).feed_generation}")


def user_of_feed_token(token: str) -> AbstractBaseUser | None:
    """The active user a feed token belongs to, or None when it is forged, garbled or revoked."""
    try:
        pk, generation = signing.Signer(salt=FEED_SALT).unsign(token).split(".")
    except (signing.BadSignature, ValueError):
        return None
    user = get_user_model().objects.filter(pk=pk, is_active=True).first()
    if user is None or str(preferences_of(user).feed_generation) != generation:
        return None
    return user


def unsubscribe_token(user: AbstractBaseUser) -> str:
    return signing.Signer(salt=UNSUBSCRIBE_SALT).sign(str(user.pk))


def user_of_unsubscribe_token(token: str) -> AbstractBaseUser | None:
    try:
        pk = signing.Signer(salt=UNSUBSCRIBE_SALT).unsign(token)
    except signing.BadSignature:
        return None
    return get_user_model().objects.filter(pk=pk).first()
