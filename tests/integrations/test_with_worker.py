"""With a real Celery worker, Redis and the sandbox over HTTP: a killed worker loses and doubles nothing, an
outage delays but never loses a request, and signed webhooks from the sandbox fill a shift once, in order."""

from __future__ import annotations

import datetime as dt

import httpx
import pytest
from django.db import transaction
from django.utils import timezone

from portal.integrations import outbox
from portal.integrations.models import OutboundRequest, WebhookEvent
from portal.integrations.tasks import dispatch_due_outbound
from portal.shifts.models import ShiftRequest
from tests.integrations.fixtures import WEBHOOK_SECRET
from tests.shifts.factories import ShiftRequestFactory
from tests.support.processes import wait_until

pytestmark = pytest.mark.django_db(transaction=True)


def state_of(row):
    row.refresh_from_db()
    return row.state


def test_a_worker_killed_mid_send_loses_nothing_and_doubles_nothing(sandbox, intelycare, celery_worker):
    shift = ShiftRequestFactory()
    vendor = sandbox.vendors["intelycare"]
    # IntelyCare takes the shift, then answers three seconds late: the worker dies while waiting.
    sandbox.add_fault("slow", count=1, path="/v1/shifts")
    with transaction.atomic():
        row = outbox.enqueue(intelycare, "create_shift", natural_key=shift.external_shift_id, related=shift)
    wait_until(lambda: vendor.shifts, message="IntelyCare to receive the shift")
    celery_worker.kill()
    assert state_of(row) == "sending", "the row says a send was under way"
    [internal_id] = vendor.shifts

    celery_worker.start()
    # Two minutes later the lease of the dead worker's send has run out; beat's sweep picks the row up.
    OutboundRequest.objects.filter(pk=row.pk).update(sending_started_at=timezone.now() - dt.timedelta(minutes=10))
    dispatch_due_outbound.delay()
    wait_until(lambda: state_of(row) == "sent", timeout=30, message="the row to be reconciled")

    assert list(vendor.shifts) == [internal_id], "one shift at IntelyCare"
    assert row.vendor_id == str(internal_id) and row.attempts == 2
    shift.refresh_from_db()
    assert shift.external_id == str(internal_id)


def test_a_request_made_while_the_vendor_is_down_is_delivered_once_when_it_is_back(sandbox, intelycare, celery_worker):
    shift = ShiftRequestFactory()
    sandbox.stop()
    with transaction.atomic():
        row = outbox.enqueue(intelycare, "create_shift", natural_key=shift.external_shift_id, related=shift)
    wait_until(lambda: state_of(row) == "pending" and row.last_error, timeout=40, message="a failed first attempt")
    assert "could not be reached" in row.last_error
    sandbox.start()
    wait_until(lambda: state_of(row) == "sent", timeout=40, message="delivery after the vendor came back")
    assert len(sandbox.vendors["intelycare"].shifts) == 1
    assert len([r for r in sandbox.requests if r[1] == "POST"]) == 1


def test_sandbox_webhooks_fill_the_shift_once_and_in_order(sandbox, intelycare, celery_worker, live_server):
    sandbox.set_target("intelycare", live_server.url + intelycare.webhook_path, WEBHOOK_SECRET)
    shift = ShiftRequestFactory()
    with transaction.atomic():
        row = outbox.enqueue(intelycare, "create_shift", natural_key=shift.external_shift_id, related=shift)
    wait_until(lambda: state_of(row) == "sent", message="the shift to reach IntelyCare")

    sandbox.tick()  # IntelyCare fills every open shift: a signed Accepted webhook
    wait_until(
        lambda: ShiftRequest.objects.filter(pk=shift.pk, status="filled").exists(), message="the shift to be filled"
    )
    shift.refresh_from_db()
    professional = shift.assigned_professional
    assert professional.email.startswith("intelypro") and professional.email.endswith("@example.org")

    # The same delivery again, and a release stamped before the acceptance, arriving late.
    accepted = sandbox.deliveries[0]
    sandbox.deliver(type(accepted)("intelycare", accepted.body))
    earlier = (shift.status_changed_at - dt.timedelta(minutes=5)).strftime("%Y-%m-%dT%H:%M:%SZ")
    httpx.post(
        f"{sandbox.vendor_url('intelycare')}/_sandbox/shifts/{shift.external_shift_id}/status",
        json={"shiftStatus": "Released", "statusTimestamp": earlier},
    ).raise_for_status()
    wait_until(
        lambda: WebhookEvent.objects.filter(state__in=["processed", "duplicate"]).count() == 3,
        timeout=30,
        message="all three deliveries to be handled",
    )
    assert sorted(WebhookEvent.objects.values_list("state", flat=True)) == ["duplicate", "processed", "processed"]
    shift.refresh_from_db()
    assert shift.status == "filled" and shift.assigned_professional == professional
