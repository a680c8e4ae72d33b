"""Wall-clock time in a facility's zone <-> UTC instants.

Shifts are stored as UTC instants plus the facility's IANA zone, so "23:00 local" keeps meaning 23:00 on the
night clocks change (issue 3). IntelyCare accepts either UTC (`...Z`) or facility-local times without an offset
(intelycare-api.txt, shiftStartTime), so both directions are needed.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

__all__ = ["local_to_utc", "shift_instants", "to_local"]


def local_to_utc(local: dt.datetime, time_zone: str) -> dt.datetime:
    """A naive wall-clock time in `time_zone` as a UTC instant.

    In the autumn overlap (01:30 happens twice) the first occurrence is taken (fold=0); a time inside the spring
    gap (02:30 does not exist) is read with the offset in force before the gap, i.e. it lands an hour later on
    the clock - the same reading IntelyCare's own facility-local times get.
    """
    if local.tzinfo is not None:
        return local.astimezone(dt.UTC)
    return local.replace(tzinfo=ZoneInfo(time_zone)).astimezone(dt.UTC)


def to_local(instant: dt.datetime, time_zone: str) -> dt.datetime:
    """An aware instant on the wall clock of `time_zone` (aware, so its offset can be shown)."""
    return instant.astimezone(ZoneInfo(time_zone))


def shift_instants(day: dt.date, start: dt.time, end: dt.time, time_zone: str) -> tuple[dt.datetime, dt.datetime]:
    """UTC start and end of a shift given as a local day and clock times; an end at or before the start is the
    next morning (a 23:00-07:00 night shift)."""
    end_day = day + dt.timedelta(days=1) if end <= start else day
    return (
        local_to_utc(dt.datetime.combine(day, start), time_zone),
        local_to_utc(dt.datetime.combine(end_day, end), time_zone),
    )
