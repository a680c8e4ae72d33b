"""IntelyCare status webhooks, received and applied in-process (the real receiver and handler, no HTTP): a shift's
state is the fold of its events on its own connection, whatever order, duplicates or redeliveries (issue 14)."""

from __future__ import annotations

import datetime as dt
import importlib

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from hypothesis import given
from hypothesis import strategies as st

from portal.integrations.inbox import process_event, receive_webhook
from portal.integrations.models import VendorConnection, WebhookEvent
from tests.shifts.factories import ShiftRequestFactory
from tests.support.properties import database_property, rolled_back
from tests.vendors.intelycare.fixtures import WEBHOOK_SECRET, signed

pytestmark = pytest.mark.django_db

PROFESSIONALS = {
    name: {"id": str(n), "firstName": name.title(), "lastName": "Nurse", "email": f"{name}@example.com"}
    for n, name in enumerate(["florence", "clara", "mary"], start=456789)
}


def status_event(shift, status, minute, professional="florence"):
    payload = {
        "clientId": 1234,
        "externalShiftId": shift.external_shift_id,
        "shiftStatus": status,
        "statusTimestamp": (dt.datetime(2024, 1, 17, 15) + dt.timedelta(minutes=minute)).isoformat(),
    }
    if status == "Accepted":
        payload["healthcareProfessional"] = PROFESSIONALS[professional or "florence"]
    return payload


def deliver(connection, payload, *, apply=True) -> WebhookEvent:
    """Through the real receiver (signature, dedupe, store), then applied as the drain applies a queued event."""
    body, headers = signed(payload)
    request = RequestFactory().post(connection.webhook_path, data=body, content_type="application/json", **headers)
    receipt = receive_webhook(request, "intelycare", connection.webhook_token)
    status, event = receipt.status, receipt.event
    assert status in (200, 202), event.error
    if apply and status == 202:
        process_event(event.pk)
        event.refresh_from_db()
    return event


def reported_state(shift):
    shift.refresh_from_db()
    professional = shift.assigned_professional
    return shift.status, professional.email if professional else None, shift.status_changed_at


@pytest.fixture
def boston(db) -> VendorConnection:
    return _connection("IntelyCare (Boston)")


@pytest.fixture
def denver(db) -> VendorConnection:
    return _connection("IntelyCare (Denver)")


def _connection(name):
    return VendorConnection.objects.create(
        vendor="intelycare",
        name=name,
        base_url="http://127.0.0.1:9/",
        credentials={"api_key": "key", "client_id": "1234", "webhook_secret": WEBHOOK_SECRET},
    )


# -- connection scope ------------------------------------------------------------------------------------------------


def test_a_delivery_on_another_connection_never_touches_the_shift_and_is_kept_with_its_outcome(boston, denver):
    shift = ShiftRequestFactory(connection=boston)
    event = deliver(denver, status_event(shift, "Accepted", 0))
    assert event.state == "processed"
    expected = f"accepted: no such shift on this connection ({shift.external_shift_id}); kept, nothing applied"
    assert event.outcome == expected
    assert reported_state(shift) == ("open", None, None)


def test_a_portal_only_shift_with_the_same_number_is_never_reached(boston):
    shift = ShiftRequestFactory(connection=None)
    assert "no such shift on this connection" in deliver(boston, status_event(shift, "Accepted", 0)).outcome
    assert reported_state(shift) == ("open", None, None)


def test_events_stored_on_another_connection_never_enter_the_fold(boston, denver):
    shift = ShiftRequestFactory(connection=boston)
    deliver(denver, status_event(shift, "Released", 5))  # newer, but not this shift's connection
    deliver(boston, status_event(shift, "Accepted", 0))
    assert reported_state(shift)[:2] == ("filled", "florence@example.com")


# -- order independence --------------------------------------------------------------------------------------------


def test_an_older_accepted_arriving_after_a_newer_released_leaves_the_shift_open(boston):
    shift = ShiftRequestFactory(connection=boston)
    deliver(boston, status_event(shift, "Released", 5))
    assert deliver(boston, status_event(shift, "Accepted", 0)).outcome == (
        "accepted: folded with the shift's other events, no change"
    )
    assert reported_state(shift)[:2] == ("open", None)


def test_a_completed_arriving_first_gets_its_professional_from_the_older_accepted(boston):
    shift = ShiftRequestFactory(connection=boston)
    deliver(boston, status_event(shift, "Accepted", 0, "clara"))
    deliver(boston, status_event(shift, "Completed", 540))
    deliver(boston, status_event(shift, "Accepted", -10, "mary"))  # an earlier fill, replaced by clara's
    assert reported_state(shift)[:2] == ("completed", "clara@example.com")


