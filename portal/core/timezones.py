"""Time zones in one place: naming a zone, the zone a user or the agency sees, wall clock <-> UTC instant.

Instants are stored in UTC and shown on the wall clock of a named IANA zone (a facility's, a contract's, the
user's), so "23:00 local" keeps meaning 23:00 on the night clocks change (issue 3). Domain modules keep their own
rules (a shift's night end, a credential's last day) and call these for the conversion itself.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.conf import settings

__all__ = ["agency_zone", "local_midnight", "local_to_utc", "skipped_by_clock", "to_local", "user_zone", "zone_named"]

Zone = str | dt.tzinfo


def zone_named(name: str | None) -> ZoneInfo | None:
    """The IANA zone `name`, or None when it is blank or unknown (a vendor's typo must not break a page)."""
    try:
        return ZoneInfo(name) if name else None
    except (ZoneInfoNotFoundError, ValueError):
        return None


def agency_zone() -> ZoneInfo:
    """The portal's own zone (settings.TIME_ZONE): where a day means the agency's day."""
    return ZoneInfo(settings.TIME_ZONE)


def user_zone(user: object) -> ZoneInfo:
    """The user's own zone when their account names a valid one, else the agency's."""
    return zone_named(getattr(user, "time_zone", "")) or agency_zone()


def _tz(zone: Zone) -> dt.tzinfo:
    return zone if isinstance(zone, dt.tzinfo) else ZoneInfo(zone)


def local_to_utc(local: dt.datetime, zone: Zone) -> dt.datetime:
    """A naive wall-clock time in `zone` as a UTC instant (an aware one is only converted).

    In the autumn overlap (01:30 happens twice) the first occurrence is taken (fold=0); a time inside the spring
    gap (02:30 does not exist) is read with the offset in force before the gap, i.e. it lands an hour later on
    the clock - the same reading IntelyCare's own facility-local times get.
    """
    if local.tzinfo is not None:
        return local.astimezone(dt.UTC)
    return local.replace(tzinfo=_tz(zone)).astimezone(dt.UTC)


def to_local(instant: dt.datetime, zone: Zone) -> dt.datetime:
    """An aware instant on the wall clock of `zone` (aware, so its offset can be shown)."""
    return instant.astimezone(_tz(zone))


def skipped_by_clock(local: dt.datetime, zone: Zone) -> bool:
    """Whether the naive wall-clock time `local` never shows on the clocks of `zone` (a spring-forward gap)."""
    return to_local(local_to_utc(local, zone), zone).replace(tzinfo=None) != local


def local_midnight(day: dt.date, zone: Zone) -> dt.datetime:
    """The UTC instant at which `day` begins on the wall clock of `zone` (a day's bound in a query)."""
    return local_to_utc(dt.datetime.combine(day, dt.time()), zone)
