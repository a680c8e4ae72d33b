"""Every page that changes a record at a vendor shows where that change stands, with the same words (issue 17,
item 2): a change waiting after a refusal shows the vendor's reason, the next try and "Try now"; a parked one shows
"Not sent to ...", the reason and "Retry". And whatever records an outbound request carries, a page's list finds
each record's latest request in one query (a property over any sequence of requests)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import pytest
import time_machine
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from portal.integrations import outbox
from portal.integrations.models import OutboundRequest, VendorConnection
from tests.contracts.factories import EngagementFactory
from tests.jobs.factories import JobRequisitionFactory
from tests.shifts.factories import ShiftRequestFactory
from tests.talent.factories import AccountRelationshipFactory

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 3, 1, 12, 0, tzinfo=dt.UTC)
NEXT_TRY = NOW + dt.timedelta(minutes=7)
REASON = "Service Unavailable (the vendor answered 503)"


@dataclass(frozen=True)
class Page:
    vendor: str
    make: Callable[[VendorConnection], object]
    url: Callable[[object], str]
    retry: Callable[[object, OutboundRequest], str]


PAGES = {
    "shift board": Page(
        "intelycare",
        lambda c: ShiftRequestFactory(connection=c),
        lambda shift: reverse("shifts:board") + "?date_from=2026-03-01",
        lambda shift, row: reverse("shifts:retry-delivery", args=[shift.pk, row.pk]),
    ),
    "shift": Page(
        "intelycare",
        lambda c: ShiftRequestFactory(connection=c),
        lambda shift: reverse("shifts:detail", args=[shift.pk]),
        lambda shift, row: reverse("shifts:retry-delivery", args=[shift.pk, row.pk]),
    ),
    "requisition list": Page(
        "kamana",
        lambda c: JobRequisitionFactory(connection=c),
        lambda requisition: reverse("jobs:requisitions"),
        lambda requisition, row: reverse("jobs:requisition-retry", args=[requisition.pk, row.pk]),
    ),
    "requisition": Page(
        "kamana",
        lambda c: JobRequisitionFactory(connection=c),
        lambda requisition: reverse("jobs:requisition", args=[requisition.pk]),
        lambda requisition, row: reverse("jobs:requisition-retry", args=[requisition.pk, row.pk]),
    ),
    "engagement": Page(
        "kamana",
        lambda c: EngagementFactory(connection=c, external_id="kam-1"),
        lambda engagement: reverse("contracts:engagement", args=[engagement.pk]),
        lambda engagement, row: reverse("contracts:retry-delivery", args=[engagement.pk, row.pk]),
    ),
    "relationship": Page(
        "kamana",
        lambda c: AccountRelationshipFactory(connection=c),
        lambda relationship: reverse("talent:timeline", args=[relationship.profile_id]),
        lambda relationship, row: reverse(
            "talent:relationship-retry", args=[relationship.profile_id, relationship.pk, row.pk]
        ),
    ),
}


def stuck(connection: VendorConnection, record: object, **fields) -> OutboundRequest:
    return OutboundRequest.objects.create(
        connection=connection,
        operation="update",
        content_type=ContentType.objects.get_for_model(record),
        object_id=str(record.pk),
        attempts=1,
        last_error=REASON,
        **fields,
    )


def words(page: str) -> str:
    return " ".join(page.split())


@pytest.fixture
def connection_for():
    def make(vendor: str) -> VendorConnection:
        return VendorConnection.objects.create(
            vendor=vendor, name=f"{vendor.title()} East", base_url="http://127.0.0.1:9/", credentials={}
        )

    return make


@pytest.mark.parametrize("name", PAGES)
def test_a_waiting_change_shows_the_vendors_reason_its_next_try_and_try_now(coordinator_client, connection_for, name):
    page = PAGES[name]
    connection = connection_for(page.vendor)
    record = page.make(connection)
    row = stuck(connection, record, state="pending", next_attempt_at=NEXT_TRY)
    with time_machine.travel(NOW, tick=False):
        text = words(coordinator_client.get(page.url(record)).content.decode())
    assert f"Not reached {connection.name} yet: {REASON}; next try" in text
    assert f'datetime="{NEXT_TRY.isoformat()}"' in text and 'data-delivery="waiting"' in text
    assert page.retry(record, row) in text and "Try now" in text


@pytest.mark.parametrize("name", PAGES)
def test_a_parked_change_shows_not_sent_with_the_reason_and_retry(coordinator_client, connection_for, name):
    page = PAGES[name]
    connection = connection_for(page.vendor)
    record = page.make(connection)
    row = stuck(connection, record, state="failed")
    text = words(coordinator_client.get(page.url(record)).content.decode())
    assert f"Not sent to {connection.name}: {REASON}" in text and 'data-delivery="failed"' in text
    assert page.retry(record, row) in text and ">Retry<" in text


def test_try_now_sends_a_waiting_change_at_once_and_leaves_a_sent_one_alone(coordinator_client, connection_for):
    connection = connection_for("intelycare")
    shift = ShiftRequestFactory(connection=connection)
    waiting = stuck(connection, shift, state="pending", next_attempt_at=NEXT_TRY)
    sent = stuck(connection, shift, state="sent")
    board = reverse("shifts:board")
    response = coordinator_client.post(reverse("shifts:retry-delivery", args=[shift.pk, waiting.pk]), {"next": board})
    assert response.status_code == 302 and response.url == board, "back to the page the button was on"
    coordinator_client.post(reverse("shifts:retry-delivery", args=[shift.pk, sent.pk]))
    waiting.refresh_from_db()
    sent.refresh_from_db()
    assert (waiting.state, waiting.next_attempt_at, waiting.attempts) == ("pending", None, 0)
    assert sent.state == "sent", "a sent change is never sent again"


def test_a_retry_never_sends_the_coordinator_to_another_site(coordinator_client, connection_for):
    connection = connection_for("intelycare")
    shift = ShiftRequestFactory(connection=connection)
    row = stuck(connection, shift, state="failed")
    url = reverse("shifts:retry-delivery", args=[shift.pk, row.pk])
    response = coordinator_client.post(url, {"next": "https://evil.example/"})
    assert response.url == reverse("shifts:detail", args=[shift.pk])


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    requests=st.lists(
        st.tuples(st.integers(0, 3), st.sets(st.integers(0, 3), max_size=3), st.sampled_from(["pending", "failed"])),
        min_size=1,
        max_size=8,
    )
)
def test_each_record_shows_its_latest_request_direct_or_carried(connection_for, django_assert_num_queries, requests):
    connection = VendorConnection.objects.filter(vendor="intelycare").first() or connection_for("intelycare")
    shifts = [ShiftRequestFactory(connection=connection) for _ in range(4)]
    expected: dict[int, int] = {}
    for main, carried, state in requests:
        row = outbox.enqueue(connection, "create_shift", related=shifts[main], about=[shifts[i] for i in carried])
        OutboundRequest.objects.filter(pk=row.pk).update(state=state)
        for index in {main, *carried}:
            expected[shifts[index].pk] = row.pk
    ContentType.objects.get_for_model(shifts[0])  # cached, as on any page after the first
    with django_assert_num_queries(1):
        latest = outbox.delivery_states(shifts)
    assert {pk: row.pk for pk, row in latest.items()} == expected


def test_a_reason_that_already_says_not_sent_is_not_said_twice(coordinator_client, connection_for):
    connection = connection_for("intelycare")
    shift = ShiftRequestFactory(connection=connection)
    reason = "Not sent to IntelyCare: the shift request is missing shiftStartTime"
    row = stuck(connection, shift, state="failed")
    OutboundRequest.objects.filter(pk=row.pk).update(last_error=reason)
    text = words(coordinator_client.get(reverse("shifts:detail", args=[shift.pk])).content.decode())
    assert reason in text and f"Not sent to {connection.name}: Not sent to" not in text
