"""Where the apps that book people ask the gate before they do (issue 19, "Where the gate runs").

The gate (`portal/gate`) sits above the apps that book people in the layers, so they cannot import it; it
registers itself here from its `AppConfig.ready()`, and a booking service calls `require_pass()` (or
`require_pass_all()` for a series), which refuses, or keeps the reason a coordinator gives past warnings. A
record's page asks `open_findings()` what the gate still holds against it. With no gate registered every
booking passes and no record has findings.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Protocol

from django.core.exceptions import ValidationError

__all__ = [
    "AssignmentRefused",
    "Booking",
    "Gatekeeper",
    "Reason",
    "Verdict",
    "check",
    "check_all",
    "open_findings",
    "record_override",
    "ref_text",
    "register",
    "require_pass",
    "require_pass_all",
]


@dataclass(frozen=True)
class Booking:
    """A person about to be booked: when (UTC instants), where, and the record it is for (`about`)."""

    profile_id: int
    starts_at: dt.datetime
    ends_at: dt.datetime
    facility_id: int | None = None
    time_zone: str = "UTC"
    about: tuple[str, int] | None = None  # (model label, pk): the record is not checked against itself
    title: str = ""
    # The spans actually worked within starts_at..ends_at (a placement's shifts, day by day); none: all of it.
    pieces: tuple[tuple[dt.datetime, dt.datetime], ...] = ()
    # False for work that books no particular hours (a placement without shift hours): only the rules about the
    # person hold for it.
    timed: bool = True

    @property
    def spans(self) -> tuple[tuple[dt.datetime, dt.datetime], ...]:
        return self.pieces or ((self.starts_at, self.ends_at),)


@dataclass(frozen=True)
class Reason:
    rule: str
    label: str  # the rule's name, e.g. "Overlapping work"
    severity: str  # "block" or "warn"
    message: str  # names the other work when there is one


@dataclass(frozen=True)
class Verdict:
    blocks: list[Reason] = field(default_factory=list)
    warnings: list[Reason] = field(default_factory=list)

    @property
    def clear(self) -> bool:
        return not self.blocks and not self.warnings


class AssignmentRefused(ValidationError):
    """Raised by `require_pass`: blocked, or warned with no override reason given."""

    def __init__(self, verdict: Verdict) -> None:
        self.verdict = verdict
        reasons = verdict.blocks or verdict.warnings
        super().__init__([f"{reason.label}: {reason.message}" for reason in reasons])


class Gatekeeper(Protocol):
    def check_all(self, bookings: list[Booking]) -> list[Verdict]: ...

    def record_override(self, booking: Booking, verdict: Verdict, reason: str, user: Any) -> None: ...

    def open_findings(self, about: tuple[str, int]) -> list[Reason]: ...


_gatekeepers: list[Gatekeeper] = []


def register(gatekeeper: Gatekeeper) -> None:
    if gatekeeper not in _gatekeepers:
        _gatekeepers.append(gatekeeper)


def check_all(bookings: list[Booking]) -> list[Verdict]:
    """One verdict per booking (a series' visits at once: the gate reads the people's work once for all)."""
    verdicts = [Verdict() for _ in bookings]
    for gatekeeper in _gatekeepers:
        for verdict, found in zip(verdicts, gatekeeper.check_all(bookings), strict=True):
            verdict.blocks.extend(found.blocks)
            verdict.warnings.extend(found.warnings)
    return verdicts


def check(booking: Booking) -> Verdict:
    return check_all([booking])[0]


def record_override(booking: Booking, verdict: Verdict, reason: str, user: Any) -> None:
    for gatekeeper in _gatekeepers:
        gatekeeper.record_override(booking, verdict, reason, user)


def ref_text(about: tuple[str, int]) -> str:
    """How findings name the record they are about: `<model label>:<pk>` (the findings page's `work` filter)."""
    return f"{about[0]}:{about[1]}"


def open_findings(about: tuple[str, int]) -> list[Reason]:
    """The open findings the gate holds against one record (model label, pk), blocks first."""
    return [reason for gatekeeper in _gatekeepers for reason in gatekeeper.open_findings(about)]


def require_pass_all(bookings: list[Booking], override_reason: str = "", user: Any = None) -> list[Verdict]:
    """Refuse the bookings together when any is blocked, or warned without a reason (the refusal lists every
    reason once); past warnings, keep the reason against each booking that was warned."""
    verdicts = check_all(bookings)
    merged = Verdict(
        list(dict.fromkeys(r for v in verdicts for r in v.blocks)),
        list(dict.fromkeys(r for v in verdicts for r in v.warnings)),
    )
    if merged.blocks or (merged.warnings and not override_reason.strip()):
        raise AssignmentRefused(merged)
    for booking, verdict in zip(bookings, verdicts, strict=True):
        if verdict.warnings:
            record_override(booking, verdict, override_reason.strip(), user)
    return verdicts


def require_pass(booking: Booking, override_reason: str = "", user: Any = None) -> Verdict:
    """Refuse a blocked booking, and a warned one without a reason; keep the reason of an override."""
    return require_pass_all([booking], override_reason, user)[0]
