"""Demo-like records from the factories, and the pages a coordinator or an admin walks through with them: what
the responsive and accessibility browser tests visit (issue 17 items 6, 8 and 10)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.urls import reverse
from django.utils import timezone

from portal.gate import services
from portal.gate.models import DuplicateSuggestion
from portal.integrations.models import OutboundRequest, SyncRun, WebhookEvent
from portal.shifts.localtime import shift_instants
from portal.shifts.models import ShiftRequest
from tests.billing.factories import PayrollEntryFactory, RateCardFactory, TransactionFactory
from tests.contracts.factories import ContractFactory, EngagementFactory, ParticipantFactory
from tests.jobs.factories import (
    ClientContactFactory,
    FacilityFactory,
    JobRequisitionFactory,
    PatientFactory,
    VendorConnectionFactory,
)
from tests.shifts.factories import ShiftRequestFactory, TimecardFactory, VisitFactory
from tests.talent.factories import AccountRelationshipFactory, TalentProfileFactory, TalentReferenceFactory

__all__ = ["Walkthrough", "admin_urls", "coordinator_urls", "make_walkthrough"]

# The pages that work one visit (issue 23).
VISIT_PAGES = ("visit", "visit-change", "visit-staff", "visit-cancel", "visit-punchcard")

# The billing pages on the days of the factories' completed shifts (2 March 2026), so their tables show.
MARCH = "?first=2026-03-01&last=2026-03-14"

# Long unbroken text, as vendors really answer: it must wrap or scroll inside its box, never widen the page.
LONG_ERROR = "503 Service Unavailable: upstream-timeout-" + "x" * 120


@dataclass(frozen=True)
class Walkthrough:
    shift: ShiftRequest
    completed_shift: ShiftRequest
    person_pk: int
    requisition_pk: int
    engagement_pk: int
    contract_pk: int
    connection_pk: int
    visit_pk: int
    suggestion_pk: int
    client_pk: int
    facility_pk: int
    kamana_facility_pk: int
    ceki_pk: int
    sync_run_pk: int


def make_walkthrough() -> Walkthrough:
    """A connection with runs, webhooks and deliveries; shifts open and filled tomorrow; a person known to two
    vendors; a requisition, an engagement and a contract with pending transactions."""
    kamana = VendorConnectionFactory(vendor="kamana", name="Kamana (Chicago staffing)")
    intelycare = VendorConnectionFactory(vendor="intelycare", name="IntelyCare (Boston)")
    ceki = VendorConnectionFactory(vendor="ceki", name="Ceki (specialists)")  # Find on Ceki from an open shift
    facility = FacilityFactory(name="Harbor View Medical Center", time_zone="America/New_York")
    ClientContactFactory.create_batch(2, client=facility.client)
    kamana_facility = FacilityFactory(name="Lakeside West", connection=kamana, external_id="kf-9", client=None)
    person = TalentProfileFactory(first_name="Maria", last_name="Lopez")
    TalentReferenceFactory(profile=person, connection=kamana)
    TalentReferenceFactory(profile=person, connection=intelycare, external_id="ic-4471")
    AccountRelationshipFactory(profile=person, connection=kamana, external_id="rel-1")

    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    starts, ends = shift_instants(tomorrow, dt.time(7), dt.time(15), facility.time_zone)
    shift = ShiftRequestFactory(facility=facility, unit="3 North", starts_at=starts, ends_at=ends)
    ShiftRequestFactory(
        facility=facility, starts_at=starts, ends_at=ends, status="filled", assigned_professional=person
    )
    completed = ShiftRequestFactory(facility=facility, status="completed", assigned_professional=person)
    # The gate's pages with something on them: a visit colliding with her filled shift, and her held twice.
    VisitFactory(caregiver=person, service_name="Wound care", starts_at=starts, ends_at=starts + dt.timedelta(hours=1))
    twin = TalentProfileFactory(first_name="Maria", last_name="Lopez", email="maria.l@other-agency.test")
    suggestion = DuplicateSuggestion.objects.create(first=person, second=twin, score=96, reasons=["name 100"])
    TimecardFactory(shift=completed)
    RateCardFactory(client=facility.client, profession=completed.professional_type)  # a priced shift on Rates
    ShiftRequestFactory(facility=facility, status="completed")  # worked, no timecard: an exception to reconcile

    contract = ContractFactory(label="ICU nights at Harbor View")
    for amount in ("480.00", "120.50"):
        TransactionFactory(beneficiary=ParticipantFactory(contract=contract, talent=person), amount=amount)
    PayrollEntryFactory(talent=person)
    requisition = JobRequisitionFactory(facility=facility)
    engagement = EngagementFactory(talent=person)
    visit_starts, visit_ends = shift_instants(tomorrow, dt.time(17), dt.time(19), facility.time_zone)
    visit = VisitFactory(
        patient=PatientFactory(time_zone=facility.time_zone), caregiver=person, starts_at=visit_starts,
        ends_at=visit_ends, time_zone=facility.time_zone,
    )  # fmt: skip
    TimecardFactory(shift=None, visit=visit, check_in=visit_starts + dt.timedelta(minutes=25), check_out=visit_ends)
    # After every piece of her work exists: the visit's page then shows its own finding (2 h of rest after the shift).
    services.recheck_upcoming()

    failed_run = SyncRun.objects.create(
        connection=kamana, resource="talent", state="failed", pages=3, created=40, error=LONG_ERROR
    )
    SyncRun.objects.create(connection=kamana, resource="facilities", state="running", pages=1, created=12)
    WebhookEvent.objects.create(connection=intelycare, vendor="intelycare", state="failed", error=LONG_ERROR)
    WebhookEvent.objects.create(connection=kamana, vendor="kamana", state="processed", event_type="talent.updated")
    OutboundRequest.objects.create(
        connection=intelycare, operation="create_shift", natural_key=shift.external_shift_id, state="failed",
        attempts=5, last_error=LONG_ERROR,
    )  # fmt: skip
    return Walkthrough(
        shift=shift,
        completed_shift=completed,
        person_pk=person.pk,
        requisition_pk=requisition.pk,
        engagement_pk=engagement.pk,
        contract_pk=contract.pk,
        connection_pk=kamana.pk,
        visit_pk=visit.pk,
        suggestion_pk=suggestion.pk,
        client_pk=facility.client_id,
        facility_pk=facility.pk,
        kamana_facility_pk=kamana_facility.pk,
        ceki_pk=ceki.pk,
        sync_run_pk=failed_run.pk,
    )


def coordinator_urls(records: Walkthrough) -> list[str]:
    """Every page a coordinator works in, with records on it."""
    shift, completed = records.shift.pk, records.completed_shift.pk
    return [
        reverse("home"),
        reverse("shifts:board"),
        reverse("shifts:create"),
        reverse("shifts:detail", args=[shift]),
        reverse("shifts:edit", args=[shift]),
        reverse("shifts:cancel", args=[shift]),
        reverse("shifts:timecard", args=[completed]),
        reverse("shifts:visits"),
        reverse("shifts:visit-create"),
        *(reverse(f"shifts:{name}", args=[records.visit_pk]) for name in VISIT_PAGES),
        reverse("jobs:requisitions"),
        reverse("jobs:requisition-new"),
        reverse("jobs:requisition", args=[records.requisition_pk]),
        reverse("jobs:requisition-edit", args=[records.requisition_pk]),
        reverse("jobs:clients"),
        reverse("jobs:client-new"),
        reverse("jobs:client", args=[records.client_pk]),
        reverse("jobs:client-edit", args=[records.client_pk]),
        reverse("jobs:facilities"),
        reverse("jobs:facility-new"),
        reverse("jobs:facility", args=[records.facility_pk]),
        reverse("jobs:facility-edit", args=[records.facility_pk]),
        reverse("talent:people"),
        reverse("talent:timeline", args=[records.person_pk]),
        reverse("contracts:engagements"),
        reverse("contracts:engagement", args=[records.engagement_pk]),
        reverse("billing:approvals"),
        reverse("billing:contract", args=[records.contract_pk]),
        reverse("billing:ledger"),
        reverse("billing:rates") + MARCH,
        reverse("billing:reconciliation") + MARCH,
        reverse("billing:exports"),
        f"{reverse('dashboard:calendar')}?view=month",
        f"{reverse('dashboard:calendar')}?person={records.person_pk}",
        reverse("dashboard:preferences"),
        reverse("gate:findings"),
        reverse("gate:book-shift", args=[shift]) + f"?q=Lopez&profile={records.person_pk}",
        reverse("shifts:find", args=["shift", shift, records.ceki_pk]),
        reverse("gate:duplicates"),
        reverse("gate:duplicate", args=[records.suggestion_pk]),
        reverse("password_change"),
    ]


def admin_urls(records: Walkthrough) -> list[str]:
    """The Integrations pages (overview with its sync runs, a connection, a failed run, the inbox, the outbox) and
    API tokens."""
    return [
        reverse("integrations:overview"),
        reverse("integrations:connection", args=[records.connection_pk]),
        reverse("integrations:sync-run", args=[records.sync_run_pk]),
        reverse("integrations:webhooks"),
        reverse("integrations:outbox"),
        reverse("api-tokens"),
        reverse("jobs:facility-delete", args=[records.kamana_facility_pk]),
    ]
