"""Visits and punchcard corrections sent to Alaunus through the outbox, landing in the sandbox's state once."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction
from django.utils import timezone

from portal.integrations import outbox
from portal.integrations.models import OutboundRequest
from portal.jobs.models import Patient
from portal.shifts.models import Timecard, Visit
from portal.talent.models import TalentProfile
from tests.vendors.alaunus.conftest import sync_everything
from vendors.alaunus.outbound import schedule_key
from vendors.alaunus.schemas import EventDraft

pytestmark = pytest.mark.django_db

START = dt.datetime(2026, 12, 7, 14, 30, tzinfo=dt.UTC)  # a Monday, 09:30 in Toronto


def event_posts(server) -> list:
    return [r for r in server.requests if r[1] == "POST" and r[2] == "/events"]


@pytest.fixture
def local_visit(alaunus):
    sync_everything(alaunus)
    return Visit.objects.create(
        patient=Patient.objects.filter(connection=alaunus).first(),
        caregiver=TalentProfile.objects.get(email="caregiver0@haltonhomecare.example"),
        starts_at=START,
        ends_at=START + dt.timedelta(hours=3),
        time_zone="America/Toronto",
        notes="Respite while the family is away.",
    )


def test_a_visit_is_created_then_updated_in_order(alaunus, alaunus_server, vendor, local_visit):
    key = schedule_key(local_visit)
    with transaction.atomic():
        created = outbox.enqueue(alaunus, "create_visit", natural_key=key, related=local_visit)
        updated = outbox.enqueue(alaunus, "update_visit", natural_key=key, related=local_visit)
    assert outbox.dispatch(updated.pk).detail == "waiting for an earlier request for the same record"
    assert outbox.dispatch(created.pk).state == "sent"

    created.refresh_from_db()
    local_visit.refresh_from_db()
    event = vendor.data["events"][created.vendor_id]
    assert local_visit.external_id == created.vendor_id and local_visit.connection == alaunus
    assert event["patient"]["_id"] == local_visit.patient.external_id
    assert event["start"] == "2026-12-07T14:30:00Z" and event["duration"] == 3
    user_ids = set(vendor.data["users"])
    assert [a["_id"] for a in event["attendees"]] == [
        ref for ref in local_visit.caregiver.references.values_list("external_id", flat=True) if ref in user_ids
    ], "the caregiver's Alaunus user attends, not their candidate record"

    Visit.objects.filter(pk=local_visit.pk).update(ends_at=START + dt.timedelta(hours=2))
    assert outbox.dispatch(updated.pk).state == "sent"
    assert vendor.data["events"][created.vendor_id]["end"] == "2026-12-07T16:30:00Z"
    assert outbox.dispatch(created.pk).detail == "already sent"
    assert len(event_posts(alaunus_server)) == 1


def test_a_create_that_landed_before_the_worker_died_is_found_not_sent_again(alaunus, alaunus_server, api, local_visit):
    row = outbox.enqueue(alaunus, "create_visit", natural_key=schedule_key(local_visit), related=local_visit)
    user = local_visit.caregiver.references.get(vendor_data__has_key="role").external_id
    landed = api.create_event(
        EventDraft(
            patient=local_visit.patient.external_id,
            start=local_visit.starts_at,
            end=local_visit.ends_at,
            attendees=(user,),
        )
    )
    # The worker that sent it was killed before recording the answer; its lease has run out.
    OutboundRequest.objects.filter(pk=row.pk).update(
        state="sending", attempts=1, sending_started_at=timezone.now() - dt.timedelta(hours=1)
    )
    assert outbox.dispatch(row.pk).state == "sent"
    row.refresh_from_db()
    local_visit.refresh_from_db()
    assert row.vendor_id == landed["_id"] == local_visit.external_id
    assert len(event_posts(alaunus_server)) == 1, "only the attempt that landed"


def test_a_visit_for_a_patient_alaunus_does_not_know_is_refused_before_sending(alaunus, alaunus_server, local_visit):
    local_visit.patient = Patient.objects.create(first_name="Walk-in")
    local_visit.save()
    row = outbox.enqueue(alaunus, "create_visit", natural_key=schedule_key(local_visit), related=local_visit)
    assert outbox.dispatch(row.pk).state == "failed"
    row.refresh_from_db()
    assert row.last_error == "Not sent to Alaunus: the patient is not an Alaunus record of this connection."
    assert event_posts(alaunus_server) == []


def test_a_corrected_punchcard_lands_in_alaunus(alaunus, vendor):
    sync_everything(alaunus)
    card = Timecard.objects.filter(connection=alaunus).select_related("visit").first()
    new_out = card.check_in + dt.timedelta(hours=2, minutes=30)
    Timecard.objects.filter(pk=card.pk).update(check_out=new_out)
    row = outbox.enqueue(alaunus, "correct_punchcard", natural_key=f"punchcard:{card.pk}", related=card)
    assert outbox.dispatch(row.pk).state == "sent"
    actual = vendor.data["punchcards"][card.external_id]["actual"]
    assert actual["end"] == new_out.astimezone(dt.UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
    assert actual["duration"] == 2.5
