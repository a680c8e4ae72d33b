"""The demo's records, on connections to every vendor whose address refuses connections, with a failed delivery on
a record of each kind whose page lists deliveries (so retry buttons show): what the hostile-input walks start from.
"""

from __future__ import annotations

import io

from django.core.management import call_command

from portal.contracts.models import Engagement
from portal.integrations import outbox
from portal.integrations.models import OutboundRequest
from portal.jobs.models import Client, Facility, JobRequisition
from portal.shifts.models import ShiftRequest, Visit
from tests.jobs.factories import VendorConnectionFactory

__all__ = ["seed_demo_with_failed_deliveries"]

VENDORS = ("kamana", "intelycare", "alaunus", "ceki", "careerbuilder")
# (model, vendor, an operation of that vendor about such a record, the record's page)
FAILED = [
    (ShiftRequest, "intelycare", "update_shift", "/shifts/{pk}/"),
    (Visit, "alaunus", "update_visit", "/shifts/visits/{pk}/"),
    (Engagement, "kamana", "update_engagement", "/engagements/{pk}/"),
    (JobRequisition, "kamana", "update_job_requisition", "/jobs/{pk}/"),
    (Client, "kamana", "create_client", "/jobs/clients/{pk}/"),
    (Facility, "kamana", "update_facility", "/jobs/facilities/{pk}/"),
]


def seed_demo_with_failed_deliveries() -> list[str]:
    """Seed, and return the pages of the records given a failed delivery."""
    connections = {
        vendor: VendorConnectionFactory(vendor=vendor, name=f"{vendor} (down)", base_url=f"http://127.0.0.1:9/{vendor}")
        for vendor in VENDORS
    }
    call_command("seed_demo", "--scale", "1", "--seed", "11", stdout=io.StringIO())
    pages = []
    for model, vendor, operation, page in FAILED:
        if record := model.objects.order_by("pk").first():
            row = outbox.enqueue(connections[vendor], operation, related=record)
            OutboundRequest.objects.filter(pk=row.pk).update(state="failed", attempts=3, last_error="HTTP 422: no")
            pages.append(page.format(pk=record.pk))
    return pages
