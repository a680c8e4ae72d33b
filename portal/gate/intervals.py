"""Time arithmetic the rules share, on UTC instants only (issue 19: "compared as instants").

Work is a half-open span [starts_at, ends_at): one piece ending at 07:00 and the next starting at 07:00 touch but
do not overlap. Local days are cut at each zone's own midnights, so a spring-forward day holds 23 hours and a
fall-back day 25, and an overnight shift counts in both days it touches.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from zoneinfo import ZoneInfo

from portal.core.timezones import local_midnight

__all__ = ["Span", "gap", "hours_in_local_days", "local_days", "longest_week", "overlaps", "worked_within"]

Span = tuple[dt.datetime, dt.datetime]
WEEK = dt.timedelta(days=7)


def overlaps(a: Span, b: Span) -> bool:
    """True when two half-open spans share an instant; touching ends do not."""
    return a[0] < b[1] and b[0] < a[1]


def gap(a: Span, b: Span) -> dt.timedelta | None:
    """The rest between two spans that do not overlap (zero when they touch); None when they overlap."""
    if overlaps(a, b):
        return None
    return b[0] - a[1] if a[1] <= b[0] else a[0] - b[1]


def worked_within(spans: Iterable[Span], window: Span) -> dt.timedelta:
    """Time the spans cover inside `window`; overlapping spans count once (one person works one hour at a time)."""
    clipped = sorted((max(s, window[0]), min(e, window[1])) for s, e in spans if s < window[1] and window[0] < e)
    total, reach = dt.timedelta(0), window[0]
    for start, end in clipped:
        start = max(start, reach)
        if end > start:
            total += end - start
            reach = end
    return total


def local_days(span: Span, zone: ZoneInfo) -> list[dt.date]:
    """The local calendar days the span touches in `zone` (an instant at midnight starts a day, never ends one)."""
    first = span[0].astimezone(zone).date()
    last = (span[1] - dt.timedelta(microseconds=1)).astimezone(zone).date()
    return [first + dt.timedelta(days=n) for n in range((last - first).days + 1)]


def hours_in_local_days(spans: Iterable[Span], days: Iterable[dt.date], zone: ZoneInfo) -> dict[dt.date, dt.timedelta]:
    """Time worked on each local day, the day running from its midnight to the next as instants."""
    spans = list(spans)
    return {
        day: worked_within(spans, (local_midnight(day, zone), local_midnight(day + dt.timedelta(days=1), zone)))
        for day in days
    }


def longest_week(spans: Iterable[Span], around: Span) -> dt.timedelta:
    """The most time worked in any rolling 7 days (168 hours) that contains `around`.

    The covered time of a sliding window changes slope only where its start meets a span's start or its end meets
    a span's end, so the maximum is at one of those windows (or the ones flush with `around`).
    """
    spans = [*spans, around]
    lowest, highest = around[1] - WEEK, around[0]
    starts = {lowest, highest}
    starts.update(s for s, _ in spans if lowest <= s <= highest)
    starts.update(e - WEEK for _, e in spans if lowest <= e - WEEK <= highest)
    return max(worked_within(spans, (start, start + WEEK)) for start in starts)
