"""When a vendor books someone the portal cannot stop it, so it checks right after (issue 19, "Where the gate
runs"): a saved shift, visit, engagement or contract event with a person on it queues a re-check of that work,
once the save has committed; so does a saved engagement extension (its engagement's) and a live slot booking
(the record it is for, as `work.py` reads it). Syncs write in bulk and send no signal; beat's re-check covers what
they bring."""

from __future__ import annotations

import threading
from typing import Any

from celery import current_app
from django.db import transaction
from django.db.models.signals import post_save

from portal.contracts.models import ContractEvent, Engagement, EngagementExtension
from portal.shifts.models import ShiftRequest, SlotBooking, Visit

__all__ = ["RECHECK_WORK", "connect"]

RECHECK_WORK = "gate.recheck_work"
# model -> the field naming the person on it
PERSON_FIELD = {
    ShiftRequest: "assigned_professional_id",
    Visit: "caregiver_id",
    Engagement: "talent_id",
}


SLOT_RECORDS = (("shift", "shifts.shiftrequest"), ("visit", "shifts.visit"), ("requisition", "jobs.jobrequisition"))


def _work(instance: Any) -> tuple[str, int, int | None]:
    """The work a saved row is (model label, pk) and its person, if any."""
    if isinstance(instance, ContractEvent):
        person = instance.beneficiary.talent_id if instance.beneficiary_id else None
    elif isinstance(instance, EngagementExtension):
        return "contracts.engagement", instance.engagement_id, instance.engagement.talent_id
    elif isinstance(instance, SlotBooking):
        kind, label = next((kind, label) for kind, label in SLOT_RECORDS if getattr(instance, f"{kind}_id"))
        person = None if instance.state == SlotBooking.State.REFUSED else instance.profile_id
        return label, getattr(instance, f"{kind}_id"), person
    else:
        person = getattr(instance, PERSON_FIELD[type(instance)])
    return instance._meta.label_lower, instance.pk, person


_pending = threading.local()


def _send_pending() -> None:
    """One task for everything a transaction booked (a seeding or a webhook batch saves many rows at once)."""
    pending = getattr(_pending, "work", None)
    if pending:
        _pending.work = []
        current_app.send_task(RECHECK_WORK, args=[pending])


def work_saved(sender: type, instance: Any, **kwargs: Any) -> None:
    label, pk, profile_id = _work(instance)
    if profile_id is None:
        return
    if not getattr(_pending, "work", None):
        _pending.work = []
    _pending.work.append([label, pk, profile_id])
    # Every save registers the flush; the first to run after the commit sends all, the rest find nothing. Work of
    # a rolled-back transaction may ride along with the next commit's: re-checking it finds nothing to keep.
    transaction.on_commit(_send_pending)


def connect() -> None:
    for model in (*PERSON_FIELD, ContractEvent, EngagementExtension, SlotBooking):
        post_save.connect(work_saved, sender=model, dispatch_uid=f"gate-recheck-{model._meta.label_lower}")
