"""Domain signals of the shifts app: how a change made in the portal leaves it for a vendor.

Domain apps never import vendors (STYLE "Imports run one way"). The service functions in `services.py` send
these inside the transaction that writes the change, so a vendor's receiver can write its outbox row in the same
commit. Bulk writes and vendor-reported changes (webhooks, syncs) send nothing: the vendor already knows.
"""

from __future__ import annotations

from django.dispatch import Signal

__all__ = [
    "punchcard_corrected",
    "shift_request_cancelled",
    "shift_request_saved",
    "slot_booking_requested",
    "timecard_submitted",
    "visit_cancelled",
    "visit_saved",
    "visit_series_created",
    "visit_series_split",
]

# kwargs: shift (ShiftRequest), created (bool), changed_fields (frozenset[str]; empty when created)
shift_request_saved = Signal()

# kwargs: shift (ShiftRequest), already moved to cancelled
shift_request_cancelled = Signal()

# kwargs: timecard (Timecard), created (bool: the shift had no timecard before)
timecard_submitted = Signal()

# kwargs: visit (Visit), created (bool), changed_fields (frozenset[str]; empty when created)
visit_saved = Signal()

# kwargs: visit (Visit), already moved to cancelled
visit_cancelled = Signal()

# kwargs: group (RecurringVisitGroup), visits (list[Visit]: its occurrences, created with it)
visit_series_created = Signal()

# kwargs: ended (RecurringVisitGroup, now ending before the split), following (RecurringVisitGroup, new),
# visits (list[Visit]: the occurrences moved from `ended` to `following`, already changed)
visit_series_split = Signal()

# kwargs: timecard (Timecard of a visit), its actual times corrected by a coordinator
punchcard_corrected = Signal()

# kwargs: booking (SlotBooking, pending: its connection, schedule, slot and payment wish), record (the shift, visit
# or requisition it is for): book that slot at the vendor, through the outbox
slot_booking_requested = Signal()
