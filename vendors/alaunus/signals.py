"""Visit changes made in the portal -> Alaunus, as outbox rows written in the same transaction as the change:
a visit created, changed or cancelled; a series created or changed from one visit on; a punchcard corrected.

The shifts app announces its changes with domain signals (`portal/shifts/signals.py`) and never imports a vendor;
`Provider.ready()` connects these receivers. A visit goes to its connection (`visit.connection`, chosen on the
create form, or the one it was synced from) when that is an active Alaunus connection. Rows carry no payload: the
operation builds the body from the record's latest state when it is sent, so an edit made before the first send
is not lost. Rows about a patient's schedule share one natural key (`outbound.schedule_key`), so a series goes
out before the change of one of its visits; a punchcard correction has its own.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from vendors.alaunus.outbound import schedule_key

if TYPE_CHECKING:
    from portal.integrations.models import VendorConnection

__all__ = ["SENT_FIELDS", "connect"]

VENDOR = "alaunus"

# Fields of Visit that appear in the event body (mapping.visit_draft); other edits stay local.
SENT_FIELDS = frozenset({"starts_at", "ends_at", "caregiver", "patient", "service_name", "notes", "status", "group"})


def _connection_of(record: Any) -> VendorConnection | None:
    connection = record.connection if record is not None and record.connection_id else None
    if connection is None or connection.vendor != VENDOR or not connection.is_active:
        return None
    return connection


def _enqueue(
    connection: VendorConnection, operation: str, key: str, related: Any, about: Any = (), payload: Any = None
) -> None:
    from portal.integrations import outbox

    outbox.enqueue(connection, operation, natural_key=key, related=related, about=about, payload=payload)


def visit_saved(sender: type, visit: Any, created: bool, changed_fields: frozenset[str], **kwargs: Any) -> None:
    if (connection := _connection_of(visit)) is None:
        return
    if created and not visit.external_id:
        _enqueue(connection, "create_visit", schedule_key(visit), visit)
    elif not created and changed_fields & SENT_FIELDS:
        _enqueue(connection, "update_visit", schedule_key(visit), visit)


def visit_cancelled(sender: type, visit: Any, **kwargs: Any) -> None:
    if (connection := _connection_of(visit)) is not None:
        _enqueue(connection, "cancel_visit", schedule_key(visit), visit)


def visit_series_created(sender: type, group: Any, visits: list[Any], **kwargs: Any) -> None:
    """One row for the group and all its visits: they go out together, each visit showing the row's state."""
    if (connection := _connection_of(group)) is not None and not group.external_id:
        _enqueue(connection, "create_visit_series", schedule_key(group), group, about=visits)


def visit_series_split(sender: type, ended: Any, following: Any, visits: list[Any], **kwargs: Any) -> None:
    if (connection := _connection_of(following)) is not None:
        payload = {"ended": ended.pk} if ended is not None else None
        # A synced group names no patient locally: its visits do, and their own changes share that key.
        key = schedule_key(visits[0] if visits else following)
        _enqueue(connection, "change_visit_series", key, following, about=visits, payload=payload)


def punchcard_corrected(sender: type, timecard: Any, **kwargs: Any) -> None:
    if timecard.visit_id is not None and (connection := _connection_of(timecard)) is not None:
        # It carries its visit, so the visit's cell and page show where the correction stands.
        _enqueue(connection, "correct_punchcard", f"punchcard:{timecard.pk}", timecard, about=[timecard.visit])


def _receivers() -> list[tuple[Any, Any, str]]:
    from portal.shifts import signals

    return [
        (visit_saved, signals.visit_saved, "alaunus-visit-saved"),
        (visit_cancelled, signals.visit_cancelled, "alaunus-visit-cancelled"),
        (visit_series_created, signals.visit_series_created, "alaunus-visit-series-created"),
        (visit_series_split, signals.visit_series_split, "alaunus-visit-series-split"),
        (punchcard_corrected, signals.punchcard_corrected, "alaunus-punchcard-corrected"),
    ]


def connect() -> None:
    """Connect the receivers once (dispatch_uid makes a second call harmless)."""
    for receiver, signal, uid in _receivers():
        signal.connect(receiver, dispatch_uid=uid, weak=False)
