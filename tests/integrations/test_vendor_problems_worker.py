"""Issue 14 with the real worker: a sync task that meets a requisition with unreadable values, and a webhook
applied by the worker with a garbled professional, both keep the portal's values and record the warnings."""

from __future__ import annotations

import pytest

from portal.integrations.models import SyncRun, WebhookEvent
from portal.integrations.sync import run_sync
from portal.integrations.tasks import sync_resource
from portal.jobs.models import JobRequisition
from portal.talent.models import TalentReference
from tests.shifts.factories import ShiftRequestFactory
from tests.support.processes import wait_until
from tests.vendors.intelycare.fixtures import signed
from tests.vendors.kamana import conftest as kamana_fixtures

registered, kamana_server, vendor, kamana = (
    kamana_fixtures.registered,
    kamana_fixtures.kamana_server,
    kamana_fixtures.vendor,
    kamana_fixtures.kamana,
)

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def test_a_sync_task_keeps_known_values_and_ends_with_warnings(kamana, vendor, celery_worker):
    for resource in ("professions", "specialties", "facilities", "job_requisitions"):
        run_sync(kamana, resource, full=True)
    requisition_id = vendor.world.requisition_order()[-1]
    known = JobRequisition.objects.get(connection=kamana, external_id=requisition_id)
    with vendor.lock:
        vendor.world.requisitions[requisition_id].update(number_of_openings="several", updated_at=vendor.world.stamp())
        vendor.world.touched_requisitions()

    sync_resource.delay(kamana.pk, "job_requisitions", True)
    runs = SyncRun.objects.filter(connection=kamana, resource="job_requisitions").order_by("-pk")
    wait_until(lambda: runs.first().state != "running" and runs.count() == 2, timeout=60, message="the task's run")
    run = runs.first()
    assert (run.state, run.warned, run.warnings[0]["external_id"]) == ("with_warnings", 1, requisition_id)
    row = JobRequisition.objects.get(pk=known.pk)
    assert row.number_of_openings == known.number_of_openings and list(row.vendor_problems) == ["number_of_openings"]


def test_a_webhook_applied_by_the_worker_keeps_its_warnings(client, intelycare, celery_worker):
    shift = ShiftRequestFactory(connection=intelycare, external_shift_id="7001")
    professional = {"id": "hp-9", "firstName": "Mary", "lastName": ["Seacole"], "email": "mary@care.test"}
    body, headers = signed(
        {
            "clientId": 1234,
            "externalShiftId": shift.external_shift_id,
            "shiftStatus": "Accepted",
            "statusTimestamp": "2026-03-01T10:00:00",
            "healthcareProfessional": professional,
        }
    )
    response = client.post(intelycare.webhook_path, data=body, content_type="application/json", **headers)
    assert response.status_code == 202
    event = WebhookEvent.objects.get(pk=response.json()["id"])
    wait_until(lambda: WebhookEvent.objects.get(pk=event.pk).state == "processed", timeout=30, message="applied")
    event.refresh_from_db()
    assert [entry["external_id"] for entry in event.warnings] == ["hp-9"]
    reference = TalentReference.objects.get(connection=intelycare, external_id="hp-9")
    assert list(reference.vendor_problems) == ["last_name"] and reference.profile.last_name == ""
