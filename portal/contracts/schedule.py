"""When an engagement has its person at work: the statuses that book them, and its working days as UTC instants
from the shift hours on the facility's clock. The gate reads placements through these (`gate/work.py`), and an
engagement start asks the gate about the same days (`engagement_booking`), so both measure one schedule."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from portal.contracts.models import Engagement
from portal.core.timezones import local_midnight, local_to_utc
from portal.jobs.models import DEFAULT_TIME_ZONE
from portal.talent.assignment_gate import Booking

__all__ = [
    "BOOKED",
    "engagement_booking",
    "engagement_zone",
    "placement_span",
    "starts_booking",
    "timed",
    "working_days",
]

# A Kamana engagement books its person from placement until it completes.
BOOKED = frozenset(
    {
        Engagement.Status.PLACED,
        Engagement.Status.CREDENTIALING,
        Engagement.Status.CREDENTIALED,
        Engagement.Status.CLEARED,
        Engagement.Status.ACTIVE,
    }
)
# The fields that say when a booked engagement has its person at work.
SCHEDULE_FIELDS = ("talent_id", "facility_id", "starts_on", "ends_on", "shift_start_time", "shift_end_time")


def engagement_zone(engagement: Engagement) -> str:
    return engagement.facility.time_zone if engagement.facility_id else DEFAULT_TIME_ZONE


def timed(engagement: Engagement) -> bool:
    return engagement.shift_start_time is not None and engagement.shift_end_time is not None


def placement_span(engagement: Engagement) -> tuple[dt.datetime, dt.datetime]:
    """From the first day's midnight to the end of the last day (the first day when no end is known)."""
    zone, last = engagement_zone(engagement), engagement.ends_on or engagement.starts_on
    return local_midnight(engagement.starts_on, zone), local_midnight(last + dt.timedelta(days=1), zone)


WorkingDay = tuple[dt.date, dt.datetime, dt.datetime]


def working_days(engagement: Engagement, first: dt.date, last: dt.date) -> Iterator[WorkingDay]:
    """Each day of `first`..`last` within the placement, with its shift's instants (an end hour at or before the
    start hour runs overnight). Only for an engagement with shift hours (`timed`)."""
    zone = engagement_zone(engagement)
    first = max(engagement.starts_on, first)
    last = min(engagement.ends_on or last, last)
    hours = (engagement.shift_end_time - engagement.shift_start_time) % 24 or 24
    for offset in range((last - first).days + 1):
        day = first + dt.timedelta(days=offset)
        local_start = dt.datetime.combine(day, dt.time(engagement.shift_start_time))
        yield day, local_to_utc(local_start, zone), local_to_utc(local_start + dt.timedelta(hours=hours), zone)


def starts_booking(engagement: Engagement) -> bool:
    """Whether saving the engagement books its person anew: it moves into a booked status (placed, or started as
    active), or a booked one changes when or where they work. `_loaded_values` are the stored values."""
    loaded = getattr(engagement, "_loaded_values", None) or {}
    if engagement.status not in BOOKED or not engagement.talent_id or not engagement.starts_on:
        return False
    before = loaded.get("status")
    if before not in BOOKED or (engagement.status == Engagement.Status.ACTIVE and before != engagement.status):
        return True
    return any(loaded.get(name) != getattr(engagement, name) for name in SCHEDULE_FIELDS)


def engagement_booking(engagement: Engagement) -> Booking:
    """What the gate is asked when the engagement books its person: each working day of the placement, or the
    placement untimed when it has no shift hours (only the rules about the person then apply)."""
    starts_at, ends_at = placement_span(engagement)
    last = engagement.ends_on or engagement.starts_on
    days = working_days(engagement, engagement.starts_on, last) if timed(engagement) else ()
    pieces = tuple((starts, ends) for _, starts, ends in days)
    where = engagement.facility.name if engagement.facility_id else "placement"
    about = ("contracts.engagement", engagement.pk) if engagement.pk else None
    return Booking(
        engagement.talent_id,
        starts_at,
        ends_at,
        engagement.facility_id,
        engagement_zone(engagement),
        about,
        f"Engagement at {where}",
        pieces=pieces,
        timed=timed(engagement),
    )
