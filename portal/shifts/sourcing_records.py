"""The three kinds of record a coordinator sources for (issue 22): an unfilled shift, an unfilled visit and an
open requisition. Each says whether it may be sourced now, what to search for, what the gate is asked when a
person would take it, and what a confirmed booking fills in. The pages and the booking service read only this."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from portal.jobs.models import DEFAULT_TIME_ZONE, JobRequisition
from portal.shifts import services, signals, sourcing, visit_services
from portal.shifts.models import ShiftRequest, SlotBooking, Visit
from portal.talent import assignment_gate
from portal.talent.models import TalentProfile

__all__ = ["KINDS", "Sourced", "live_bookings", "sourced", "sourced_record"]

LIVE = (SlotBooking.State.PENDING, SlotBooking.State.BOOKED)


@dataclass(frozen=True)
class Sourced:
    kind: str  # "shift", "visit" or "requisition": the URL's word and the booking's field
    record: Any
    zone: str
    title: str
    detail_url: str

    @property
    def refusal(self) -> str:
        """Why this record may not be sourced now, or ""."""
        record = self.record
        if self.kind == "shift" and record.status != ShiftRequest.Status.OPEN:
            return "Only an open shift is sourced: this one is not open."
        if self.kind == "visit" and (record.status != Visit.Status.SCHEDULED or record.caregiver_id):
            return "Only a scheduled visit without a caregiver is sourced."
        if self.kind == "requisition" and record.status != JobRequisition.Status.OPEN:
            return "Only an open requisition is sourced."
        return ""

    @property
    def openings(self) -> int:
        """A shift or visit takes one person; a requisition as many as its openings."""
        return self.record.number_of_openings if self.kind == "requisition" else 1

    def booked_already(self) -> bool:
        """Pending or confirmed bookings stand in the way of another once they fill the openings."""
        return live_bookings(self).count() >= self.openings

    def criteria(self) -> sourcing.Criteria:
        if self.kind == "shift":
            return sourcing.criteria_for(self.record)
        if self.kind == "visit":
            return sourcing.visit_criteria(self.record)
        return sourcing.requisition_criteria(self.record, timezone.localdate())

    def gate_booking(self, profile: TalentProfile, slot: tuple[dt.datetime, dt.datetime]) -> assignment_gate.Booking:
        """The record's own work (a shift's, a visit's hours); for a requisition, the booked slot at its facility."""
        if self.kind == "shift":
            return services.shift_booking(self.record, profile)
        if self.kind == "visit":
            return visit_services.visit_booking(self.record, profile)
        about = ("jobs.jobrequisition", self.record.pk)
        return assignment_gate.Booking(profile.pk, *slot, self.record.facility_id, self.zone, about, self.title)

    def fill(self, profile: TalentProfile) -> None:
        """A confirmed booking staffs a record the portal staffs itself (a shift no vendor fills, a visit no
        vendor holds), if it is still unfilled; elsewhere the booking itself says who comes."""
        record = type(self.record).objects.select_for_update().get(pk=self.record.pk)
        if self.kind == "shift" and record.status == ShiftRequest.Status.OPEN and not record.connection_id:
            record.assigned_professional, record.status = profile, ShiftRequest.Status.FILLED
            record.save(update_fields=["assigned_professional", "status", "updated_at"])
        elif self.kind == "visit" and not record.caregiver_id and not record.connection_id and not self.refusal:
            record.caregiver = profile
            record.save(update_fields=["caregiver", "updated_at"])
            signals.visit_saved.send(Visit, visit=record, created=False, changed_fields=frozenset({"caregiver"}))


def live_bookings(source: Sourced) -> models.QuerySet[SlotBooking]:
    return SlotBooking.objects.filter(**{source.kind: source.record}, state__in=LIVE)


KINDS = {
    "shift": (ShiftRequest.objects.select_related("facility__province"), "shifts:detail"),
    "visit": (Visit.objects.select_related("patient__province", "caregiver"), "shifts:visit"),
    "requisition": (JobRequisition.objects.select_related("facility__province", "profession", "specialty"),
                    "jobs:requisition"),
}  # fmt: skip


def sourced_record(kind: str, record: Any) -> Sourced:
    detail = reverse(KINDS[kind][1], args=[record.pk])
    if kind == "shift":
        return Sourced(kind, record, str(record.zone), str(record), detail)
    if kind == "visit":
        return Sourced(kind, record, record.time_zone, str(record), detail)
    facility = record.facility
    zone = facility.time_zone if facility and facility.time_zone else DEFAULT_TIME_ZONE
    return Sourced(kind, record, zone, record.name, detail)


def sourced(kind: str, pk: int) -> Sourced:
    """The record of that kind, or 404."""
    if kind not in KINDS:
        raise Http404("Nothing of that kind is sourced.")
    record = KINDS[kind][0].filter(pk=pk).first()
    if record is None:
        raise Http404("No such record.")
    return sourced_record(kind, record)
