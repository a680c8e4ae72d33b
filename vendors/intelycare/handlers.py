"""IntelyCare webhook event -> portal action. Accepted assigns, Released reopens, Completed closes, Deleted
cancels; the shift services ignore an event older than the shift's `status_changed_at`, which is how duplicate
and out-of-order deliveries end up applied once and in order (`statusTimestamp`)."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from vendors.intelycare.mapping import professional_profile_fields
from vendors.intelycare.schemas import ShiftStatusEvent

if TYPE_CHECKING:
    from portal.integrations.models import VendorConnection, WebhookEvent

__all__ = ["handle_status_event"]


def handle_status_event(connection: VendorConnection, event: WebhookEvent) -> str:
    # Domain imports are deferred: the registry loads providers at start-up, before every app is importable.
    from portal.shifts import services
    from portal.shifts.models import ShiftRequest
    from portal.talent.services import match_or_create_profile

    status_event = ShiftStatusEvent.parse(json.loads(event.body))
    shift = ShiftRequest.objects.select_for_update().filter(external_shift_id=status_event.external_shift_id).first()
    if shift is None:
        return f"no shift {status_event.external_shift_id} in the portal: ignored"
    at = status_event.status_at
    if status_event.status == "Accepted":
        profile = match_or_create_profile(
            connection=connection, vendor_updated_at=at, **professional_profile_fields(status_event.professional)
        )
        changed = services.assign_professional(shift, profile, at=at)
    elif status_event.status == "Released":
        changed = services.release_shift(shift, at=at)
    elif status_event.status == "Completed":
        changed = services.complete_shift(shift, at=at)
    else:
        changed = services.cancel_shift(shift, at=at)
    verb = status_event.status.lower()
    return f"{verb}: applied" if changed else f"{verb}: older than the shift's state or already applied, ignored"
