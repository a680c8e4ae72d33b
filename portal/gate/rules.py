"""The gate's rules: each a small named check of one piece of work against the person's other work and facts.

A check returns `Problem`s; which of them block and which warn is the `RuleSettings`' business, not the check's.
Everything a check needs is loaded beforehand for many people at once (`facts.py`, `work.py`), so checking one
booking or a week of everyone's work costs the same handful of queries.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from portal.core.templatetags.portal_format import duration
from portal.gate.facts import PersonFacts
from portal.gate.intervals import gap, hours_in_local_days, local_days, longest_week, overlaps
from portal.gate.models import Rule
from portal.gate.work import Work

__all__ = ["CHECKS", "PERSON_RULES", "Problem"]


@dataclass(frozen=True)
class Problem:
    rule: str
    message: str
    other: Work | None = None


Check = Callable[[Work, list[Work], PersonFacts, Decimal | None], list[Problem]]


def _hours(limit: Decimal | None) -> dt.timedelta:
    return dt.timedelta(hours=float(limit or 0))


def credentials(work: Work, others: list[Work], facts: PersonFacts, limit: Decimal | None) -> list[Problem]:
    """Kamana credentials (newest expiry per name) on the facility's requirement list, or all held where the
    facility has none: lapsed when the work starts, or lapsing before it ends."""
    required = facts.required_at.get(work.facility_id) if work.facility_id else None
    found = []
    for name, expires_at in facts.credentials.items():
        if required is not None and name not in required:
            continue
        local = expires_at.astimezone(work.zone)
        if expires_at <= work.starts_at:
            found.append(Problem(Rule.CREDENTIAL_EXPIRED, f"{name} expired {local:%d %b %Y %H:%M %Z}."))
        elif expires_at < work.ends_at:
            message = f"{name} expires {local:%d %b %Y %H:%M %Z}, before this work ends."
            found.append(Problem(Rule.CREDENTIAL_EXPIRING, message))
    return found


def do_not_hire(work: Work, others: list[Work], facts: PersonFacts, limit: Decimal | None) -> list[Problem]:
    return [Problem(Rule.DO_NOT_HIRE, f"Marked do-not-hire: {where}.") for where in facts.do_not_hire]


def do_not_return(work: Work, others: list[Work], facts: PersonFacts, limit: Decimal | None) -> list[Problem]:
    entry = facts.do_not_return.get(work.facility_id) if work.facility_id else None
    return [Problem(Rule.DO_NOT_RETURN, f"Not to return to this facility: {entry}.")] if entry else []


def overlap(work: Work, others: list[Work], facts: PersonFacts, limit: Decimal | None) -> list[Problem]:
    return [
        Problem(Rule.OVERLAP, f"Already booked then: {other.describe()}.", other)
        for other in others
        if overlaps(work.span, other.span)
    ]


HOME_VISIT = "shifts.visit"


def rest(work: Work, others: list[Work], facts: PersonFacts, limit: Decimal | None) -> list[Problem]:
    """Rest is measured to the work that ends last before this starts, and from this to the next that starts:
    pieces further away, or overlapping this one, are not the pair rest is about. A caregiver's home visits
    through a day are one round with travel between them, not shifts with rest between them, so the gap between
    two visits is not measured; a visit next to a shift, a contract event or a placement day is."""
    if work.ref[0] == HOME_VISIT:
        others = [o for o in others if o.ref[0] != HOME_VISIT]
    before = [o for o in others if o.ends_at <= work.starts_at]
    after = [o for o in others if o.starts_at >= work.ends_at]
    pair = [max(before, key=lambda o: o.ends_at)] if before else []
    pair += [min(after, key=lambda o: o.starts_at)] if after else []
    found = []
    for other in pair:
        rested = gap(work.span, other.span)
        if rested is not None and rested < _hours(limit):
            message = (
                f"Only {duration(rested)} of rest (at least {duration(_hours(limit))}) next to {other.describe()}."
            )
            found.append(Problem(Rule.REST, message, other))
    return found


def daily_hours(work: Work, others: list[Work], facts: PersonFacts, limit: Decimal | None) -> list[Problem]:
    spans = [o.span for o in others] + [work.span]
    worked = hours_in_local_days(spans, local_days(work.span, work.zone), work.zone)
    return [
        Problem(Rule.DAILY_HOURS, f"{duration(total)} of work on {day:%a %d %b} (at most {duration(_hours(limit))}).")
        for day, total in worked.items()
        if total > _hours(limit)
    ]


def weekly_hours(work: Work, others: list[Work], facts: PersonFacts, limit: Decimal | None) -> list[Problem]:
    total = longest_week([o.span for o in others], work.span)
    if total <= _hours(limit):
        return []
    return [Problem(Rule.WEEKLY_HOURS, f"{duration(total)} of work in 7 days (at most {duration(_hours(limit))}).")]


def consecutive_days(work: Work, others: list[Work], facts: PersonFacts, limit: Decimal | None) -> list[Problem]:
    """Days in a row, counted on the work's local calendar, through the days this work touches."""
    worked = {day for piece in [*others, work] for day in local_days(piece.span, work.zone)}
    mine = local_days(work.span, work.zone)
    first, last = mine[0], mine[-1]
    while first - dt.timedelta(days=1) in worked:
        first -= dt.timedelta(days=1)
    while last + dt.timedelta(days=1) in worked:
        last += dt.timedelta(days=1)
    run = (last - first).days + 1
    if limit is None or run <= limit:
        return []
    return [Problem(Rule.CONSECUTIVE_DAYS, f"{run} days in a row, {first:%d %b}-{last:%d %b} (at most {int(limit)}).")]


# The rules about the person, which hold for untimed work (a placement without shift hours) too.
PERSON_RULES = frozenset({Rule.CREDENTIAL_EXPIRED, Rule.DO_NOT_HIRE, Rule.DO_NOT_RETURN})
# Severity of the two credential outcomes is set per rule; one check produces both.
CHECKS: dict[str, Check] = {
    Rule.CREDENTIAL_EXPIRED: credentials,
    Rule.DO_NOT_HIRE: do_not_hire,
    Rule.DO_NOT_RETURN: do_not_return,
    Rule.OVERLAP: overlap,
    Rule.REST: rest,
    Rule.DAILY_HOURS: daily_hours,
    Rule.WEEKLY_HOURS: weekly_hours,
    Rule.CONSECUTIVE_DAYS: consecutive_days,
}
