"""A coordinator's Today preferences, read without creating a row: who never changed anything has none."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from django.contrib.auth.models import AbstractBaseUser

from portal.core.timezones import agency_zone, zone_named
from portal.dashboard.models import CoordinatorPreferences

__all__ = ["coordinator_zone", "preferences_of"]


def preferences_of(user: AbstractBaseUser) -> CoordinatorPreferences:
    """The user's row, or an unsaved default (agency zone, no digest, feed generation 1). One query, cached."""
    cached = getattr(user, "_dashboard_preferences", None)
    if cached is None:
        cached = CoordinatorPreferences.objects.filter(user=user).first() or CoordinatorPreferences(user=user)
        user._dashboard_preferences = cached
    return cached


def coordinator_zone(user: AbstractBaseUser) -> ZoneInfo:
    """Where the coordinator's day is read: their chosen zone, else the agency's (portal.core.timezones)."""
    return zone_named(preferences_of(user).time_zone) or agency_zone()
