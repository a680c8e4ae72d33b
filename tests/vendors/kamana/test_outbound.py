"""Local changes reach Kamana through the outbox: written with the change by the receivers `Provider.ready()`
connects, sent in order per record, checked before sending, and never sent twice after a worker died mid-call."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction
from django.utils import timezone

from portal.contracts.models import Engagement, EngagementExtension
from portal.integrations import outbox
from portal.integrations.models import OutboundRequest
from portal.integrations.sync import run_sync
from portal.jobs.models import Facility, JobRequisition, Profession, Specialty
from portal.talent.models import AccountRelationship
from tests.talent.factories import TalentProfileFactory
from tests.vendors.kamana.conftest import deliver, sent_webhooks

pytestmark = pytest.mark.django_db


@pytest.fixture
def synced(kamana):
    for name in ("professions", "specialties", "facilities"):
        run_sync(kamana, name)
    return kamana


def posts(server, path: str) -> int:
    return sum(1 for r in server.requests if r[1] == "POST" and r[2] == path)


def new_requisition(connection, **values) -> JobRequisition:
    with transaction.atomic():
        return JobRequisition.objects.create(
            connection=connection,
            name=values.pop("name", "ICU travel RN"),
            facility=Facility.objects.first(),
            profession=Profession.objects.first(),
            specialty=Specialty.objects.first(),
            job_type="Travel Contract",
            number_of_openings=2,
            years_of_experience=3,
            hours_per_week=36,
            shift_start_hour=19,
            shift_end_hour=7,
            **values,
        )


def as_if_a_worker_died_mid_call(row: OutboundRequest) -> None:
    OutboundRequest.objects.filter(pk=row.pk).update(
        state="sending", attempts=1, sending_started_at=timezone.now() - dt.timedelta(hours=1)
    )


def test_a_new_requisition_is_created_then_updated_in_order(synced, pushing, vendor, kamana_server):
    requisition = new_requisition(synced)
    create = OutboundRequest.objects.get()
    assert (create.operation, create.natural_key) == (
        "create_job_requisition",
        f"portal-jobrequisition-{requisition.pk}",
    )
    requisition.name = "ICU nights"
    requisition.save()
    update = OutboundRequest.objects.latest("pk")
    assert update.operation == "update_job_requisition" and update.natural_key == create.natural_key
    assert outbox.dispatch(update.pk).state == "skipped", "waits for the create of the same record"
    assert outbox.dispatch(create.pk).state == "sent"
    requisition.refresh_from_db()
    held = vendor.world.requisitions[requisition.external_id]
    assert held["source_reference_number"] == create.natural_key
    assert (held["shift_start_time"], held["shift_end_time"], held["hours_per_week"]) == (19, 7, 36)
    assert requisition.reference_number == held["reference_number"] != "", "Kamana's reference kept before a sync"
    assert outbox.dispatch(update.pk).state == "sent"
    assert vendor.world.requisitions[requisition.external_id]["name"] == "ICU nights"
    assert posts(kamana_server, "/job_requisitions") == 1


def test_a_create_that_landed_before_a_crash_is_found_not_resent(synced, pushing, vendor, kamana_server):
    requisition = new_requisition(synced)
    row = OutboundRequest.objects.get()
    outbox.dispatch(row.pk)
    landed = len(vendor.world.requisitions)
    JobRequisition.objects.filter(pk=requisition.pk).update(external_id="")  # the answer was lost
    as_if_a_worker_died_mid_call(row)
    assert outbox.dispatch(row.pk).state == "sent"
    assert len(vendor.world.requisitions) == landed
    assert posts(kamana_server, "/job_requisitions") == 1
    requisition.refresh_from_db()
    assert requisition.external_id == OutboundRequest.objects.get(pk=row.pk).vendor_id


def test_a_requisition_kamana_would_refuse_is_parked_with_field_errors(synced, pushing, kamana_server):
    new_requisition(synced, contract_length_weeks=40, name="Too long")
    row = OutboundRequest.objects.get()
    outcome = outbox.dispatch(row.pk)
    assert outcome.state == "failed" and "contract_length" in outcome.detail
    assert posts(kamana_server, "/job_requisitions") == 0


@pytest.fixture
def relationship(kamana, vendor):
    """A relationship Kamana holds, mirrored before the receivers are connected."""
    kamana_id = next(iter(vendor.world.relationships))
    return AccountRelationship.objects.create(
        connection=kamana, external_id=kamana_id, profile=TalentProfileFactory(), account_ref=vendor.world.account_id
    )


def test_a_status_move_and_do_not_hire_reach_kamana(relationship, pushing, vendor, kamana):
    with transaction.atomic():
        relationship.status = "archived"
        relationship.sub_status, relationship.status_reason = "Not a fit", "Declined two offers"
        relationship.do_not_hire = True
        relationship.save()
    rows = list(OutboundRequest.objects.order_by("pk"))
    assert [r.operation for r in rows] == ["update_relationship_status", "set_do_not_hire"]
    assert all(outbox.dispatch(r.pk).state == "sent" for r in rows)
    held = vendor.world.relationships[relationship.external_id]
    assert (held["status"], held["sub_status"], held["status_reason"]) == (
        "archived",
        "Not a fit",
        "Declined two offers",
    )
    assert held["do_not_hire?"] is True and held["do_not_hire_user_id"] == kamana.credentials["user_id"]


@pytest.fixture
def engagement(kamana, vendor):
    kamana_id = next(iter(vendor.world.engagements))
    return Engagement.objects.create(
        connection=kamana,
        external_id=kamana_id,
        talent=TalentProfileFactory(),
        status="placed",
        starts_on=dt.date(2026, 3, 2),
        ends_on=dt.date(2026, 5, 30),
        vendor_data={"id": kamana_id, "client_contract_id": None},
    )


def test_an_engagement_edit_and_a_new_extension_reach_kamana(engagement, pushing, vendor, kamana_server, client):
    engagement.hours_per_week, engagement.regular_hourly_rate = 40, "61.25"
    engagement.shift_start_time, engagement.shift_end_time = 7, 19
    engagement.save()
    with transaction.atomic():
        extension = EngagementExtension.objects.create(
            engagement=engagement, starts_on=dt.date(2026, 6, 1), ends_on=dt.date(2026, 8, 29)
        )
    update, create = OutboundRequest.objects.order_by("pk")
    assert (update.operation, create.operation) == ("update_engagement", "create_engagement_extension")
    assert update.natural_key == create.natural_key, "an engagement's changes go out in the order made"
    assert outbox.dispatch(update.pk).state == "sent"
    held = vendor.world.engagements[engagement.external_id]
    assert (held["hours_per_week"], held["regular_hourly_rate"], held["ends_on"]) == (40, "61.25", "2026-05-30")
    echo = sent_webhooks(kamana_server)[-1]
    assert deliver(client, engagement.connection, echo).outcome == "engagement.update: applied"
    engagement.refresh_from_db()
    assert engagement.talent_id is not None, "Kamana's profile is unknown here: the local talent is kept"
    assert OutboundRequest.objects.count() == 2, "Kamana's echo of our change is not pushed back"

    outbox.dispatch(create.pk)
    EngagementExtension.objects.filter(pk=extension.pk).update(external_id="")
    as_if_a_worker_died_mid_call(create)
    assert outbox.dispatch(create.pk).state == "sent", "found by its dates, not created twice"
    [held_extension] = vendor.world.extensions[engagement.external_id].values()
    assert (held_extension["starts_on"], held_extension["ends_on"]) == ("2026-06-01", "2026-08-29")
    assert posts(kamana_server, f"/engagements/{engagement.external_id}/extensions") == 1


def test_a_client_contract_kamana_already_holds_cannot_be_replaced(engagement, pushing, vendor):
    Engagement.objects.filter(pk=engagement.pk).update(vendor_data={"client_contract_id": "held-contract"})
    engagement.refresh_from_db()
    engagement.client_contract_id = "another-contract"
    engagement.save()
    outcome = outbox.dispatch(OutboundRequest.objects.get().pk)
    assert outcome.state == "failed" and "client_contract_id" in outcome.detail
    assert vendor.world.engagements[engagement.external_id]["client_contract_id"] is None
