"""Shift services: what the pages call for changes made in the portal (create, edit, cancel, timecards; each
sends a domain signal, see `signals.py`), and what vendor mappings call when a vendor reports a shift's fill
status (IntelyCare webhooks: Accepted, Released, Completed, Deleted).

Each reported-status function applies one event at `at` (the vendor's statusTimestamp). Webhooks arrive out of order and
more than once, so an event older than the shift's `status_changed_at` is ignored, and one that changes nothing
is a no-op. The row is locked while it is compared and written, so two deliveries racing cannot both apply.
Each returns whether it changed the shift; the caller's instance is refreshed either way.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from dateutil import rrule
from django.core.exceptions import ValidationError
from django.db import transaction

from portal.core.audit import audit_context, current_audit_actor
from portal.shifts import signals
from portal.shifts.localtime import shift_instants
from portal.shifts.models import ShiftRequest, Timecard
from portal.talent.models import TalentProfile

if TYPE_CHECKING:
    from portal.integrations.models import VendorConnection
    from portal.jobs.models import Facility

__all__ = [
    "CANCELLATION_REASON",
    "MAX_PATTERN_SHIFTS",
    "WEEKDAY_CODES",
    "assign_professional",
    "cancel_shift",
    "cancel_shift_request",
    "cancellation_reason",
    "complete_shift",
    "create_shift_requests",
    "expand_pattern",
    "release_shift",
    "submit_timecard",
    "update_shift_request",
]

Status = ShiftRequest.Status
# The audit entry of a cancellation made here carries the coordinator's reason after this prefix.
CANCELLATION_REASON = "Cancellation reason: "


def assign_professional(shift: ShiftRequest, profile: TalentProfile, *, at: dt.datetime) -> bool:
    """Accepted: the professional takes the shift."""
    return _apply(shift, at, status=Status.FILLED, assigned_professional_id=profile.pk)


def release_shift(shift: ShiftRequest, *, at: dt.datetime) -> bool:
    """Released: the professional gave the shift back; it is open again for someone else."""
    return _apply(shift, at, status=Status.OPEN, assigned_professional_id=None)


def complete_shift(shift: ShiftRequest, *, at: dt.datetime) -> bool:
    """Completed: worked; the assigned professional stays on record for the timecard."""
    return _apply(shift, at, status=Status.COMPLETED)


def cancel_shift(shift: ShiftRequest, *, at: dt.datetime) -> bool:
    """Deleted at the vendor, or cancelled by the portal: no one will work it."""
    return _apply(shift, at, status=Status.CANCELLED)


def _apply(shift: ShiftRequest, at: dt.datetime, **values: Any) -> bool:
    with transaction.atomic():
        current = ShiftRequest.objects.select_for_update().get(pk=shift.pk)
        stale = current.status_changed_at is not None and at < current.status_changed_at
        changed = not stale and any(getattr(current, name) != value for name, value in values.items())
        if changed:
            for name, value in values.items():
                setattr(current, name, value)
            current.status_changed_at = at
            current.save(update_fields=[*values, "status_changed_at", "updated_at"])
    shift.refresh_from_db()
    return changed


# What the shift pages call: changes made in the portal. Each writes its rows and sends a domain signal in one
# transaction, so a vendor's receiver (vendors/intelycare/outbound.py) writes the outbox row in the same commit.

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
