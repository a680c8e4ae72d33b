"""The gate: run every rule over a booking about to be made, or over work the vendors already booked, and keep
what it finds (issue 19). A booking costs a fixed number of queries whatever the person's history: the
settings, one per work source and five for the person's facts and the facility's credential list."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, TypedDict

from django.db import transaction
from django.utils import timezone

from portal.core.audit import audit_context, record_bulk_changes
from portal.gate.facts import PersonFacts, load_facts
from portal.gate.models import Finding, Rule, Severity
from portal.gate.rule_settings import RuleSettings
from portal.gate.rules import CHECKS, PERSON_RULES, Problem
from portal.gate.work import Work, load_work
from portal.talent.assignment_gate import Booking, Reason, Verdict, ref_text

__all__ = ["LOOKAROUND", "GateKeeper", "RecheckResult", "evaluate", "recheck", "recheck_upcoming"]

# Far enough either side for a rolling week and a run of consecutive days (limits above 14 days are not useful).
LOOKAROUND = dt.timedelta(days=14)
UPCOMING = dt.timedelta(days=14)
LIVE = (Finding.State.OPEN, Finding.State.ACKNOWLEDGED)
NO_LONGER_FOUND = "No longer found on re-check."


@dataclass(frozen=True)
class Flag:
    """A problem with its severity where the work happens."""

    work: Work
    problem: Problem
    severity: str

    @property
    def key(self) -> tuple[str, str, str, int]:
        other = ref_text(self.problem.other.ref) if self.problem.other else ""
        return self.problem.rule, ref_text(self.work.ref), other, self.work.profile_id


def evaluate(work: Work, others: list[Work], facts: PersonFacts, settings: RuleSettings) -> list[Flag]:
    """Every rule on one piece of work; rules set off, and outcomes whose rule is off, are left out. Untimed work
    (a placement without hours) is held to the rules about the person only, and no work is timed against it."""
    others = [other for other in others if other.timed]
    flags = []
    for rule, check in CHECKS.items():
        if not work.timed and rule not in PERSON_RULES:
            continue
        limit = settings.for_rule(rule, work.facility_id).limit
        for problem in check(work, others, facts, limit):
            severity = settings.for_rule(problem.rule, work.facility_id).severity
            if severity != Severity.OFF:
                flags.append(Flag(work, problem, severity))
    return flags


def _reason(flag: Flag) -> Reason:
    return Reason(flag.problem.rule, Rule(flag.problem.rule).label, flag.severity, flag.problem.message)


class GateKeeper:
    """What `talent.assignment_gate` calls before a booking (registered in `apps.py`)."""

    def check_all(self, bookings: list[Booking]) -> list[Verdict]:
        """Each booking's spans (a placement's days) against its person's other work, read once for all the
        bookings (a series' visits): the same queries for one booking or four hundred."""
        if not bookings:
            return []
        settings = RuleSettings()
        people = {booking.profile_id for booking in bookings}
        start = min(booking.starts_at for booking in bookings) - LOOKAROUND
        end = max(booking.ends_at for booking in bookings) + LOOKAROUND
        found = load_work(people, start, end)
        facts = load_facts(people, {booking.facility_id for booking in bookings if booking.facility_id})
        return [self._verdict(b, found.get(b.profile_id, []), facts[b.profile_id], settings) for b in bookings]

    @staticmethod
    def _verdict(booking: Booking, found: list[Work], facts: PersonFacts, settings: RuleSettings) -> Verdict:
        """A reason found on several days of the booking is listed once."""
        others = [work for work in found if work.ref != booking.about]
        ref = booking.about or ("booking", 0)
        reasons: dict[Reason, None] = {}
        for starts_at, ends_at in booking.spans:
            work = Work(
                booking.profile_id, starts_at, ends_at, "This booking", booking.title, ref, booking.facility_id,
                booking.time_zone, timed=booking.timed,
            )  # fmt: skip
            reasons.update(dict.fromkeys(_reason(flag) for flag in evaluate(work, others, facts, settings)))
        return Verdict(
            [r for r in reasons if r.severity == Severity.BLOCK], [r for r in reasons if r.severity == Severity.WARN]
        )

    def record_override(self, booking: Booking, verdict: Verdict, reason: str, user: Any) -> None:
        """Each warning gone past is kept as an overridden finding, with who and why (audited as a create)."""
        ref = ref_text(booking.about) if booking.about else "booking:0"
        with audit_context("user", user=user, detail=f"override: {reason}"[:255]):
            for warning in verdict.warnings:
                Finding.objects.create(
                    profile_id=booking.profile_id,
                    rule=warning.rule,
                    severity=warning.severity,
                    message=warning.message[:500],
                    work_ref=ref,
                    work_starts_at=booking.starts_at,
                    work_ends_at=booking.ends_at,
                    work_title=booking.title[:300],
                    facility_id=booking.facility_id,
                    state=Finding.State.OVERRIDDEN,
                    reason=reason[:500],
                    decided_by=user,
                )

    def open_findings(self, about: tuple[str, int]) -> list[Reason]:
        """One query: the record's open findings (as Today counts them), blocks before warnings."""
        found = Finding.objects.filter(work_ref=ref_text(about), state=Finding.State.OPEN)
        return [
            Reason(finding.rule, finding.get_rule_display(), finding.severity, finding.message)
            for finding in found.order_by("severity", "rule", "id")
        ]


class RecheckResult(TypedDict):
    checked: int
    raised: int
    resolved: int


def _flags_for(candidates: list[Work], everyone: dict[int, list[Work]], settings: RuleSettings) -> dict[tuple, Flag]:
    facilities = {work.facility_id for work in candidates if work.facility_id}
    facts = load_facts({work.profile_id for work in candidates}, facilities)
    flags: dict[tuple, Flag] = {}
    for work in candidates:
        others = [other for other in everyone.get(work.profile_id, []) if other.ref != work.ref]
        for flag in evaluate(work, others, facts[work.profile_id], settings):
            flags.setdefault(flag.key, flag)
    return flags


@transaction.atomic
def _store(flags: dict[tuple, Flag], scope: Iterable[str], now: dt.datetime) -> tuple[int, int]:
    """Raise the new findings and resolve the live ones of `scope` (work refs) that no longer hold; a warning a
    coordinator overrode at booking is not raised again."""
    scope = set(scope)
    live = {f.key: f for f in Finding.objects.filter(state__in=LIVE, work_ref__in=scope)}
    overridden = set(
        Finding.objects.filter(state=Finding.State.OVERRIDDEN, work_ref__in=scope).values_list(
            "rule", "work_ref", "profile_id"
        )
    )
    new = [
        Finding(
            profile_id=flag.work.profile_id,
            rule=flag.problem.rule,
            severity=flag.severity,
            message=flag.problem.message[:500],
            work_ref=key[1],
            work_starts_at=flag.work.starts_at,
            work_ends_at=flag.work.ends_at,
            work_title=f"{flag.work.kind}: {flag.work.title}"[:300],
            other_ref=key[2],
            facility_id=flag.work.facility_id,
        )
        for key, flag in flags.items()
        if key not in live and (key[0], key[1], key[3]) not in overridden
    ]
    # A re-check running at the same time as another (beat's and a booking's) may raise the same finding first.
    Finding.objects.bulk_create(new, ignore_conflicts=True)
    gone = [finding for key, finding in live.items() if key not in flags]
    Finding.objects.filter(pk__in=[finding.pk for finding in gone]).update(
        state=Finding.State.RESOLVED, reason=NO_LONGER_FOUND, updated_at=now
    )
    record_bulk_changes(Finding, [(f.pk, "update", {"state": [f.state, Finding.State.RESOLVED]}) for f in gone])
    return len(new), len(gone)


def recheck(
    refs: Iterable[tuple[str, int]], profile_ids: Iterable[int], now: dt.datetime | None = None
) -> RecheckResult:
    """Re-check the named work of these people (a vendor just booked it) and keep what holds as findings."""
    now = now or timezone.now()
    refs, people = set(refs), list(profile_ids)
    everyone = load_work(people, now - LOOKAROUND, now + UPCOMING + LOOKAROUND)
    candidates = [work for pieces in everyone.values() for work in pieces if work.ref in refs and work.ends_at > now]
    raised, resolved = _store(_flags_for(candidates, everyone, RuleSettings()), map(ref_text, refs), now)
    return {"checked": len(candidates), "raised": raised, "resolved": resolved}


def recheck_upcoming(now: dt.datetime | None = None, horizon: dt.timedelta = UPCOMING) -> RecheckResult:
    """Every piece of upcoming work of everyone, checked against all their work (after a sync brought news)."""
    now = now or timezone.now()
    everyone = load_work(None, now - LOOKAROUND, now + horizon + LOOKAROUND)
    candidates = [w for pieces in everyone.values() for w in pieces if w.ends_at > now and w.starts_at < now + horizon]
    scope = {ref_text(work.ref) for work in candidates}
    scope |= set(Finding.objects.filter(state__in=LIVE, work_ends_at__gt=now).values_list("work_ref", flat=True))
    raised, resolved = _store(_flags_for(candidates, everyone, RuleSettings()), scope, now)
    return {"checked": len(candidates), "raised": raised, "resolved": resolved}
