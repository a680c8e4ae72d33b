"""A shift's UTC instants from its facility-local day and clock times (the conversion is `portal.core.timezones`).

Shifts are stored as UTC instants plus the facility's IANA zone, so "23:00 local" keeps meaning 23:00 on the
night clocks change (issue 3). `local_to_utc` and `to_local` are re-exported for `shifts.demo`, which imports them
from here.
"""

from __future__ import annotations

import datetime as dt

from portal.core.timezones import local_to_utc, to_local

__all__ = ["local_to_utc", "shift_instants", "to_local"]


def shift_instants(day: dt.date, start: dt.time, end: dt.time, time_zone: str) -> tuple[dt.datetime, dt.datetime]:
    """UTC start and end of a shift given as a local day and clock times; an end at or before the start is the
    next morning (a 23:00-07:00 night shift)."""
    end_day = day + dt.timedelta(days=1) if end <= start else day
    return (
        local_to_utc(dt.datetime.combine(day, start), time_zone),
        local_to_utc(dt.datetime.combine(end_day, end), time_zone),
    )
