"""Portal status changes reach CareerBuilder through the outbox: written with the change, sent once and in order,
mapped by an editable status map, refused before sending when the doc's rules are broken."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction
from django.utils import timezone

from portal.integrations import outbox
from portal.integrations.models import OutboundRequest
from portal.integrations.registry import get_provider
from portal.integrations.sync import run_sync
from portal.talent.models import AccountRelationship, CandidateStatus
from tests.contracts.factories import EngagementFactory
from tests.jobs.factories import JobRequisitionFactory
from tests.talent.factories import AccountRelationshipFactory, TalentProfileFactory
from vendors.base.client import RetryPolicy
from vendors.careerbuilder.mapping import natural_key_of

pytestmark = pytest.mark.django_db


def puts(server):
    return [r for r in server.requests if r[0] == "careerbuilder" and r[1] == "PUT"]


def held(vendor, **wanted):
    return [s for s in vendor.world.statuses.values() if all(s.get(k) == v for k, v in wanted.items())]


def move(relationship: AccountRelationship, status: str) -> None:
    relationship.status = status
    relationship.sub_status, relationship.status_reason = "Screened", "Phone screen done"
    relationship.save()


@pytest.fixture
def relationship(careerbuilder):
    """Its creation pushes too (the receivers are connected at start-up); tests look only at the moves they make."""
    made = AccountRelationshipFactory(profile=TalentProfileFactory(email="amara.okafor@example.org"))
    OutboundRequest.objects.all().delete()
    return made


def test_a_relationship_move_is_pushed_as_the_candidate_status(careerbuilder, relationship, pushing, cb_sandbox):
    vendor = cb_sandbox.vendors["careerbuilder"]
    with transaction.atomic():
        move(relationship, "prospect")
        row = OutboundRequest.objects.get()
    assert (row.operation, row.natural_key) == ("push_status", natural_key_of(row.payload))
    assert row.related_object == relationship
    assert outbox.dispatch(row.pk).state == "sent"

    [status] = vendor.world.statuses.values()
    assert status == {
        "account": "AAAA_1234",
        "candidate_email": "amara.okafor@example.org",
        "vendor_key": "staffing-portal",
        "client": "StaffingPortal",
        "level_id": f"talent-{relationship.profile_id}",
        "status": "Pipeline",
        "status_date": relationship.status_changed_at.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "status_level": "candidate",
        "status_detail": "Screened - Phone screen done",
    }
    row.refresh_from_db()
    assert row.vendor_response == "Created/updated status."


def test_the_push_is_part_of_the_change_and_a_save_without_a_move_pushes_nothing(careerbuilder, relationship, pushing):
    with pytest.raises(RuntimeError), transaction.atomic():
        move(relationship, "prospect")
        raise RuntimeError("the coordinator's save failed after the status moved")
    assert not OutboundRequest.objects.exists(), "rolled back with the change"

    relationship.refresh_from_db()
    relationship.source = "Referral"
    relationship.save()
    assert not OutboundRequest.objects.exists()


def test_moves_of_one_status_are_sent_in_order_and_the_latest_is_held(careerbuilder, relationship, pushing, cb_sandbox):
    move(relationship, "prospect")
    relationship.status_changed_at = None  # a later move
    move(relationship, "review")
    first, second = OutboundRequest.objects.order_by("pk")
    assert first.natural_key == second.natural_key
    assert outbox.dispatch(second.pk).detail == "waiting for an earlier request for the same record"
    assert outbox.dispatch(first.pk).state == "sent"
    assert outbox.dispatch(second.pk).state == "sent"
    assert [s["status"] for s in cb_sandbox.vendors["careerbuilder"].world.statuses.values()] == ["Reviewed"]


def test_an_engagement_move_is_pushed_as_the_application_to_its_requisition(pushing, careerbuilder, cb_sandbox):
    job = JobRequisitionFactory(external_id="KAM-77", connection=None)
    engagement = EngagementFactory(talent=TalentProfileFactory(email="bea@example.org"), job_requisition=job)
    OutboundRequest.objects.all().delete()  # the creation's own push
    engagement.status = "submitted"
    engagement.save()
    row = OutboundRequest.objects.get()
    assert outbox.dispatch(row.pk).state == "sent"
    [status] = held(cb_sandbox.vendors["careerbuilder"], candidate_email="bea@example.org")
    assert (status["status_level"], status["requisition_id"], status["status"]) == (
        "application",
        "KAM-77",
        "Submitted",
    )
    assert status["requisition_title"] == job.name and status["level_id"] == f"engagement-{engagement.pk}"


def test_an_engagement_without_a_requisition_has_no_application_to_push(pushing, careerbuilder):
    engagement = EngagementFactory()
    engagement.status = "submitted"
    engagement.save()
    assert not OutboundRequest.objects.exists()


def test_an_admin_status_map_renames_a_status_or_stops_pushing_it(careerbuilder, relationship, pushing, cb_sandbox):
    careerbuilder.credentials = {
        **careerbuilder.credentials,
        "status_map": '{"relationship": {"prospect": "Talent pool", "review": ""}}',
    }
    careerbuilder.save()
    move(relationship, "prospect")
    row = OutboundRequest.objects.get()
    assert row.payload["status"] == "Talent pool"
    relationship.status_changed_at = None
    move(relationship, "review")
    assert OutboundRequest.objects.count() == 1, "review maps to nothing: not pushed"
    move(relationship, "engaged")
    assert OutboundRequest.objects.latest("pk").payload["status"] == "Engaged", "unmapped keys keep the default"


def test_a_status_against_the_doc_is_parked_with_its_field_errors_and_never_sent(
    careerbuilder, relationship, pushing, cb_sandbox
):
    careerbuilder.credentials = {**careerbuilder.credentials, "account": "A" * 21}
    careerbuilder.save()
    relationship.profile.email = "not-an-address"
    relationship.profile.save()
    move(relationship, "prospect")
    row = OutboundRequest.objects.get()
    assert outbox.dispatch(row.pk).state == "failed"
    row.refresh_from_db()
    assert row.last_error.startswith("Not sent to CareerBuilder: account: Ensure this value has at most 20 characters")
    assert "candidate_email: Enter a valid email address." in row.last_error
    assert outbox.failure_for(relationship) == row
    assert puts(cb_sandbox) == []


def test_a_push_whose_worker_died_after_sending_is_not_sent_again(careerbuilder, relationship, pushing, cb_sandbox):
    move(relationship, "prospect")
    row = OutboundRequest.objects.get()
    assert outbox.dispatch(row.pk).state == "sent"
    # As if the worker was killed after CareerBuilder stored it but before the row said so.
    stale = timezone.now() - dt.timedelta(hours=1)
    OutboundRequest.objects.filter(pk=row.pk).update(state="sending", sending_started_at=stale)
    assert row.pk in outbox.due_request_ids()
    outcome = outbox.dispatch(row.pk)
    row.refresh_from_db()
    assert outcome.state == "sent" and "already_held" in row.vendor_response
    assert len(puts(cb_sandbox)) == 1, "found at CareerBuilder by its unique key, not PUT twice"


def test_a_pushed_status_comes_back_on_the_next_sync(careerbuilder, relationship, pushing):
    move(relationship, "prospect")
    outbox.dispatch(OutboundRequest.objects.get().pk)
    run = run_sync(careerbuilder, "candidate_statuses")
    assert run.created == 1
    pulled = CandidateStatus.objects.get()
    assert (pulled.profile, pulled.vendor_key, pulled.status) == (relationship.profile, "staffing-portal", "Pipeline")


def test_a_push_made_while_careerbuilder_is_down_is_delivered_once_it_is_back(
    careerbuilder, relationship, pushing, cb_sandbox
):
    # The dispatcher reuses this process's client: fewer, quicker retries keep the test short.
    get_provider("careerbuilder").client(careerbuilder).retry = RetryPolicy(attempts=2, wait_initial=0.05)
    cb_sandbox.stop()
    move(relationship, "prospect")
    row = OutboundRequest.objects.get()
    first = outbox.dispatch(row.pk)
    assert first.state == "pending" and first.retry_in is not None
    assert "CareerBuilder could not be reached" in first.detail

    cb_sandbox.start()
    OutboundRequest.objects.filter(pk=row.pk).update(next_attempt_at=None)
    assert outbox.dispatch(row.pk).state == "sent"
    assert len(puts(cb_sandbox)) == 1
    assert [s["status"] for s in cb_sandbox.vendors["careerbuilder"].world.statuses.values()] == ["Pipeline"]
