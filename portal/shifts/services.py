"""Shift services: what the pages call for changes made in the portal (create, edit, cancel, timecards; each
sends a domain signal, see `signals.py`), and what vendor mappings call when a vendor reports a shift's fill
status (IntelyCare webhooks: Accepted, Released, Completed, Deleted).

A vendor's reports arrive out of order and more than once, so the reported state is not the last report applied
but the fold of every report received, in the vendor's time order (`fold_reported_statuses`); a webhook handler
refolds them all each time one arrives (`record_reported_statuses`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any, NamedTuple

from dateutil import rrule
from django.core.exceptions import ValidationError
from django.db import transaction

from portal.core.audit import audit_context, current_audit_actor
from portal.shifts import signals
from portal.shifts.localtime import shift_instants
from portal.shifts.models import ShiftRequest, Timecard
from portal.talent import assignment_gate
from portal.talent.models import TalentProfile

if TYPE_CHECKING:
    from portal.integrations.models import VendorConnection
    from portal.jobs.models import Facility

__all__ = [
    "CANCELLATION_REASON",
    "MAX_PATTERN_SHIFTS",
    "WEEKDAY_CODES",
    "FoldedStatus",
    "ReportedStatus",
    "assign_professional",
    "cancel_shift_request",
    "cancellation_reason",
    "create_shift_requests",
    "expand_pattern",
    "fold_reported_statuses",
    "record_reported_statuses",
    "report_order",
    "shift_booking",
    "submit_timecard",
    "update_shift_request",
]

Status = ShiftRequest.Status
# The audit entry of a cancellation made here carries the coordinator's reason after this prefix.
CANCELLATION_REASON = "Cancellation reason: "


class ReportedStatus(NamedTuple):
    """One vendor report of a shift's fill status at `at` (the vendor's time). `tiebreak` is the report's content
    hash, `ref` whatever the caller needs to find the report again (its inbox row); the domain reads neither."""

    status: str
    at: dt.datetime
    tiebreak: str = ""
    ref: Any = None


class FoldedStatus(NamedTuple):
    status: str
    at: dt.datetime
    assigned_by: ReportedStatus | None  # the Filled report whose professional holds the shift, if any


# Ties in vendor time are broken by the shift's life: filled, reopened, worked, cancelled; then by content hash.
_LIFECYCLE = {Status.FILLED: 0, Status.OPEN: 1, Status.COMPLETED: 2, Status.CANCELLED: 3}


def report_order(report: ReportedStatus) -> tuple:
    """The documented order of reports: vendor time, then lifecycle, then content hash (never arrival); the
    reference last, so even two reports whose hashes collide still fold in one order."""
    return (report.at, _LIFECYCLE[report.status], report.tiebreak, str(report.ref))


def fold_reported_statuses(reports: Iterable[ReportedStatus]) -> FoldedStatus | None:
    """The shift's vendor state as a function of the *set* of reports (issue 14); None when there is none.

    Filled assigns the report's professional, Open (released) clears it, Completed and Cancelled keep the one a
    Filled before them assigned. So a Completed keeps its professional even when that Accepted arrived last.
    """
    status, at, assigned_by = None, None, None
    for report in sorted(set(reports), key=report_order):
        status, at = report.status, report.at
        if status == Status.FILLED:
            assigned_by = report
        elif status == Status.OPEN:
            assigned_by = None
    return None if status is None else FoldedStatus(status, at, assigned_by)


def record_reported_statuses(
    shift: ShiftRequest,
    reports: Iterable[ReportedStatus],
    professional_of: Callable[[ReportedStatus], TalentProfile],
) -> bool:
    """Write the fold of every report the vendor made about the shift; True if the shift changed.

    `shift` is the row as the caller read it under its lock (`select_for_update`) in its transaction: read once,
    locked once, and a caller that gathers every report it holds after taking the lock sees each one committed
    before it, so the last call for a shift folds them all, in any arrival order. `professional_of` is asked only
    for the report that assigns the shift. A failure undoes nothing of its own: the caller's savepoint does.
    """
    folded = fold_reported_statuses(reports)
    if folded is None:
        return False
    values = {
        "status": folded.status,
        "assigned_professional_id": professional_of(folded.assigned_by).pk if folded.assigned_by else None,
        "status_changed_at": folded.at,
    }
    changed = any(getattr(shift, name) != value for name, value in values.items())
    if changed:
        for name, value in values.items():
            setattr(shift, name, value)
        shift.save(update_fields=[*values, "updated_at"])
    return changed


# What the shift pages call: changes made in the portal. Each writes its rows and sends a domain signal in one
# transaction, so a vendor's receiver (vendors/intelycare/signals.py) writes the outbox row in the same commit.

WEEKDAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
MAX_PATTERN_SHIFTS = 400


def expand_pattern(
    *,
    first_day: dt.date,
    last_day: dt.date,
    start: dt.time,
    end: dt.time,
    time_zone: str,
    weekdays: Iterable[str] = (),
) -> list[tuple[dt.datetime, dt.datetime]]:
    """UTC (start, end) of each shift of "every <weekdays> <start>-<end> from first_day to last_day".

    The rule is expanded on the facility's wall clock (dateutil rrule over naive local days), and each day is then
    turned into instants by `shift_instants`, so 07:00 stays 07:00 across a daylight-saving change and an end at or
    before the start is the next morning. No weekdays means every day.
    """
    days = rrule.rrule(
        rrule.DAILY,
        dtstart=dt.datetime.combine(first_day, dt.time()),
        until=dt.datetime.combine(last_day, dt.time()),
        byweekday=[getattr(rrule, code) for code in weekdays] or None,
    )
    return [shift_instants(day.date(), start, end, time_zone) for day in days]


def create_shift_requests(
    *,
    facility: Facility,
    unit: str,
    professional_type: str,
    occurrences: Iterable[tuple[dt.datetime, dt.datetime]],
    connection: VendorConnection | None = None,
    boost_percentage: int = 0,
) -> list[ShiftRequest]:
    """One shift per occurrence, each announced by `shift_request_saved` (one vendor call each: no bulk API)."""
    created = []
    with transaction.atomic():
        for starts_at, ends_at in occurrences:
            shift = ShiftRequest(
                facility=facility,
                unit=unit,
                professional_type=professional_type,
                starts_at=starts_at,
                ends_at=ends_at,
                time_zone=facility.time_zone,
                boost_percentage=boost_percentage,
                connection=connection,
            )
            shift.save()
            signals.shift_request_saved.send(ShiftRequest, shift=shift, created=True, changed_fields=frozenset())
            created.append(shift)
    return created


def update_shift_request(shift: ShiftRequest, **values: Any) -> frozenset[str]:
    """Change the portal's own fields of a shift; returns the names of the fields that changed."""
    with transaction.atomic():
        for name, value in values.items():
            setattr(shift, name, value)
        changed = frozenset(shift.changed_fields())
        if changed:
            shift.full_clean(validate_unique=False, validate_constraints=False)
            shift.save()
            signals.shift_request_saved.send(ShiftRequest, shift=shift, created=False, changed_fields=changed)
    return changed


