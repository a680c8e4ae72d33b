"""The hours engine (issue 20): worked time cut into local days and weeks, then into regular, overtime and
double-time buckets by the rules of the state where the work was done.

Pure: it reads no database and no vendor. Callers turn timecards, punchcards and time logs into `WorkSpan`s
(`portal.billing.hours_sources`) and get `Allocation`s back, one per span and local day, whose buckets add up to
exactly the time worked. Days are cut at the work place's local midnights, so a night shift's hours land on the
days they were worked and the spring (23 h) and autumn (25 h) nights count the hours that really passed.
Allocation walks the week in time order, so splitting the same instants into more spans never moves an hour.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from enum import Enum
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays

__all__ = [
    "FEDERAL",
    "STATE_RULES",
    "SUNDAY",
    "Allocation",
    "Bucket",
    "OvertimeRule",
    "WorkSpan",
    "allocate",
    "holiday_name",
    "rule_for_state",
    "totals",
]

HOUR = dt.timedelta(hours=1)
ZERO = dt.timedelta(0)
SUNDAY = 6  # dt.date.weekday(): the FLSA lets an employer fix its workweek; Sunday-Saturday is the usual one


class Bucket(Enum):
    REGULAR = "regular"
    OVERTIME = "overtime"
    DOUBLE = "double"


@dataclass(frozen=True)
class OvertimeRule:
    """When hours turn into overtime (1.5x) and double time (2x). None switches a threshold off."""

    weekly_overtime_after: dt.timedelta | None = 40 * HOUR
    daily_overtime_after: dt.timedelta | None = None
    daily_double_after: dt.timedelta | None = None
    seventh_day: bool = False  # California: the 7th consecutive workday of a week, 1.5x to 8 h then 2x

    def tiers(self, seventh: bool) -> list[tuple[dt.timedelta | None, Bucket]]:
        """The day's buckets in order, each up to a bound of hours worked that day (None: no end)."""
        if seventh and self.seventh_day:
            return [(8 * HOUR, Bucket.OVERTIME), (None, Bucket.DOUBLE)]
        tiers: list[tuple[dt.timedelta | None, Bucket]] = []
        if self.daily_overtime_after is not None:
            tiers.append((self.daily_overtime_after, Bucket.REGULAR))
            tiers.append((self.daily_double_after, Bucket.OVERTIME))
        elif self.daily_double_after is not None:
            tiers.append((self.daily_double_after, Bucket.REGULAR))
        if not tiers or tiers[-1][0] is not None:
            tiers.append((None, Bucket.DOUBLE if tiers else Bucket.REGULAR))
        return tiers


FEDERAL = OvertimeRule()
# States with a daily rule of their own; every other state follows the federal weekly rule. Settings may add or
# replace entries (`OVERTIME_RULES`, read by hours_sources). Nevada's daily rule binds only below 1.5x its
# minimum wage, which a nurse's rate never is, so it is left federal.
STATE_RULES: dict[str, OvertimeRule] = {
    "CA": OvertimeRule(daily_overtime_after=8 * HOUR, daily_double_after=12 * HOUR, seventh_day=True),
    "AK": OvertimeRule(daily_overtime_after=8 * HOUR),
    "CO": OvertimeRule(daily_overtime_after=12 * HOUR),
}


def rule_for_state(state: str, overrides: Mapping[str, OvertimeRule] | None = None) -> OvertimeRule:
    """The rule for a US state code ("CA"), overrides first; unknown or blank states get the federal rule."""
    code = (state or "").strip().upper()
    return (overrides or {}).get(code) or STATE_RULES.get(code) or FEDERAL


@dataclass(frozen=True)
class WorkSpan:
    """One stretch of work (a timecard, punchcard or time log) at a place with a zone and a state."""

    key: Hashable
    starts_at: dt.datetime
    ends_at: dt.datetime
    time_zone: str
    break_minutes: int = 0
    state: str = ""
    rule: OvertimeRule = FEDERAL

    def worked_intervals(self) -> list[tuple[dt.datetime, dt.datetime]]:
        """The span without its break. A timecard says how long the break was, not when: it is taken from the
        middle of the span, where a meal break falls, so it is deducted from the right day of a night shift."""
        brk = dt.timedelta(minutes=self.break_minutes)
        if self.ends_at <= self.starts_at or brk >= self.ends_at - self.starts_at:
            raise ValueError(f"{self.key}: the break must be shorter than the span, which must end after it starts")
        if not brk:
            return [(self.starts_at, self.ends_at)]
        middle = self.starts_at + (self.ends_at - self.starts_at - brk) / 2
        return [(self.starts_at, middle), (middle + brk, self.ends_at)]


