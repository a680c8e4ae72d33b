"""Alaunus's registration: the API key, the client, what syncs into which model, outbound visit and punchcard
changes, and the sandbox. Alaunus sends no webhooks (its doc describes none), so everything arrives by sync."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from portal.integrations.errors import NotFound, ValidationFailed
from portal.integrations.provider import CredentialField, OutboundOperation, SendResult, VendorProvider
from vendors.alaunus.client import AlaunusAuth, AlaunusClient, checked
from vendors.alaunus.mapping import visit_draft
from vendors.alaunus.resources import RESOURCES
from vendors.alaunus.sandbox import AlaunusSandbox
from vendors.alaunus.schemas import Event, EventDraft, PunchcardDraft
from vendors.base.client import VendorClient

if TYPE_CHECKING:
    from portal.integrations.models import OutboundRequest, VendorConnection

__all__ = ["Provider", "visit_natural_key"]

# Only a user record carries these (doc, "Users"); a candidate cannot attend a visit.
USER_ONLY_KEYS = ["role", "role_type", "candidate", "is_setup", "timezone"]


def visit_natural_key(visit: Any) -> str:
    """Rows about the same visit go out in order, and a create is looked for in Alaunus before it is resent."""
    return f"visit:{visit.pk}"


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
    if related is not None and hasattr(related, "external_id") and not related.external_id:
        type(related).objects.filter(pk=related.pk).update(
            connection=row.connection, external_id=str(event["_id"]), vendor_data=event
        )


def _event_id(row: OutboundRequest) -> str:
    """The visit's Alaunus id: on the visit once created, else from the create request already sent."""
    from portal.integrations.models import OutboundRequest as Row

    related = row.related_object
    if related is not None and getattr(related, "external_id", ""):
        return related.external_id
    sent = (
        Row.objects.filter(connection_id=row.connection_id, natural_key=row.natural_key, state="sent")
        .exclude(vendor_id="")
        .order_by("-pk")
        .values_list("vendor_id", flat=True)
        .first()
    )
    if not sent:
        raise NotFound("Not sent to Alaunus: the visit was never created there.")
    return sent


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


class Provider(VendorProvider):
    name = "alaunus"
    label = "Alaunus"
    credential_fields = (CredentialField("api_key", "API key (sent as the Authorization header)"),)
    resources = RESOURCES
    operations = {
        op.name: op
        for op in (
            OutboundOperation("create_visit", "Create visit", create_visit, find_existing=find_created_visit),
            OutboundOperation("update_visit", "Update visit", update_visit),
            OutboundOperation("correct_punchcard", "Correct punchcard times", correct_punchcard),
        )
    }

    def build_client(self, connection: VendorConnection) -> VendorClient:
        return VendorClient(
            vendor=self.label,
            base_url=connection.base_url,
            auth=AlaunusAuth(str((connection.credentials or {}).get("api_key", ""))),
            secrets=self.secrets_of(connection),
        )

    def sandbox(self) -> AlaunusSandbox:
        return AlaunusSandbox()