def cancel_shift_request(shift: ShiftRequest, reason: str = "") -> None:
    """The coordinator withdraws the shift. A completed one cannot be (InvalidTransition from the model layer).
    The reason, when given, is kept in the shift's audit entry (`cancellation_reason` reads it back)."""
    actor = current_audit_actor()
    detail = f"{CANCELLATION_REASON}{reason.strip()}" if reason.strip() else actor.detail
    with transaction.atomic(), audit_context(actor.source, actor.user_id, detail=detail):
        shift.status = Status.CANCELLED
        shift.save(update_fields=["status", "updated_at"])
        signals.shift_request_cancelled.send(ShiftRequest, shift=shift)


def shift_booking(shift: ShiftRequest, profile: TalentProfile) -> assignment_gate.Booking:
    """What the gate is asked when `profile` would take `shift`: its instants, facility and zone, the shift itself
    left out of the person's other work."""
    about = ("shifts.shiftrequest", shift.pk)
    return assignment_gate.Booking(
        profile.pk, shift.starts_at, shift.ends_at, shift.facility_id, str(shift.zone), about, str(shift)
    )


def assign_professional(
    shift: ShiftRequest, profile: TalentProfile, user: Any = None, override_reason: str = ""
) -> assignment_gate.Verdict:
    """Book `profile` on an open shift the portal staffs itself, once the gate lets it (issue 19).

    A block refuses; warnings refuse unless the coordinator gives a reason, which the gate keeps. A shift a vendor
    fills (IntelyCare: its professionals accept) is not booked here: the vendor has no call for it.
    """
    if shift.connection_id:
        raise ValidationError(f"{shift.connection.name} fills this shift; it cannot be booked in the portal.")
    booking = shift_booking(shift, profile)
    with transaction.atomic(), audit_context("user", user=user, detail=override_reason.strip()[:255]):
        # One booking of a person at a time, and of a shift: two coordinators cannot both pass the gate at once.
        list(TalentProfile.objects.select_for_update().filter(pk=profile.pk).values_list("pk", flat=True))
        shift = ShiftRequest.objects.select_for_update().get(pk=shift.pk)
        if shift.status != Status.OPEN:
            raise ValidationError("Only an open shift can be booked.")
        verdict = assignment_gate.require_pass(booking, override_reason, user)
        shift.assigned_professional = profile
        shift.status = Status.FILLED
        shift.save(update_fields=["assigned_professional", "status", "updated_at"])
    return verdict


def cancellation_reason(shift: ShiftRequest) -> str:
    """The reason given when the shift was cancelled here, or "" (cancelled by the vendor, or none given)."""
    entry = shift.audit_history().filter(detail__startswith=CANCELLATION_REASON).first()
    return entry.detail.removeprefix(CANCELLATION_REASON) if entry else ""


def submit_timecard(
    shift: ShiftRequest, *, check_in: dt.datetime, check_out: dt.datetime, break_minutes: int
) -> Timecard:
    """Enter or correct the one timecard of a completed shift (IntelyCare keeps one per shift)."""
    if shift.status != Status.COMPLETED:
        raise ValidationError("Timecards are entered for completed shifts only.")
    with transaction.atomic():
        card = Timecard.objects.select_for_update().filter(shift=shift).first()
        created = card is None
        if created:
            card = Timecard(shift=shift, professional_id=shift.assigned_professional_id)
        card.check_in, card.check_out, card.break_minutes = check_in, check_out, break_minutes
        card.vendor_errors = []  # the vendor's verdict on the earlier times no longer applies
        card.full_clean(validate_unique=False, validate_constraints=False)
        card.save()
        signals.timecard_submitted.send(Timecard, timecard=card, created=created)
    return card
