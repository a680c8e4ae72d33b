"""A coordinator's day with something in every figure of Today, built relative to a fixed instant so each
expected number is known; `scale` multiplies the rows without changing what the page shows per figure's kind."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from portal.contracts.models import Engagement
from portal.integrations.models import OutboundRequest, SyncRun, VendorConnection, WebhookEvent
from portal.jobs.models import JobRequisition
from portal.shifts.models import ShiftRequest
from tests.billing.factories import TransactionFactory
from tests.contracts.factories import (
    ContractEventFactory,
    CredentialingRequirementFactory,
    EngagementFactory,
    ParticipantFactory,
)
from tests.jobs.factories import FacilityFactory, JobRequisitionFactory, VendorConnectionFactory
from tests.shifts.factories import ShiftRequestFactory, VisitFactory
from tests.talent.factories import TalentProfileFactory

__all__ = ["NOW", "ZONE", "Day", "make_day"]

ZONE = ZoneInfo("America/New_York")
# Tuesday 10 March 2026, 09:00 in New York (13:00 UTC): two days after clocks went forward.
NOW = dt.datetime(2026, 3, 10, 13, 0, tzinfo=dt.UTC)


@dataclass
class Day:
    facility: object
    other_facility: object
    person: object
    connection: object
    overnight_shift: ShiftRequest


def make_day(scale: int = 1) -> Day:
    """Open shifts (urgent and not, at two facilities, one sent to IntelyCare), visits without a caregiver today
    and tomorrow, 30 days of shift history, pending transactions in two currencies, engagements starting and
    ending, an idle requisition, lapsing credentials, and an IntelyCare connection with a failed delivery."""
    facility = FacilityFactory(name="Lakeside General", time_zone="America/New_York")
    other = FacilityFactory(name="Harbor View", time_zone="America/New_York")
    intelycare = VendorConnection.objects.filter(name="IntelyCare (Boston)").first() or VendorConnectionFactory(
        vendor="intelycare", name="IntelyCare (Boston)"
    )
    person = TalentProfileFactory(first_name="Ada", last_name="Okafor")
    for n in range(scale):
        ShiftRequestFactory(
            facility=facility, starts_at=NOW + dt.timedelta(hours=3), ends_at=NOW + dt.timedelta(hours=11)
        )
        ShiftRequestFactory(
            facility=facility,
            connection=intelycare,
            external_id=f"ic-{uuid.uuid4().hex[:12]}",
            starts_at=NOW + dt.timedelta(hours=30),
            ends_at=NOW + dt.timedelta(hours=38),
        )
        ShiftRequestFactory(
            facility=other, starts_at=NOW + dt.timedelta(hours=40), ends_at=NOW + dt.timedelta(hours=48)
        )
        # Too far ahead to count, and one filled: neither is unfilled within 48 h.
        ShiftRequestFactory(
            facility=other, starts_at=NOW + dt.timedelta(hours=60), ends_at=NOW + dt.timedelta(hours=68)
        )
        _history(facility, person, n)
        VisitFactory(starts_at=NOW + dt.timedelta(hours=2), ends_at=NOW + dt.timedelta(hours=3))
        VisitFactory(starts_at=NOW + dt.timedelta(hours=26), ends_at=NOW + dt.timedelta(hours=27))
        VisitFactory(caregiver=person, starts_at=NOW + dt.timedelta(hours=4), ends_at=NOW + dt.timedelta(hours=5))
        participant = ParticipantFactory(talent=person)
        TransactionFactory(beneficiary=participant, amount="100.00", occurred_at=NOW - dt.timedelta(days=3))
        TransactionFactory(beneficiary=participant, amount="50.25", occurred_at=NOW - dt.timedelta(days=1))
        TransactionFactory(
            beneficiary=participant, amount="70.00", currency="CAD", occurred_at=NOW - dt.timedelta(days=2)
        )
        ContractEventFactory(
            contract=participant.contract, beneficiary=participant, starts_at=NOW + dt.timedelta(hours=5)
        )
        _pipeline(facility, person)
    overnight = ShiftRequestFactory(
        facility=facility,
        assigned_professional=person,
        status=ShiftRequest.Status.FILLED,
        status_changed_at=NOW - dt.timedelta(hours=1),
        starts_at=dt.datetime(2026, 3, 11, 3, tzinfo=dt.UTC),  # 23:00 New York on the 10th
        ends_at=dt.datetime(2026, 3, 11, 11, tzinfo=dt.UTC),  # 07:00 on the 11th
    )
    ShiftRequest.objects.filter(pk=overnight.pk).update(created_at=NOW - dt.timedelta(hours=7))
    OutboundRequest.objects.create(connection=intelycare, operation="create_shift", state=OutboundRequest.State.FAILED)
    SyncRun.objects.create(
        connection=intelycare, resource="shifts", state=SyncRun.State.SUCCEEDED, finished_at=NOW - dt.timedelta(hours=2)
    )
    WebhookEvent.objects.create(connection=intelycare, vendor="intelycare", state=WebhookEvent.State.FAILED)
    return Day(facility, other, person, intelycare, overnight)


def _history(facility, person, n: int) -> None:
    """Shifts that started 1, 5 and 20 days ago: two filled (one in each window), one open, one cancelled."""
    for days_ago, status in ((1, "completed"), (5, "open"), (5, "cancelled"), (20, "filled")):
        starts = NOW - dt.timedelta(days=days_ago)
        filled = status in ("completed", "filled")
        ShiftRequestFactory(
            facility=facility,
            status=status,
            assigned_professional=person if filled else None,
            starts_at=starts,
            ends_at=starts + dt.timedelta(hours=8),
        )


def _pipeline(facility, person) -> None:
    today = NOW.astimezone(ZONE).date()
    EngagementFactory(
        talent=person, facility=facility, starts_on=today + dt.timedelta(days=3), ends_on=today + dt.timedelta(days=90)
    )
    lapsing = EngagementFactory(
        talent=person, facility=facility, starts_on=today - dt.timedelta(days=30), ends_on=today + dt.timedelta(days=10)
    )
    CredentialingRequirementFactory(engagement=lapsing, expires_at=NOW - dt.timedelta(days=1))
    CredentialingRequirementFactory(engagement=lapsing, expires_at=NOW + dt.timedelta(days=12))
    CredentialingRequirementFactory(engagement=lapsing, expires_at=NOW + dt.timedelta(days=90))  # valid
    EngagementFactory(talent=person, status=Engagement.Status.COMPLETE, starts_on=today + dt.timedelta(days=2))
    idle = JobRequisitionFactory(facility=facility, status=JobRequisition.Status.OPEN)
    busy = JobRequisitionFactory(facility=facility, status=JobRequisition.Status.OPEN)
    JobRequisition.objects.filter(pk__in=[idle.pk, busy.pk]).update(created_at=NOW - dt.timedelta(days=12))
    EngagementFactory(talent=person, job_requisition=busy, starts_on=None, ends_on=None)
