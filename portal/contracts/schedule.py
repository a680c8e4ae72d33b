"""When an engagement has its person at work: the statuses that book them, and its working days as UTC instants
from the shift hours on the facility's clock. The gate reads placements through these (`gate/work.py`), and an
engagement start asks the gate about the same days (`engagement_booking`), so both measure one schedule."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from django.db.models import Max, OuterRef, QuerySet, Subquery

from portal.contracts.models import Engagement, EngagementExtension
from portal.core.timezones import local_midnight, local_to_utc
from portal.jobs.models import DEFAULT_TIME_ZONE
from portal.talent.assignment_gate import Booking

__all__ = [
    "BOOKED",
    "EXTENDED_TO",
    "books_person",
    "engagement_booking",
    "engagement_zone",
    "last_day",
    "placement_span",
    "starts_booking",
    "timed",
    "with_extensions",
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
# Where `with_extensions` leaves the last extension's end on each engagement.
EXTENDED_TO = "extended_to"


def _extensions(engagement: Engagement | OuterRef) -> QuerySet[EngagementExtension]:
    return EngagementExtension.objects.filter(engagement=engagement, archived_at__isnull=True)


def with_extensions(engagements: QuerySet[Engagement]) -> QuerySet[Engagement]:
    """The engagements, each with its last extension's end read in the same query (for `last_day`)."""
    last = _extensions(OuterRef("pk")).order_by("-ends_on").values("ends_on")[:1]
    return engagements.annotate(**{EXTENDED_TO: Subquery(last)})


def last_day(engagement: Engagement) -> dt.date | None:
    """The placement's last day: its end, or its last extension's when later (extensions are more weeks on the
    same placement); None while it has no end. Unless read `with_extensions`, the extensions cost one query."""
    if engagement.ends_on is None:
        return None
    if hasattr(engagement, EXTENDED_TO):
        extended = getattr(engagement, EXTENDED_TO)
    else:
        extended = _extensions(engagement.pk).aggregate(end=Max("ends_on"))["end"] if engagement.pk else None
    return max(engagement.ends_on, extended) if extended else engagement.ends_on


def engagement_zone(engagement: Engagement) -> str:
    return engagement.facility.time_zone if engagement.facility_id else DEFAULT_TIME_ZONE


def timed(engagement: Engagement) -> bool:
    return engagement.shift_start_time is not None and engagement.shift_end_time is not None


def placement_span(
    engagement: Engagement, first: dt.date | None = None, last: dt.date | None = None
) -> tuple[dt.datetime, dt.datetime]:
    """From the first day's midnight to the end of the last day (by default the placement's, extended; the first
    day when no end is known)."""
    zone = engagement_zone(engagement)
    first = first or engagement.starts_on
    last = last or last_day(engagement) or engagement.starts_on
    return local_midnight(first, zone), local_midnight(last + dt.timedelta(days=1), zone)


WorkingDay = tuple[dt.date, dt.datetime, dt.datetime]


def working_days(engagement: Engagement, first: dt.date, last: dt.date) -> Iterator[WorkingDay]:
    """Each day of `first`..`last` within the placement, with its shift's instants (an end hour at or before the
    start hour runs overnight), its extensions included. Only for an engagement with shift hours (`timed`)."""
    zone = engagement_zone(engagement)
    first = max(engagement.starts_on, first)
    last = min(last_day(engagement) or last, last)
    hours = (engagement.shift_end_time - engagement.shift_start_time) % 24 or 24
    for offset in range((last - first).days + 1):
        day = first + dt.timedelta(days=offset)
        local_start = dt.datetime.combine(day, dt.time(engagement.shift_start_time))
        yield day, local_to_utc(local_start, zone), local_to_utc(local_start + dt.timedelta(hours=hours), zone)


def books_person(engagement: Engagement) -> bool:
    """Whether the engagement, as it is, has a person at work from a known day."""
    return engagement.status in BOOKED and bool(engagement.talent_id) and bool(engagement.starts_on)


def starts_booking(engagement: Engagement) -> bool:
    """Whether saving the engagement books its person anew: it moves into a booked status (placed, or started as
    active), or a booked one changes when or where they work. `_loaded_values` are the stored values."""
    loaded = getattr(engagement, "_loaded_values", None) or {}
    if not books_person(engagement):
        return False
    before = loaded.get("status")
    if before not in BOOKED or (engagement.status == Engagement.Status.ACTIVE and before != engagement.status):
        return True
    return any(loaded.get(name) != getattr(engagement, name) for name in SCHEDULE_FIELDS)


def engagement_booking(engagement: Engagement, extension: EngagementExtension | None = None) -> Booking:
    """What the gate is asked when the engagement books its person: each working day of the placement (with its
    extensions), or only the extension's days when one is added; untimed when it has no shift hours (only the
    rules about the person then apply)."""
    first = extension.starts_on if extension else engagement.starts_on
    last = extension.ends_on if extension else last_day(engagement) or engagement.starts_on
    starts_at, ends_at = placement_span(engagement, first, last)
    days = working_days(engagement, first, last) if timed(engagement) else ()
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
