"""Kamana webhooks received and applied in-process (the real receiver and handler, no HTTP per delivery): a
record's row is the newest object received on its own connection, a delete at least as new archives it, ties go
by content hash, whatever the arrival order, duplicates or redeliveries (issue 14)."""

from __future__ import annotations

import copy
import datetime as dt

import pytest
from django.test import RequestFactory
from hypothesis import given
from hypothesis import strategies as st

from portal.integrations.inbox import process_event, receive_webhook
from portal.integrations.models import VendorConnection, WebhookEvent
from portal.jobs.models import Facility, JobRequisition
from portal.talent.models import AccountRelationship, TalentReference
from portal.talent.services import match_or_create_profile
from tests.support.properties import database_property, rolled_back
from tests.talent.factories import AccountRelationshipFactory
from tests.vendors.kamana.support import fixture

pytestmark = pytest.mark.django_db

RELATIONSHIP_ID = "070215f4-1e03-4c59-9034-88fdc41fd445"
PROFILE_ID = "ed1e5081-62bc-4dff-9242-c202aad015ad"
T0 = dt.datetime(2023, 3, 1, 12)


def relationship_event(action, minute, status="interested"):
    """A relationship insert/update (the doc's example with our status and time) or delete, at T0 + minute."""
    name = "webhook_relationship_delete" if action == "delete" else "webhook_relationship_insert"
    payload = copy.deepcopy(fixture(name))
    payload["event_type"] = f"relationship.{action}"
    payload["object"]["updated_at"] = (T0 + dt.timedelta(minutes=minute)).isoformat()
    if action != "delete":
        payload["object"]["status"] = status
        payload["object"]["profile"]["email"] = "george@jetson.test"
    return payload


def deliver(connection, payload) -> WebhookEvent:
    request = RequestFactory().post(connection.webhook_path, data=payload, content_type="application/json")
    receipt = receive_webhook(request, "kamana", connection.webhook_token)
    status, event = receipt.status, receipt.event
    assert status in (200, 202), event.error
    if status == 202:
        process_event(event.pk)
        event.refresh_from_db()
    return event


def row_state(connection):
    row = AccountRelationship.objects.filter(connection=connection, external_id=RELATIONSHIP_ID).first()
    if row is None:
        return None
    return row.status, row.archived_at is not None, row.vendor_updated_at, row.vendor_fingerprint, row.vendor_data


def _connection(name):
    return VendorConnection.objects.create(
        vendor="kamana", name=name, base_url="http://127.0.0.1:9/", credentials={"token": "t", "account_id": "acc-1"}
    )


@pytest.fixture
def east(registered) -> VendorConnection:
    return _connection("Kamana (East)")


@pytest.fixture
def west(registered) -> VendorConnection:
    return _connection("Kamana (West)")


# -- connection scope ------------------------------------------------------------------------------------------------


def test_another_connections_events_never_touch_this_connections_record(east, west):
    deliver(east, relationship_event("insert", 0, "prospect"))
    east_reference = TalentReference.objects.get(connection=east, external_id=PROFILE_ID)
    before = row_state(east)

    assert deliver(west, relationship_event("update", 5, "engaged")).outcome == "relationship.update: created"
    assert deliver(west, relationship_event("delete", 9)).outcome == "relationship.delete: archived"
    assert row_state(east) == before, "east's row is neither changed nor archived by west's deliveries"
    assert row_state(west)[:2] == ("engaged", True)
    west_reference = TalentReference.objects.get(connection=west, external_id=PROFILE_ID)
    assert west_reference.profile_id == east_reference.profile_id, "one person, one reference per connection"
    assert TalentReference.objects.get(pk=east_reference.pk).vendor_updated_at == east_reference.vendor_updated_at


def test_a_portal_only_record_with_the_same_id_is_never_reached(east):
    local = AccountRelationshipFactory(connection=None, external_id=RELATIONSHIP_ID)  # the portal's own row
    assert deliver(east, relationship_event("delete", 5)).outcome == "relationship.delete: nothing to archive"
    assert deliver(east, relationship_event("update", 7, "review")).outcome == "relationship.update: created"
    local.refresh_from_db()
    assert (local.connection, local.status, local.archived_at) == (None, "interested", None)


