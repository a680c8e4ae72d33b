"""The calendar as RFC 5545 iCalendar (issue 18 item 4), so Outlook and Google Calendar can subscribe.

Timed entries carry UTC instants (DTSTART...Z): every client shows them on its own clock, right across
daylight-saving changes; engagement starts and ends are whole days (VALUE=DATE). The feed holds the same entries
as the calendar page, without a per-day cap (a subscriber wants everything), over a bounded window.
"""

from __future__ import annotations

import datetime as dt

from icalendar import Calendar, Event

from portal.dashboard.calendar import CalendarEntry

__all__ = ["FEED_DAYS_AFTER", "FEED_DAYS_BEFORE", "to_ical"]

FEED_DAYS_BEFORE = 14
FEED_DAYS_AFTER = 60


def to_ical(entries: list[CalendarEntry], name: str, base_url: str, now: dt.datetime) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//Staffing Portal//Today calendar//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", name)
    domain = base_url.split("//")[-1].split("/")[0] or "staffing-portal"
    for entry in entries:
        event = Event()
        event.add("uid", f"{entry.uid}@{domain}")
        event.add("dtstamp", now)
        event.add("summary", entry.title)
        event.add("url", f"{base_url.rstrip('/')}{entry.href}")
        event.add("categories", [entry.kind])
        if entry.starts_at is None:
            event.add("dtstart", entry.day)
            event.add("dtend", entry.day + dt.timedelta(days=1))
        else:
            event.add("dtstart", entry.starts_at.astimezone(dt.UTC))
            event.add("dtend", entry.ends_at.astimezone(dt.UTC))
            if entry.zone:
                event.add("description", f"Local time zone of the work: {entry.zone}")
        calendar.add_component(event)
    return calendar.to_ical()
