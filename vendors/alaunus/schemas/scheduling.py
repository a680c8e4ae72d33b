"""Events (home-care visits) and eventsgroups (their RFC 5545 recurrence).

An eventsgroup carries the rule flat on the object (`freq`, `interval`, `byweekday`, `bymonthday`, `count`,
`until`, `wkst`, plus `dtstart`/`start`), the same option names rrule.js and python-dateutil use. `Recurrence`
turns them into `dateutil.rrule.rrule` keyword arguments; expanding occurrences is the caller's job.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, time, timedelta, tzinfo
from decimal import Decimal
from typing import Any

from dateutil import rrule

from vendors.alaunus.schemas.common import (
    BillingSettings,
    Charge,
    Location,
    Reference,
    Service,
    embedded,
    parse_weekday,
    read_name,
)
from vendors.alaunus.schemas.enums import Frequency, Weekday
from vendors.alaunus.schemas.reader import PayloadReader, SubDocument, enum_member
from vendors.alaunus.schemas.record import Record

__all__ = ["Attendee", "ByWeekday", "Event", "EventsGroup", "Recurrence", "parse_by_weekday", "parse_frequency"]

_DATEUTIL_FREQ = {
    Frequency.YEARLY: rrule.YEARLY,
    Frequency.MONTHLY: rrule.MONTHLY,
    Frequency.WEEKLY: rrule.WEEKLY,
    Frequency.DAILY: rrule.DAILY,
    Frequency.HOURLY: rrule.HOURLY,
    Frequency.MINUTELY: rrule.MINUTELY,
    Frequency.SECONDLY: rrule.SECONDLY,
}
_ORDINAL_DAY = re.compile(r"^\s*([+-]?\d{1,2})?\s*([A-Za-z]{2,})\s*$")


@dataclass(frozen=True, slots=True)
class ByWeekday:
    """One BYDAY entry: a weekday, with an ordinal for monthly/yearly rules (`-1FR` = the last Friday)."""

    weekday: Weekday
    n: int | None = None

    def __str__(self) -> str:
        return f"{self.n:+d}{self.weekday}" if self.n else str(self.weekday)

    def to_dateutil(self) -> rrule.weekday:
        return rrule.weekday(list(Weekday).index(self.weekday), self.n)


def parse_frequency(value: Any) -> Frequency | None:
    """`WEEKLY`, `weekly` or rrule.js's number (0 = YEARLY ... 6 = SECONDLY)."""
    if isinstance(value, int) and not isinstance(value, bool):
        return list(Frequency)[value] if 0 <= value < len(Frequency) else None
    text = str(value).strip()
    return parse_frequency(int(text)) if text.isdigit() else enum_member(Frequency, text)


def parse_by_weekday(value: Any) -> ByWeekday | None:
    """`MO`, `+1MO`, `-1FR`, `monday`, 0-6 (Monday first) or rrule.js's `{"weekday": 4, "n": -1}`."""
    if isinstance(value, Mapping):
        day = parse_weekday(value.get("weekday", value.get("day")))
        n = value.get("n")
        return ByWeekday(day, int(n) if n not in (None, 0) else None) if day else None
    match = _ORDINAL_DAY.match(str(value)) if isinstance(value, str) else None
    if match:
        day = parse_weekday(match.group(2))
        n = int(match.group(1)) if match.group(1) else None
        return ByWeekday(day, n or None) if day and (n is None or 1 <= abs(n) <= 53) else None
    day = parse_weekday(value)
    return ByWeekday(day) if day else None


@dataclass(frozen=True, slots=True)
class Recurrence(SubDocument):
    """An RFC 5545 rule as sent on an eventsgroup; `rrule_kwargs()` hands it to python-dateutil."""

    freq: Frequency
    dtstart: datetime | None = None
    interval: int = 1
    byweekday: tuple[ByWeekday, ...] = ()
    bymonthday: tuple[int, ...] = ()
    count: int | None = None
    until: datetime | None = None
    wkst: Weekday | None = None

    @classmethod
    def from_reader(cls, reader: PayloadReader) -> Recurrence | None:  # type: ignore[override]
        """None when the group has no (readable) `freq`: there is then nothing to repeat."""
        freq_value = reader.raw("freq")
        if freq_value in (None, ""):
            return None
        freq = parse_frequency(freq_value)
        if freq is None:
            reader.warn("freq", freq_value, f"not one of {', '.join(Frequency)}")
            return None
        interval = reader.integer("interval")
        if interval is not None and interval < 1:
            reader.warn("interval", interval, "not 1 or more; 1 used")
            interval = None
        count = reader.integer("count")
        until = _until(reader)
        if count is not None and until is not None:
            # RFC 5545 forbids both and dateutil deprecates it; the count is the explicit, bounded one.
            reader.warn("until", reader.raw("until"), "sent with count; RFC 5545 allows one, count kept")
            until = None
        return cls(
            freq=freq,
            dtstart=reader.datetime("start") or _midnight(reader),
            interval=interval or 1,
            byweekday=_by_weekdays(reader),
            bymonthday=_by_month_days(reader),
            count=count,
            until=until,
            wkst=_wkst(reader),
        )

    def rrule_kwargs(self, tz: tzinfo | None = None) -> dict[str, Any]:
        """Keyword arguments for `dateutil.rrule.rrule`.

        Pass the account's `tz` so weekly visits keep their wall-clock time across a DST change: aware values
        are converted to it and naive ones (Alaunus's local time) are placed in it. Without `tz`, `dtstart`
        and `until` must be both naive or both aware, as dateutil requires.
        """
        dtstart, until = self.dtstart, self.until
        if tz is not None:
            dtstart, until = (_in_zone(value, tz) for value in (dtstart, until))
        elif dtstart and until and (dtstart.tzinfo is None) != (until.tzinfo is None):
            raise ValueError("dtstart and until mix naive and aware times: pass the account's time zone")
        kwargs: dict[str, Any] = {"freq": _DATEUTIL_FREQ[self.freq], "interval": self.interval}
        optional = {
            "dtstart": dtstart,
            "until": until,
            "count": self.count,
            "wkst": list(Weekday).index(self.wkst) if self.wkst else None,
            "byweekday": tuple(day.to_dateutil() for day in self.byweekday) or None,
            "bymonthday": self.bymonthday or None,
        }
        kwargs.update({key: value for key, value in optional.items() if value is not None})
        return kwargs


