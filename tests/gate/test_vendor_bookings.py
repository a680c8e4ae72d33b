"""When a vendor books someone into a collision the portal cannot refuse it: the save queues a re-check on the
real worker, which raises the finding (issue 19, "a webhook assignment that conflicts raises a finding")."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction
from django.utils import timezone

from portal.gate.models import Finding, Rule
from portal.shifts.services import ReportedStatus, record_reported_statuses
from tests.jobs.factories import FacilityFactory, VendorConnectionFactory
from tests.shifts.factories import ShiftRequestFactory, VisitFactory
from tests.support.processes import wait_until
from tests.talent.factories import TalentProfileFactory


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_an_intelycare_accept_into_a_booked_hour_raises_a_finding(celery_worker):
    person = TalentProfileFactory(first_name="Ana", last_name="Reyes")
    start = timezone.now().replace(microsecond=0) + dt.timedelta(days=1)
    visit = VisitFactory(
        caregiver=person, starts_at=start + dt.timedelta(hours=1), ends_at=start + dt.timedelta(hours=2)
    )
    shift = ShiftRequestFactory(
        facility=FacilityFactory(),
        connection=VendorConnectionFactory(),
        starts_at=start,
        ends_at=start + dt.timedelta(hours=8),
    )
    accepted = ReportedStatus("filled", start - dt.timedelta(hours=5), "sha")
    with transaction.atomic():
        record_reported_statuses(shift, [accepted], lambda report: person)
    finding = wait_until(
        lambda: Finding.objects.filter(work_ref=f"shifts.shiftrequest:{shift.pk}").first(),
        timeout=30,
        message="the overlap finding",
    )
    assert finding.rule == Rule.OVERLAP and finding.other_ref == f"shifts.visit:{visit.pk}"
    assert "Visit" in finding.message
