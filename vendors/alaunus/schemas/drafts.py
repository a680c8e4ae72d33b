"""Bodies the portal sends to Alaunus, checked before they leave so a bad one fails here with field messages.

The doc gives names and types but no required fields or limits for writes; the rules below are the ones the
portal needs to send something Alaunus can schedule (a visit needs a patient and a time span), RFC 5545's own
rules for recurrence, and length limits chosen to fit a page (README, "Decisions"). Every draft collects all
problems and raises one `PayloadInvalid` whose `errors` maps a payload key to its messages.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from portal.integrations.errors import PayloadInvalid
from vendors.alaunus.schemas.enums import Frequency, Weekday
from vendors.alaunus.schemas.scheduling import parse_by_weekday

__all__ = [
    "MAX_NOTE_LENGTH",
    "MAX_TITLE_LENGTH",
    "MAX_VISIT_LENGTH",
    "EventDraft",
    "EventsGroupDraft",
    "PatientProgressNoteDraft",
    "PayloadInvalid",
    "PunchcardDraft",
    "UserNoteDraft",
]

MAX_TITLE_LENGTH = 200
MAX_NOTE_LENGTH = 5000
MAX_VISIT_LENGTH = timedelta(hours=24)
MAX_INTERVAL = 366
MAX_COUNT = 1000


class _Checks:
    """Collects field messages, then raises them all at once."""

    def __init__(self) -> None:
        self.errors: dict[str, list[str]] = defaultdict(list)

    def add(self, key: str, message: str) -> None:
        self.errors[key].append(message)

    def required(self, key: str, value: Any) -> bool:
        if value is None or (isinstance(value, str) and not value.strip()):
            self.add(key, "This field is required.")
            return False
        return True

    def length(self, key: str, value: str | None, limit: int) -> None:
        if value is not None and len(value) > limit:
            self.add(key, f"At most {limit} characters ({len(value)} given).")

    def aware(self, key: str, value: datetime | None) -> bool:
        if value is not None and (value.tzinfo is None or value.utcoffset() is None):
            self.add(key, "Needs a time zone: a naive time would be read in the account's zone.")
            return False
        return value is not None

    def done(self) -> None:
        if self.errors:
            raise PayloadInvalid(dict(self.errors))


def _instant(value: datetime) -> str:
    """Aware -> ISO 8601 in UTC with `Z`, the form the read side parses back exactly."""
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z")


def _compact(body: dict[str, Any]) -> dict[str, Any]:
    """Leave out what the portal does not set, so an update never blanks a field in Alaunus."""
    return {key: value for key, value in body.items() if value is not None and value != []}


@dataclass(frozen=True, slots=True)
class EventDraft:
    """A home-care visit to create or update (`events`)."""

    patient: str
    start: datetime
    end: datetime
    attendees: tuple[str, ...] = ()
    service: str | None = None
    status: str | None = None
    group: str | None = None
    notes: str | None = None

    def to_payload(self) -> dict[str, Any]:
        checks = _Checks()
        checks.required("patient", self.patient)
        spans = [
            checks.required(key, value) and checks.aware(key, value)
            for key, value in (("start", self.start), ("end", self.end))
        ]
        if all(spans):
            if self.end <= self.start:
                checks.add("end", "Must be after start.")
            elif self.end - self.start > MAX_VISIT_LENGTH:
                checks.add("end", f"A visit lasts at most {MAX_VISIT_LENGTH.total_seconds() / 3600:g} hours.")
        for position, user in enumerate(self.attendees):
            if not str(user).strip():
                checks.add(f"attendees[{position}]", "An attendee needs a user id.")
        if len(set(self.attendees)) != len(self.attendees):
            checks.add("attendees", "The same caregiver is listed twice.")
        checks.length("notes", self.notes, MAX_NOTE_LENGTH)
        checks.done()
        body = _compact(
            {
                "patient": self.patient,
                "start": _instant(self.start),
                "end": _instant(self.end),
                "duration": (self.end - self.start).total_seconds() / 3600,
                "service": self.service,
                "status": self.status,
                "_group": self.group,
                "notes": self.notes,
            }
        )
        # Always sent, even empty: the portal owns who attends, and an unassigned visit has no attendee.
        return {**body, "attendees": [{"user": user} for user in self.attendees]}


@dataclass(frozen=True, slots=True)
class EventsGroupDraft:
    """A recurring series (`eventsgroups`), held to RFC 5545 section 3.3.10 before it is sent."""

    freq: Frequency | str
    start: datetime
    end: datetime | None = None  # the first visit's end: every visit keeps its clock times (README, "Sending")
    interval: int = 1
    byweekday: tuple[str, ...] = ()
    bymonthday: tuple[int, ...] = ()
    count: int | None = None
    until: datetime | None = None
    wkst: Weekday | str | None = None

    def to_payload(self) -> dict[str, Any]:
        checks = _Checks()
        freq = self._freq(checks)
        start_ok = checks.required("start", self.start) and checks.aware("start", self.start)
        if not 1 <= self.interval <= MAX_INTERVAL:
            checks.add("interval", f"Between 1 and {MAX_INTERVAL}.")
        if self.count is not None and not 1 <= self.count <= MAX_COUNT:
            checks.add("count", f"Between 1 and {MAX_COUNT}.")
        if self.count is not None and self.until is not None:
            checks.add("until", "Give count or until, not both (RFC 5545).")
        if self.until is not None and checks.aware("until", self.until) and start_ok and self.until < self.start:
            checks.add("until", "Must not be before start.")
        if self.end is not None and checks.aware("end", self.end) and start_ok:
            if self.end <= self.start:
                checks.add("end", "Must be after start.")
            elif self.end - self.start > MAX_VISIT_LENGTH:
                checks.add("end", f"A visit lasts at most {MAX_VISIT_LENGTH.total_seconds() / 3600:g} hours.")
        days = self._weekdays(checks, freq)
        self._month_days(checks, freq)
        wkst = parse_by_weekday(self.wkst) if self.wkst is not None else None
        if self.wkst is not None and (wkst is None or wkst.n):
            checks.add("wkst", f"One of {', '.join(Weekday)}.")
        checks.done()
        return _compact(
            {
                "freq": str(freq),
                "interval": self.interval,
                "byweekday": days,
                "bymonthday": list(self.bymonthday),
                "count": self.count,
                "until": _instant(self.until) if self.until else None,
                "wkst": str(wkst.weekday) if wkst else None,
                "start": _instant(self.start),
                "end": _instant(self.end) if self.end else None,
                "dtstart": self.start.date().isoformat(),
            }
        )

    def _freq(self, checks: _Checks) -> Frequency | None:
        try:
            return Frequency(str(self.freq).upper())
        except ValueError:
            checks.add("freq", f"One of {', '.join(Frequency)}.")
            return None

    def _weekdays(self, checks: _Checks, freq: Frequency | None) -> list[str]:
        days = []
        for position, value in enumerate(self.byweekday):
            day = parse_by_weekday(value)
            if day is None:
                checks.add(f"byweekday[{position}]", "A weekday: MO to SU, optionally with an ordinal (+1MO, -1FR).")
            elif day.n and freq not in (Frequency.MONTHLY, Frequency.YEARLY):
                checks.add(f"byweekday[{position}]", "An ordinal weekday needs a MONTHLY or YEARLY rule.")
            else:
                days.append(str(day))
        return days

    def _month_days(self, checks: _Checks, freq: Frequency | None) -> None:
        if self.bymonthday and freq == Frequency.WEEKLY:
            checks.add("bymonthday", "Not allowed with a WEEKLY rule (RFC 5545).")
        for position, day in enumerate(self.bymonthday):
            if isinstance(day, bool) or not isinstance(day, int) or day == 0 or not -31 <= day <= 31:
                checks.add(f"bymonthday[{position}]", "1 to 31, or -31 to -1 counting from the month's end.")


@dataclass(frozen=True, slots=True)
class PunchcardDraft:
    """A coordinator's correction of a visit's actual check-in/check-out (`punchcards`)."""

    event: str
    user: str
    actual_start: datetime
    actual_end: datetime

    def to_payload(self) -> dict[str, Any]:
        checks = _Checks()
        checks.required("event", self.event)
        checks.required("user", self.user)
        ok = [
            checks.required(key, value) and checks.aware(key, value)
            for key, value in (("actual.start", self.actual_start), ("actual.end", self.actual_end))
        ]
        if all(ok) and self.actual_end <= self.actual_start:
            checks.add("actual.end", "Must be after the actual start.")
        checks.done()
        return {
            "event": self.event,
            "user": self.user,
            "actual": {"start": _instant(self.actual_start), "end": _instant(self.actual_end)},
        }


def _check_note(checks: _Checks, title: str | None, note: str, title_required: bool) -> None:
    if title_required:
        checks.required("title", title)
    checks.length("title", title, MAX_TITLE_LENGTH)
    checks.required("note", note)
    checks.length("note", note, MAX_NOTE_LENGTH)


@dataclass(frozen=True, slots=True)
class UserNoteDraft:
    """A note on a caregiver (`usersnotes`)."""

    user: str
    title: str
    note: str
    priority: str | None = None

    def to_payload(self) -> dict[str, Any]:
        checks = _Checks()
        checks.required("user", self.user)
        _check_note(checks, self.title, self.note, title_required=True)
        checks.done()
        return _compact({"user": self.user, "title": self.title, "note": self.note, "priority": self.priority})


@dataclass(frozen=True, slots=True)
class PatientProgressNoteDraft:
    """A progress note on a patient (`patientsprogressnotes`); private notes stay off the caregiver's app."""

    patient: str
    note: str
    title: str | None = None
    private: bool = False
    service: str | None = None
    users: tuple[str, ...] = ()
    priority: str | None = None

    def to_payload(self) -> dict[str, Any]:
        checks = _Checks()
        checks.required("patient", self.patient)
        _check_note(checks, self.title, self.note, title_required=False)
        checks.done()
        return _compact(
            {
                "patient": self.patient,
                "title": self.title,
                "note": self.note,
                "private": self.private,
                "service": self.service,
                "users": list(self.users),
                "priority": self.priority,
            }
        )
