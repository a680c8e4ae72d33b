"""What vendor mappings call when a vendor reports a shift's fill status (IntelyCare webhooks: Accepted,
Released, Completed, Deleted).

Each function applies one reported event at `at` (the vendor's statusTimestamp). Webhooks arrive out of order and
more than once, so an event older than the shift's `status_changed_at` is ignored, and one that changes nothing
is a no-op. The row is locked while it is compared and written, so two deliveries racing cannot both apply.
Each returns whether it changed the shift; the caller's instance is refreshed either way.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction

from portal.shifts.models import ShiftRequest
from portal.talent.models import TalentProfile

__all__ = ["assign_professional", "cancel_shift", "complete_shift", "release_shift"]

Status = ShiftRequest.Status


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
