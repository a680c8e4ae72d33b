"""Booking a specialist's slot for a record (issue 22): the person as the portal knows them, the gate, the local
booking and its outbox row, in one transaction; and the booking's outcome once the outbox has sent it.

The vendor's profile is read first (its e-mail links an existing person; else one is created with the
specialist's name and a reference by the vendor's id). The gate is asked as a local booking is: a block refuses,
warnings refuse without a reason, which the gate keeps. Nothing is written when anything refuses.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction

from portal.core.audit import audit_context
from portal.integrations.models import OutboundRequest, VendorConnection
from portal.shifts import signals, sourcing
from portal.shifts.models import SlotBooking
from portal.shifts.sourcing_records import KINDS, Sourced, sourced_record
from portal.talent import assignment_gate
from portal.talent.models import TalentProfile
from portal.talent.services import match_or_create_profile, split_name

__all__ = ["SlotChoice", "book_slot", "settle_booking"]

State = SlotBooking.State


@dataclass(frozen=True)
class SlotChoice:
    """The slot a coordinator picked from the results."""

    person: int
    schedule: int
    starts_at: dt.datetime
    ends_at: dt.datetime
    price: Decimal | None = None
    currency: str = ""
    with_payment: bool = False


def book_slot(
    source: Sourced, connection: VendorConnection, slot: SlotChoice, *, override_reason: str = "", user: Any = None
) -> SlotBooking:
    """Raises `sourcing.SourcingRefused` (the vendor would not show the person), `AssignmentRefused` (the gate)
    or `ValidationError` (the record may not be sourced, or is booked already)."""
    _refuse_if_taken(source)  # before the vendor's (possibly billed) profile view
    person = sourcing.channel_for(connection).view(connection, slot.person)
    first, last = split_name(person.name)
    reason = override_reason.strip()
    with transaction.atomic(), audit_context("user", user=user, detail=reason[:255]):
        # One booking of a record at a time: two coordinators cannot both book the same shift.
        record = type(source.record).objects.select_for_update().get(pk=source.record.pk)
        source = sourced_record(source.kind, record)
        _refuse_if_taken(source)
        profile = match_or_create_profile(
            email=person.email,
            first_name=first,
            last_name=last,
            phone=person.phone,
            connection=connection,
            external_id=str(person.person),
        )
        # One booking of a person at a time, as a local booking: two pages cannot both pass the gate with them.
        list(TalentProfile.objects.select_for_update().filter(pk=profile.pk).values_list("pk", flat=True))
        gate = source.gate_booking(profile, (slot.starts_at, slot.ends_at))
        assignment_gate.require_pass(gate, reason, user)
        booking = SlotBooking.objects.create(
            connection=connection,
            **{source.kind: record},
            profile=profile,
            person_ref=str(slot.person),
            schedule_ref=str(slot.schedule),
            slot_starts_at=slot.starts_at,
            slot_ends_at=slot.ends_at,
            price=slot.price,
            currency=slot.currency,
            with_payment=slot.with_payment,
            override_reason=reason,
        )
        signals.slot_booking_requested.send(SlotBooking, booking=booking, record=record)
    return booking


def _refuse_if_taken(source: Sourced) -> None:
    if source.refusal or source.booked_already():
        raise ValidationError(source.refusal or "A booking of this record is pending or confirmed already.")


def settle_booking(sender: type, request: OutboundRequest, state: str, **kwargs: Any) -> None:
    """The outbox's outcome of a booking's row (`outbox.settled`, in its transaction): booked, with the vendor's
    event and payment link, and the record staffed where the portal staffs it; or refused with the vendor's words.
    A later retry that succeeds books a refused booking."""
    if request.content_type_id != ContentType.objects.get_for_model(SlotBooking).pk:
        return
    booking = SlotBooking.objects.select_for_update().filter(pk=request.object_id).first()
    if booking is None or booking.state == State.BOOKED:
        return
    kind = next(kind for kind in KINDS if getattr(booking, f"{kind}_id"))
    source = sourced_record(kind, getattr(booking, kind))
    if state == OutboundRequest.State.SENT and booking.state == State.REFUSED and source.booked_already():
        # A retried row landed after another booking took the record: the vendor holds a slot nobody here uses.
        booking.refusal = f"Booked at the vendor on a retry (event {request.vendor_id}), but another booking took "
        booking.refusal += "this record meanwhile: cancel that slot at the vendor."
        booking.save(update_fields=["refusal", "updated_at"])
    elif state == OutboundRequest.State.SENT:
        answer = request.vendor_response or {}
        booking.state, booking.event_ref = State.BOOKED, request.vendor_id
        booking.payment_url = str(answer.get("url") or "")[:500]
        booking.save(update_fields=["state", "event_ref", "payment_url", "updated_at"])
        source.fill(booking.profile)
    elif booking.state == State.PENDING:
        booking.state, booking.refusal = State.REFUSED, request.last_error
        booking.save(update_fields=["state", "refusal", "updated_at"])