def test_a_nested_facility_is_stored_per_connection_and_never_renamed_by_another(east, west):
    event = fixture("webhook_job_requisition_update")
    deliver(east, event)
    renamed = copy.deepcopy(event)
    renamed["object"]["client_location"]["name"] = "Renamed at West"
    renamed["object"]["client_location"]["updated_at"] = "2023-01-01T00:00:00"
    # Left out: jobs.Province is unique by state code across connections, so West's own FL would collide with
    # East's (an IntegrityError; reported to the lead, the model is not this change's).
    del renamed["object"]["client_location"]["province"]
    assert deliver(west, renamed).state == "processed"
    location_id = event["object"]["client_location"]["id"]
    names = dict(Facility.objects.filter(external_id=location_id).values_list("connection__name", "name"))
    assert names == {"Kamana (East)": event["object"]["client_location"]["name"], "Kamana (West)": "Renamed at West"}
    requisitions = JobRequisition.objects.filter(external_id=event["object"]["id"])
    assert {r.connection_id: r.facility.connection_id for r in requisitions} == {east.pk: east.pk, west.pk: west.pk}


# -- order independence --------------------------------------------------------------------------------------------


def test_a_delete_received_before_the_record_archives_it_when_it_comes(east):
    assert deliver(east, relationship_event("delete", 5)).outcome == "relationship.delete: nothing to archive"
    outcome = deliver(east, relationship_event("insert", 0)).outcome
    assert outcome == "relationship.create: created, then archived: a delete at least as new was received"
    assert row_state(east)[:2] == ("interested", True)


def test_equal_times_with_different_content_are_decided_by_content_not_arrival(east):
    first, second = relationship_event("update", 0, "review"), relationship_event("update", 0, "prospect")
    deliver(east, first)
    deliver(east, second)
    one_way = row_state(east)
    AccountRelationship.objects.all().delete()
    WebhookEvent.objects.all().delete()
    deliver(east, second)
    deliver(east, first)
    assert row_state(east) == one_way


def test_a_newer_state_with_the_same_fields_still_moves_the_vendor_time(east):
    deliver(east, relationship_event("update", 0, "review"))
    deliver(east, relationship_event("update", 9, "review"))
    deliver(east, relationship_event("update", 5, "prospect"))  # older than the last: ignored
    status, archived, at, *_ = row_state(east)
    assert (status, archived, at) == ("review", False, dt.datetime(2023, 3, 1, 12, 9, tzinfo=dt.UTC))


histories = st.lists(
    st.tuples(
        st.sampled_from(["insert", "update", "update", "delete"]),
        st.integers(0, 4),  # few minutes: many ties
        st.sampled_from(["interested", "prospect", "review", "engaged"]),
    ),
    min_size=1,
    max_size=6,
).map(lambda events: list(dict.fromkeys((a, m, "" if a == "delete" else s) for a, m, s in events)))


@database_property
@given(
    history=histories,
    permutation=st.randoms(use_true_random=False),
    duplicated=st.lists(st.integers(0, 5), max_size=3),
    redelivered=st.lists(st.integers(0, 5), max_size=2),
)
def test_any_permutation_with_duplicates_and_redeliveries_ends_as_in_order_delivery(
    east, history, permutation, duplicated, redelivered
):
    with rolled_back():
        # The person exists first, so both deliveries below link the relationship to the same profile row.
        match_or_create_profile(connection=east, external_id=PROFILE_ID, email="george@jetson.test")
        with rolled_back():
            for action, minute, status in sorted(history, key=lambda item: item[1]):
                deliver(east, relationship_event(action, minute, status or "interested"))
            in_order = row_state(east)

        arrivals = history + [history[i % len(history)] for i in duplicated]
        permutation.shuffle(arrivals)
        for action, minute, status in arrivals:
            deliver(east, relationship_event(action, minute, status or "interested"))
        for i in redelivered:
            action, minute, status = history[i % len(history)]
            assert deliver(east, relationship_event(action, minute, status or "interested")).state == "duplicate"

        assert row_state(east) == in_order
        applied = WebhookEvent.objects.filter(state="processed")
        assert applied.count() == len(history), "each distinct event stored and applied exactly once"
