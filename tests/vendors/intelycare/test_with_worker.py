"""IntelyCare end to end with a real Celery worker, Redis and the sandbox over HTTP: the shift the portal sends is
filled by the sandbox's signed webhook once, and a repeated delivery or a release stamped earlier changes nothing.
(The worker machinery itself, on IntelyCare's sends and bursts, is tests/integrations/test_with_worker.py.)"""

from __future__ import annotations

import datetime as dt

import httpx
import pytest
from django.db import transaction

from portal.integrations import outbox
from portal.integrations.models import OutboundRequest, WebhookEvent
from portal.shifts.models import ShiftRequest
from tests.shifts.factories import ShiftRequestFactory
from tests.support.processes import wait_until
from tests.vendors.intelycare.fixtures import WEBHOOK_SECRET

pytestmark = pytest.mark.django_db(transaction=True)


def test_sandbox_webhooks_fill_the_shift_once_and_in_order(sandbox, intelycare, celery_worker, live_server):
    sandbox.set_target("intelycare", live_server.url + intelycare.webhook_path, WEBHOOK_SECRET)
    shift = ShiftRequestFactory(connection=intelycare)
    with transaction.atomic():
        row = outbox.enqueue(intelycare, "create_shift", natural_key=shift.external_shift_id, related=shift)
    sent = OutboundRequest.objects.filter(pk=row.pk, state="sent")
    wait_until(sent.exists, message="the shift to reach IntelyCare")

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
