"""Changes the portal pushes to Alaunus, sent by the outbox: visits (create, update, cancel), visit series
(create; change from one visit on) and punchcard corrections.

Each body is built when sent, from the record's latest state, and checked by its draft before it leaves
(`client.checked`); a form asks the same drafts first (`outbound_checks`). Alaunus has no idempotency key, so a
create that may have landed before a worker died is looked for: the patient's events at the same instants with
the same caregivers, a group with the same first visit and rule. Ids are kept as soon as Alaunus gives them
(`remember_vendor_id`), so a series resumes where it stopped. PUT sets absolute values: repeating it is harmless.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from portal.core.vendor_records import remember_vendor_id
from portal.integrations.errors import NotFound, ValidationFailed
from portal.integrations.provider import OutboundOperation, SendResult
from portal.shifts.models import RecurringVisitGroup, Visit
from vendors.alaunus.client import AlaunusClient, checked
from vendors.alaunus.mapping import group_draft, visit_draft
from vendors.alaunus.outbound_checks import alaunus_user_id, check_group, check_punchcard, check_visit
from vendors.alaunus.schemas import Event, EventsGroup, PunchcardDraft
from vendors.base.client import VendorClient

if TYPE_CHECKING:
    from portal.integrations.models import OutboundRequest

__all__ = ["OPERATIONS", "schedule_key"]


def schedule_key(record: Any) -> str:
    """One natural key per patient's schedule (a visit or a series): series, visits, their changes and cancellations
    go out in the order they were made (a visit's update waits for the series create that gives it its id)."""
    if record.patient_id:
        return f"schedule:patient:{record.patient_id}"
    return f"{record._meta.model_name}:{record.pk}"


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
    found = alaunus_user_id(profile, connection_id)
    if not found:
        raise ValidationFailed(
            "Not sent to Alaunus: the caregiver has no Alaunus user.",
            field_errors={"attendees": ["The caregiver is not an Alaunus user."]},
        )
    return (found,)


class _Sending:
    """One row's send: its client, and what it looked up once (the account's services)."""

    def __init__(self, client: VendorClient, row: OutboundRequest) -> None:
        self.api, self.row, self._services = AlaunusClient(client), row, None

    def service_id(self, name: str) -> str | None:
        """Alaunus's id for the service the portal names (the account's `services`, by title or code)."""
        if not name:
            return None
        if self._services is None:
            account = next(iter(self.api.records("accounts")), None)
            self._services = list((account.raw.get("services") if account else None) or [])
        wanted = name.strip().casefold()
        for service in self._services:
            if wanted in {str(service.get(key) or "").strip().casefold() for key in ("title", "code")}:
                return str(service.get("_id"))
        raise ValidationFailed(
            f"Not sent to Alaunus: it has no service named {name!r}.",
            field_errors={"service": [f"Alaunus has no service named {name!r}."]},
        )

    def event_body(self, visit: Any) -> dict[str, Any]:
        """The event as Alaunus should hold it, from the visit's latest state."""
        connection_id = self.row.connection_id
        group = visit.group if visit.group_id else None
        draft = visit_draft(
            visit,
            patient_id=_alaunus_id(visit.patient, connection_id, "patient"),
            caregiver_ids=_caregiver_ids(visit.caregiver, connection_id),
            group_id=_alaunus_id(group, connection_id, "_group") if group is not None else None,
        )
        body = checked(draft)
        if service := self.service_id(visit.service_name):
            body["service"] = service
        return body

    def find_event(self, body: dict[str, Any]) -> Event | None:
        for event in self.api.records("events", patient=body["patient"]):
            if isinstance(event, Event) and _same_event(event, body):
                return event
        return None

    def put_event(self, visit: Any) -> dict[str, Any]:
        visit.refresh_from_db(fields=["connection", "external_id"])
        if not visit.external_id or visit.connection_id != self.row.connection_id:
            raise NotFound("Not sent to Alaunus: the visit was never created there.")
        return self.api.write("events.update", self.event_body(visit), visit.external_id)

    def group_body(self, group: Any) -> dict[str, Any]:
        return checked(group_draft(group))

    def find_group(self, group: Any) -> dict[str, Any] | None:
        """A group the portal may have created before a crash: the same first visit and the same rule."""
        mine = EventsGroup.from_payload(self.group_body(group))
        for theirs in self.api.records("eventsgroups"):
            if isinstance(theirs, EventsGroup) and (theirs.start, theirs.end, theirs.recurrence) == (
                mine.start,
                mine.end,
                mine.recurrence,
            ):
                return dict(theirs.raw)
        return None

    def ensure_group(self, group: Any, *, look_first: bool) -> str:
        """The group's Alaunus id: kept, found again (after a crash), or created now."""
        if group.external_id:
            return group.external_id
        found = self.find_group(group) if look_first else None
        created = found or self.api.write("eventsgroups.create", self.group_body(group))
        remember_vendor_id(group, self.row.connection, str(created["_id"]), vendor_data=created)
        return group.external_id


def _maybe_landed(row: OutboundRequest) -> bool:
    """An earlier attempt of this row may have reached Alaunus (the outbox asks `find_existing` then too)."""
    return row.attempts > 1 or bool(row.last_error)


def _event_body(row: OutboundRequest, sending: _Sending) -> dict[str, Any]:
    """The wire body: given on the row (API callers), or built from the visit's latest state."""
    return dict(row.payload) if row.payload else sending.event_body(_related(row))


def _remember_event(row: OutboundRequest, event: dict[str, Any]) -> None:
    """Keep Alaunus's id on the visit, so updates, punchcards and the next sync find it."""
    related = row.related_object
    if related is not None and hasattr(related, "external_id"):
        remember_vendor_id(related, row.connection, str(event["_id"]), vendor_data=event)


def _same_event(theirs: Event, body: dict[str, Any]) -> bool:
    """Same instants (compared parsed: Alaunus may echo `...00.000Z` for our `...00Z`) and the same attendees."""
    mine = Event.from_payload(body)
    return (mine.start, mine.end, [a.user for a in mine.attendees]) == (
        theirs.start,
        theirs.end,
        [a.user for a in theirs.attendees],
    )


def create_visit(client: VendorClient, row: OutboundRequest) -> SendResult:
    sending = _Sending(client, row)
    event = sending.api.write("events.create", _event_body(row, sending)) or {}
    _remember_event(row, event)
    return SendResult(str(event["_id"]), event)


def find_created_visit(client: VendorClient, row: OutboundRequest) -> SendResult | None:
    """Alaunus has no idempotency key, so a create that may have landed is looked for: the patient's events at
    the same times with the same caregivers."""
    sending = _Sending(client, row)
    event = sending.find_event(_event_body(row, sending))
    if event is None:
        return None
    _remember_event(row, dict(event.raw))
    return SendResult(str(event.id), dict(event.raw))


def update_visit(client: VendorClient, row: OutboundRequest) -> SendResult:
    sending = _Sending(client, row)
    visit = _related(row)
    if row.payload:
        visit.refresh_from_db(fields=["external_id"])
        return SendResult(visit.external_id, sending.api.write("events.update", dict(row.payload), visit.external_id))
    event = sending.put_event(visit)
    return SendResult(visit.external_id, event)


def _series_visits(row: OutboundRequest) -> list[Any]:
    """The visits a series row carries (`about`), in time order, as they are now."""
    ids = row.subjects.values_list("object_id", flat=True)
    return list(Visit.objects.filter(pk__in=[int(pk) for pk in ids]).select_related("group", "patient", "caregiver"))


def create_visit_series(client: VendorClient, row: OutboundRequest) -> SendResult:
    """POST the eventsgroup, then each of its visits as an event of it (`_group`). Every id is kept as soon as
    Alaunus gives it, so a retry after a crash creates only what is still missing, after looking for the one that
    was in flight."""
    sending, group = _Sending(client, row), _related(row)
    look_first = _maybe_landed(row)
    group_id = sending.ensure_group(group, look_first=look_first)
    created = 0
    for visit in sorted(_series_visits(row), key=lambda v: v.starts_at):
        if visit.external_id:  # a visit cancelled meanwhile is created cancelled: its own cancel row follows
            continue
        body = sending.event_body(visit)
        found = sending.find_event(body) if look_first else None
        event = dict(found.raw) if found else sending.api.write("events.create", body)
        remember_vendor_id(visit, row.connection, str(event["_id"]), vendor_data=event)
        created += 0 if found else 1
    return SendResult(group_id, {"_id": group_id, "events_created": created})


def find_created_series(client: VendorClient, row: OutboundRequest) -> SendResult | None:
    """A series is complete in Alaunus when its group and every visit have their Alaunus ids (`create_visit_series`
    then finds, rather than re-creates, whatever landed before a crash)."""
    group = _related(row)
    group.refresh_from_db(fields=["external_id"])
    missing = [v for v in _series_visits(row) if not v.external_id]
    return None if missing or not group.external_id else SendResult(group.external_id, {"_id": group.external_id})


def change_visit_series(client: VendorClient, row: OutboundRequest) -> SendResult:
    """This-and-following: the ended part's rule (PUT), the following group (PUT, or created: found again after a
    crash), then each moved visit (PUT, with its new `_group`). Every step sets absolute values."""
    sending, following = _Sending(client, row), _related(row)
    ended_pk = (row.payload or {}).get("ended")
    if ended_pk and (ended := RecurringVisitGroup.objects.filter(pk=ended_pk).first()) is not None:
        sending.api.write(
            "eventsgroups.update", sending.group_body(ended), _alaunus_id(ended, row.connection_id, "_group")
        )
    if following.external_id:
        sending.api.write("eventsgroups.update", sending.group_body(following), following.external_id)
    group_id = sending.ensure_group(following, look_first=_maybe_landed(row))
    for visit in _series_visits(row):
        sending.put_event(visit)
    return SendResult(group_id, {"_id": group_id})


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
        OutboundOperation(
            "create_visit", "Create visit", create_visit, find_existing=find_created_visit, check=check_visit
        ),
        OutboundOperation("update_visit", "Update visit", update_visit, check=check_visit),
        # The same PUT with the visit's cancelled status: its own label in the visit's delivery list.
        OutboundOperation("cancel_visit", "Cancel visit", update_visit),
        OutboundOperation(
            "create_visit_series",
            "Create visit series",
            create_visit_series,
            find_existing=find_created_series,
            check=check_group,
        ),
        OutboundOperation("change_visit_series", "Change visit series from a visit on", change_visit_series),
        OutboundOperation("correct_punchcard", "Correct punchcard times", correct_punchcard, check=check_punchcard),
    )
}