@dataclass
class Allocation:
    """The hours of one span on one local day, by bucket; `holiday` names the day when it is a public holiday."""

    key: Hashable
    day: dt.date
    holiday: str = ""
    buckets: dict[Bucket, dt.timedelta] = field(default_factory=lambda: dict.fromkeys(Bucket, ZERO))

    @property
    def total(self) -> dt.timedelta:
        return sum(self.buckets.values(), ZERO)


@dataclass(frozen=True)
class _Piece:
    span: WorkSpan
    day: dt.date
    starts_at: dt.datetime
    ends_at: dt.datetime


def _day_pieces(span: WorkSpan) -> Iterable[_Piece]:
    """Cut a span at each local midnight of its zone (real instants: a DST day is 23 or 25 hours long)."""
    zone = ZoneInfo(span.time_zone)
    for start, end in span.worked_intervals():
        while start < end:
            day = start.astimezone(zone).date()
            next_midnight = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(), zone).astimezone(dt.UTC)
            cut = min(end, next_midnight)
            yield _Piece(span, day, start, cut)
            start = cut


@lru_cache(maxsize=64)
def _holiday_calendar(state: str) -> holidays.HolidayBase:
    try:
        return holidays.country_holidays("US", subdiv=state or None)
    except NotImplementedError:  # a code the package does not know (a Canadian province): federal days only
        return holidays.country_holidays("US")


def holiday_name(day: dt.date, state: str) -> str:
    """The public holiday on `day` in a US state (the `holidays` package), or ""."""
    return _holiday_calendar((state or "").upper()).get(day) or ""


def _week_start(day: dt.date, week_starts: int) -> dt.date:
    return day - dt.timedelta(days=(day.weekday() - week_starts) % 7)


def allocate(spans: Iterable[WorkSpan], week_starts: int = SUNDAY) -> list[Allocation]:
    """One worker's spans as allocations, in time order. Overlapping spans are counted as given (both paid)."""
    pieces = sorted((p for s in spans for p in _day_pieces(s)), key=lambda p: (p.starts_at, p.ends_at))
    worked_days = {p.day for p in pieces}
    rows: dict[tuple[Hashable, dt.date], Allocation] = {}
    day_worked: dict[dt.date, dt.timedelta] = defaultdict(lambda: ZERO)
    week_regular: dict[dt.date, dt.timedelta] = defaultdict(lambda: ZERO)
    for piece in pieces:
        week = _week_start(piece.day, week_starts)
        seventh = piece.day == week + dt.timedelta(days=6) and all(
            week + dt.timedelta(days=n) in worked_days for n in range(6)
        )
        row = rows.get((piece.span.key, piece.day))
        if row is None:
            name = holiday_name(piece.day, piece.span.state)
            row = rows[(piece.span.key, piece.day)] = Allocation(piece.span.key, piece.day, name)
        left = piece.ends_at - piece.starts_at
        while left > ZERO:
            bucket, take = _next_bucket(piece.span.rule, seventh, day_worked[piece.day], week_regular[week], left)
            row.buckets[bucket] += take
            day_worked[piece.day] += take
            if bucket is Bucket.REGULAR:
                week_regular[week] += take
            left -= take
    return list(rows.values())


def _next_bucket(
    rule: OvertimeRule, seventh: bool, worked_today: dt.timedelta, regular_this_week: dt.timedelta, left: dt.timedelta
) -> tuple[Bucket, dt.timedelta]:
    """The bucket of the next moment of work and how much of `left` stays in it."""
    bound, bucket = next((b, k) for b, k in rule.tiers(seventh) if b is None or worked_today < b)
    take = left if bound is None else min(left, bound - worked_today)
    if bucket is Bucket.REGULAR and rule.weekly_overtime_after is not None:
        room = rule.weekly_overtime_after - regular_this_week
        if room <= ZERO:
            return Bucket.OVERTIME, take
        take = min(take, room)
    return bucket, take


def totals(allocations: Iterable[Allocation]) -> dict[Bucket, dt.timedelta]:
    """Bucket sums over allocations (a shift's, a week's, a period's)."""
    summed = dict.fromkeys(Bucket, ZERO)
    for row in allocations:
        for bucket, hours in row.buckets.items():
            summed[bucket] += hours
    return summed