def _in_zone(value: datetime | None, tz: tzinfo) -> datetime | None:
    if value is None:
        return None
    return value.astimezone(tz) if value.tzinfo else value.replace(tzinfo=tz)


def _midnight(reader: PayloadReader) -> datetime | None:
    day = reader.date("dtstart")
    return datetime.combine(day, time()) if day else None


def _until(reader: PayloadReader) -> datetime | None:
    """A date-only `until` includes that whole day (RFC 5545), so it becomes the day's last second."""
    raw = reader.raw("until")
    if isinstance(raw, str) and len(raw.strip()) == 10:
        day = reader.date("until")
        return datetime.combine(day, time()) + timedelta(days=1, seconds=-1) if day else None
    return reader.datetime("until")


def _by_weekdays(reader: PayloadReader) -> tuple[ByWeekday, ...]:
    days = []
    for path, element in reader.items("byweekday"):
        day = parse_by_weekday(element)
        if day is None:
            reader.warn(path, element, "not a weekday")
        else:
            days.append(day)
    return tuple(days)


def _by_month_days(reader: PayloadReader) -> tuple[int, ...]:
    days = []
    for path, day in reader.integers("bymonthday"):
        if day == 0 or not -31 <= day <= 31:
            reader.warn(path, day, "not a day of the month (1 to 31, or -31 to -1 from the end)")
        else:
            days.append(day)
    return tuple(days)


def _wkst(reader: PayloadReader) -> Weekday | None:
    raw = reader.raw("wkst")
    if raw in (None, ""):
        return None
    day = parse_weekday(raw)
    if day is None:
        reader.warn("wkst", raw, "not a weekday")
    return day


@dataclass(frozen=True, slots=True)
class Attendee(SubDocument):
    """One of an event's `attendees` (the caregivers): "like name, pay_rate and others"."""

    user: str | None
    name: str | None = None
    pay_rate: Decimal | None = None
    bill_rate: Decimal | None = None
    status: str | None = None

    @classmethod
    def from_reader(cls, reader: PayloadReader) -> Attendee:
        name = read_name(reader)
        return cls(
            user=reader.ident("user", "_user", "_id", "id"),
            name=name.display if name else None,
            pay_rate=reader.money("pay_rate"),
            bill_rate=reader.money("bill_rate"),
            status=reader.ident("status"),
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class Event(Record):
    """`events`: one home-care visit. `duration` is "float" in the doc with no unit; hours are assumed."""

    group: str | None = None
    start: datetime | None = None
    end: datetime | None = None
    duration: float | None = None
    status: str | None = None
    stat_holiday: bool | None = None
    patient: Reference | None = None
    attendees: tuple[Attendee, ...] = ()
    service: Service | None = None
    billing: BillingSettings | None = None
    expectation: Charge | None = None
    location: Location | None = None
    location_end: Location | None = None
    notes: str | None = None
    created_user: str | None = None
    last_updated_date: datetime | None = None
    last_updated_user: str | None = None

    @classmethod
    def read_fields(cls, reader: PayloadReader) -> dict[str, Any]:
        return {
            "group": reader.ident("_group"),
            "start": reader.datetime("start"),
            "end": reader.datetime("end"),
            "duration": reader.number("duration"),
            "status": reader.ident("status"),
            "stat_holiday": reader.boolean("stat_holiday"),
            "patient": embedded(reader, Reference, "patient"),
            "attendees": reader.many(Attendee, "attendees"),
            "service": embedded(reader, Service, "service"),
            "billing": reader.one(BillingSettings, "billing"),
            "expectation": reader.one(Charge, "expectation"),
            "location": reader.one(Location, "location"),
            "location_end": reader.one(Location, "location_end"),
            "notes": reader.text("notes"),
            "created_user": reader.ident("_created_user"),
            "last_updated_date": reader.datetime("_last_updated_date"),
            "last_updated_user": reader.ident("_last_updated_user"),
        }


@dataclass(frozen=True, slots=True, kw_only=True)
class EventsGroup(Record):
    """`eventsgroups`: a recurring series of visits and the rule that generates it."""

    recurrence: Recurrence | None = None
    start: datetime | None = None
    end: datetime | None = None
    events: tuple[str, ...] = ()
    ends: dict[str, Any] | None = None

    @classmethod
    def read_fields(cls, reader: PayloadReader) -> dict[str, Any]:
        return {
            "recurrence": Recurrence.from_reader(reader),
            "start": reader.datetime("start"),
            "end": reader.datetime("end"),
            "events": reader.idents("events"),
            "ends": reader.mapping("ends"),
        }