def test_a_stored_but_unapplied_event_is_folded_by_the_first_event_applied(boston):
    shift = ShiftRequestFactory(connection=boston)
    released = deliver(boston, status_event(shift, "Released", 5), apply=False)
    deliver(boston, status_event(shift, "Accepted", 0))
    assert reported_state(shift)[:2] == ("open", None)
    process_event(released.pk)
    assert reported_state(shift)[:2] == ("open", None)


histories = st.lists(
    st.tuples(
        st.sampled_from(["Accepted", "Released", "Completed", "Deleted"]),
        st.integers(0, 5),  # few minutes: many ties in vendor time
        st.sampled_from(sorted(PROFESSIONALS)),
    ),
    min_size=1,
    max_size=6,
).map(lambda events: list(dict.fromkeys((s, m, who if s == "Accepted" else "") for s, m, who in events)))


@database_property
@given(
    history=histories,
    permutation=st.randoms(use_true_random=False),
    duplicated=st.lists(st.integers(0, 5), max_size=3),
    redelivered=st.lists(st.integers(0, 5), max_size=2),
)
def test_any_permutation_with_duplicates_and_redeliveries_ends_as_in_order_delivery(
    boston, history, permutation, duplicated, redelivered
):
    with rolled_back():
        shift = ShiftRequestFactory(connection=boston)
        with rolled_back():  # the same shift (ties are broken by content, which names the shift), delivered in order
            for status, minute, who in sorted(history, key=lambda item: item[1]):
                deliver(boston, status_event(shift, status, minute, who))
            in_order = reported_state(shift)

        arrivals = history + [history[i % len(history)] for i in duplicated]
        permutation.shuffle(arrivals)
        for status, minute, who in arrivals:
            deliver(boston, status_event(shift, status, minute, who))
        for i in redelivered:  # after everything was applied, the vendor sends some again
            status, minute, who = history[i % len(history)]
            assert deliver(boston, status_event(shift, status, minute, who)).state == "duplicate"

        assert reported_state(shift) == in_order
        applied = WebhookEvent.objects.filter(state="processed")
        assert applied.count() == len(history), "each distinct event stored and applied exactly once"
        assert set(applied.values_list("attempts", flat=True)) == {1}


def test_events_stored_before_subjects_existed_are_filed_by_the_migration_and_folded(boston):
    from django.apps import apps

    migration = importlib.import_module("portal.integrations.migrations.0007_webhook_event_subject")
    shift = ShiftRequestFactory(connection=boston)
    accepted = deliver(boston, status_event(shift, "Accepted", 0, "clara"))
    WebhookEvent.objects.filter(pk=accepted.pk).update(subject="")  # as stored before the upgrade
    unreadable = WebhookEvent.objects.create(
        connection=boston, vendor="intelycare", state="processed", dedupe_key="sha256:x", body="not json"
    )

    migration.file_stored_events(apps, None)
    assert WebhookEvent.objects.get(pk=accepted.pk).subject == f"shift:{shift.external_shift_id}"
    assert WebhookEvent.objects.get(pk=unreadable.pk).subject == "", "left unfiled, not a failed upgrade"
    deliver(boston, status_event(shift, "Completed", 540))
    assert reported_state(shift)[:2] == ("completed", "clara@example.com"), "the pre-upgrade Accepted is folded in"


# -- parse once, lock once -------------------------------------------------------------------------------------------


def test_an_apply_reads_its_shift_once_under_the_lock_and_never_re_reads_its_own_body(
    boston, django_assert_max_num_queries
):
    shift = ShiftRequestFactory(connection=boston)
    deliver(boston, status_event(shift, "Released", 5))
    accepted = deliver(boston, status_event(shift, "Accepted", 0), apply=False)
    with (
        CaptureQueriesContext(connection) as applied,
        django_assert_max_num_queries(8),
    ):  # 4 of them: two savepoints and their releases
        assert process_event(accepted.pk) == "accepted: folded with the shift's other events, no change"
    shift_reads = [q["sql"] for q in applied.captured_queries if 'FROM "shifts_shiftrequest"' in q["sql"]]
    assert len(shift_reads) == 1 and shift_reads[0].endswith('FOR NO KEY UPDATE OF "shifts_shiftrequest"')
    body_reads = [
        q["sql"] for q in applied.captured_queries if q["sql"].startswith('SELECT "integrations_webhookevent"."body"')
    ]
    assert body_reads == [], "the event's own body is read with its row, and parsed once"
