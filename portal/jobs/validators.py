"""Validators for the demand side: places and their local time."""

from __future__ import annotations

from django.core.exceptions import ValidationError

from portal.core.timezones import zone_named

__all__ = ["validate_time_zone"]


def validate_time_zone(value: str) -> None:
    """Local times (shift starts, requisition shift hours) only survive daylight saving with a real IANA zone;
    an abbreviation such as "EST" would silently drift by an hour half of the year."""
    if zone_named(value) is None:
        raise ValidationError(f"'{value}' is not an IANA time zone such as 'America/Chicago'.", code="time_zone")
