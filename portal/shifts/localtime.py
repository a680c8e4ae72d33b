"""A shift's UTC instants from its facility-local day and clock times (the conversion is `portal.core.timezones`).

Shifts are stored as UTC instants plus the facility's IANA zone, so "23:00 local" keeps meaning 23:00 on the
night clocks change (issue 3). `local_to_utc` and `to_local` are re-exported for `shifts.demo`, which imports them
from here.
"""

from __future__ import annotations

import datetime as dt

from portal.core.timezones import local_to_utc, skipped_by_clock, to_local

__all__ = ["inside_out", "local_to_utc", "shift_instants", "skipped_clock_time", "to_local"]


def shift_instants(day: dt.date, start: dt.time, end: dt.time, time_zone: str) -> tuple[dt.datetime, dt.datetime]:
    """UTC start and end of a shift given as a local day and clock times; an end at or before the start is the
    next morning (a 23:00-07:00 night shift)."""
    end_day = day + dt.timedelta(days=1) if end <= start else day
    return (
        local_to_utc(dt.datetime.combine(day, start), time_zone),
        local_to_utc(dt.datetime.combine(end_day, end), time_zone),
    )


def skipped_clock_time(day: dt.date, start: dt.time, end: dt.time, time_zone: str) -> str | None:
    """A sentence naming the start or end (read as `shift_instants` reads them) that the clocks of `time_zone` skip
    on a spring-forward night, or None when both exist."""
    end_day = day + dt.timedelta(days=1) if end <= start else day
    for when, at in ((day, start), (end_day, end)):
        if skipped_by_clock(dt.datetime.combine(when, at), time_zone):
            on = f"{when:%A} {when.day} {when:%B %Y}"
            return f"{at:%H:%M} does not exist on {on} in {time_zone}: the clocks go forward over it."
    return None


def inside_out(day: dt.date, start: dt.time, end: dt.time, time_zone: str, what: str) -> str | None:
    """Why `what` from `start` to `end` on `day` cannot be made, or None: a start the spring night skips is read
    after the jump (02:30 as 03:30), which can put it after an end the clock does show (03:10)."""
    starts_at, ends_at = shift_instants(day, start, end, time_zone)
    if ends_at > starts_at:
        return None
    return (
        f"{skipped_clock_time(day, start, end, time_zone)} Read after the jump, this {what} would end before it starts."
    )
