"""Changes the portal pushes to Alaunus, sent by the outbox: visits (create, update) and punchcard corrections.

Each body is built when sent, from the record's latest state, and checked by its draft before it leaves
(`client.checked`). Alaunus has no idempotency key, so a create that may have landed before a worker died is
looked for (`find_existing`): the patient's events at the same instants with the same caregivers. PUT sets
absolute values, so repeating an update or a correction is harmless.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from portal.core.vendor_records import remember_vendor_id
from portal.integrations.errors import NotFound, ValidationFailed
from portal.integrations.provider import OutboundOperation, SendResult
from vendors.alaunus.client import AlaunusClient, checked
from vendors.alaunus.mapping import visit_draft
from vendors.alaunus.schemas import Event, EventDraft, PunchcardDraft
from vendors.base.client import VendorClient

if TYPE_CHECKING:
    from portal.integrations.models import OutboundRequest

__all__ = ["OPERATIONS", "schedule_key"]

# Only a user record carries these (doc, "Users"); a candidate cannot attend a visit.
USER_ONLY_KEYS = ["role", "role_type", "candidate", "is_setup", "timezone"]


def schedule_key(visit: Any) -> str:
    """One natural key per patient's schedule: a series, its visits, their changes and cancellations go out in the
    order they were made (a visit's update waits for the series create that gives it its Alaunus id)."""
    return f"schedule:patient:{visit.patient_id}" if visit.patient_id else f"visit:{visit.pk}"


def _related(row: OutboundRequest) -> Any:
    related = row.related_object
    if related is None:
        raise NotFound("Not sent to Alaunus: the record it was about no longer exists.")
    return related


def _alaunus_id(record: Any, connection_id: int, what: str) -> str:
    if record is None or record.connection_id != connection_id or not record.external_id:
        raise ValidationFailed(
            f"Not sent to Alaunus: the {what} is not an Alaunus record of this connection.",
            field_errors={what: ["Not in Alaunus."]},
        )
    return record.external_id


def _caregiver_ids(profile: Any, connection_id: int) -> tuple[str, ...]:
    if profile is None:
        return ()
    found = (
        profile.references.filter(
            connection_id=connection_id, archived_at=None, vendor_data__has_any_keys=USER_ONLY_KEYS
        )
        .order_by("-pk")
        .values_list("external_id", flat=True)
        .first()
    )
    if not found:
        raise ValidationFailed(
            "Not sent to Alaunus: the caregiver has no Alaunus user.",
            field_errors={"attendees": ["The caregiver is not an Alaunus user."]},
        )
    return (found,)


def _event_body(row: OutboundRequest) -> dict[str, Any]:
    """The wire body: given on the row (API callers), or built from the visit's latest state."""
    if row.payload:
        return dict(row.payload)
    visit = _related(row)
    draft: EventDraft = visit_draft(
        visit,
        patient_id=_alaunus_id(visit.patient, row.connection_id, "patient"),
        caregiver_ids=_caregiver_ids(visit.caregiver, row.connection_id),
    )
    return checked(draft)


def _remember_event(row: OutboundRequest, event: dict[str, Any]) -> None:
    """Keep Alaunus's id on the visit, so updates, punchcards and the next sync find it."""
    related = row.related_object
    if related is not None and hasattr(related, "external_id"):
        remember_vendor_id(related, row.connection, str(event["_id"]), vendor_data=event)


def _event_id(row: OutboundRequest) -> str:
    """The visit's Alaunus id, kept on it by the create that went out before this row (same natural key)."""
    visit = _related(row)
    visit.refresh_from_db(fields=["connection", "external_id"])
    if not visit.external_id or visit.connection_id != row.connection_id:
        raise NotFound("Not sent to Alaunus: the visit was never created there.")
    return visit.external_id


def _same_event(theirs: Event, body: dict[str, Any]) -> bool:
    """Same instants (compared parsed: Alaunus may echo `...00.000Z` for our `...00Z`) and the same attendees."""
    mine = Event.from_payload(body)
    return (mine.start, mine.end, [a.user for a in mine.attendees]) == (
        theirs.start,
        theirs.end,
        [a.user for a in theirs.attendees],
    )


def create_visit(client: VendorClient, row: OutboundRequest) -> SendResult:
    body = _event_body(row)
    event = AlaunusClient(client).write("events.create", body) or {}
    _remember_event(row, event)
    return SendResult(str(event["_id"]), event)


def find_created_visit(client: VendorClient, row: OutboundRequest) -> SendResult | None:
    """Alaunus has no idempotency key, so a create that may have landed is looked for: the patient's events at
    the same times with the same caregivers."""
    body = _event_body(row)
    for event in AlaunusClient(client).records("events", patient=body["patient"]):
        if isinstance(event, Event) and _same_event(event, body):
            _remember_event(row, dict(event.raw))
            return SendResult(str(event.id), dict(event.raw))
    return None


def update_visit(client: VendorClient, row: OutboundRequest) -> SendResult:
    event_id = _event_id(row)
    event = AlaunusClient(client).write("events.update", _event_body(row), event_id) or {}
    return SendResult(event_id, event)


def correct_punchcard(client: VendorClient, row: OutboundRequest) -> SendResult:
    """A coordinator's correction of actual times, sent as a PUT (repeatable: the same times twice are one)."""
    card = _related(row)
    if not card.external_id or card.connection_id != row.connection_id:
        raise NotFound("Not sent to Alaunus: the punchcard did not come from this Alaunus connection.")
    draft = PunchcardDraft(
        event=_alaunus_id(card.visit, row.connection_id, "event"),
        user=_caregiver_ids(card.professional, row.connection_id)[0] if card.professional else "",
        actual_start=card.check_in,
        actual_end=card.check_out,
    )
    return SendResult(card.external_id, AlaunusClient(client).correct_punchcard(card.external_id, draft))


OPERATIONS: dict[str, OutboundOperation] = {
    op.name: op
    for op in (
        OutboundOperation("create_visit", "Create visit", create_visit, find_existing=find_created_visit),
        OutboundOperation("update_visit", "Update visit", update_visit),
        # The same PUT with the visit's cancelled status: its own label in the visit's delivery list.
        OutboundOperation("cancel_visit", "Cancel visit", update_visit),
        OutboundOperation("correct_punchcard", "Correct punchcard times", correct_punchcard),
    )
}
