"""IntelyCare webhook event -> the shift's reported state. Accepted fills, Released reopens, Completed closes,
Deleted cancels; but no event is applied on its own. Under the shift's lock the handler folds every stored,
verified event about that shift on this connection (`subject` "shift:<externalShiftId>") in `statusTimestamp`
order (`shifts.services.fold_reported_statuses`), so duplicates, redeliveries and any arrival order give the same
shift. Only the shift of the delivery's own connection is ever looked at (issue 14). The event comes parsed by the
inbox (`event.info.event`), and the shift is read once, locked; only the Accepted the fold keeps, when it is
another event's, has its body read.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from vendors.intelycare.mapping import SHIFT_STATUS, professional_profile_fields
from vendors.intelycare.schemas import STATUSES, ShiftStatusEvent

if TYPE_CHECKING:
    from portal.integrations.inbox import StoredEvent
    from portal.integrations.models import VendorConnection, WebhookEvent
    from portal.shifts.services import ReportedStatus
    from portal.talent.models import TalentProfile

__all__ = ["EVENT_TYPES", "handle_status_event", "shift_subject"]

# The inbox's `event_type` for each shiftStatus (`Provider.describe_webhook`), read back when folding.
EVENT_TYPES = {status: f"shift.{status.lower()}" for status in STATUSES}
_REPORTED = {EVENT_TYPES[status]: shift_status for status, shift_status in SHIFT_STATUS.items()}


def shift_subject(external_shift_id: str) -> str:
    return f"shift:{external_shift_id}"


def handle_status_event(connection: VendorConnection, event: WebhookEvent) -> str:
    # Domain imports are deferred: the registry loads providers at start-up, before every app is importable.
    from portal.integrations.inbox import events_of_subject
    from portal.shifts import services
    from portal.shifts.models import ShiftRequest

    status_event: ShiftStatusEvent = event.info.event
    verb = status_event.status.lower()
    # The fold's one read of the shift, under the lock every fold of this shift waits for (a non-key column
    # update: rows pointing at the shift, timecards, are not held up).
    shift = (
        ShiftRequest.objects.select_for_update(no_key=True, of=("self",))
        .filter(connection=connection, external_shift_id=status_event.external_shift_id)
        .first()
    )
    if shift is None:
        return f"{verb}: no such shift on this connection ({status_event.external_shift_id}); kept, nothing applied"
    this = services.ReportedStatus(
        SHIFT_STATUS[status_event.status], status_event.status_at, tiebreak=event.dedupe_key, ref=event.pk
    )
    others = [_report(row) for row in events_of_subject(event, shift_subject(status_event.external_shift_id))]
    reports = [this, *(report for report in others if report is not None and report.ref != event.pk)]
    changed = services.record_reported_statuses(
        shift, reports, lambda report: _professional(connection, report, event, status_event)
    )
    return f"{verb}: applied" if changed else f"{verb}: folded with the shift's other events, no change"


def _report(row: StoredEvent) -> ReportedStatus | None:
    from portal.shifts.services import ReportedStatus

    status = _REPORTED.get(row.event_type)
    if status is None or row.occurred_at is None:
        return None
    return ReportedStatus(status=status, at=row.occurred_at, tiebreak=row.dedupe_key, ref=row.pk)


def _professional(
    connection: VendorConnection, report: ReportedStatus, event: WebhookEvent, parsed: ShiftStatusEvent
) -> TalentProfile:
    """The professional of the Accepted the fold kept: the body is read again only when it is another event's."""
    from portal.integrations.inbox import stored_body
    from portal.talent.services import match_or_create_profile

    accepted = parsed if report.ref == event.pk else ShiftStatusEvent.parse(json.loads(stored_body(report.ref)))
    return match_or_create_profile(
        connection=connection,
        vendor_updated_at=accepted.status_at,
        **professional_profile_fields(accepted.professional),
    )
