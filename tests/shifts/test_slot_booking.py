"""Booking a Ceki specialist's slot (issue 22) with the Django test client over the real Ceki sandbox: the person
linked by e-mail or created with the specialist's name, the gate's block and warning, the booking written with one
outbox row (never twice, even after a worker died mid-call), Ceki's refusal and payment link on the record's page,
and the same from an unfilled visit and an open requisition."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from portal.gate.models import Finding, Rule, RuleSetting, Severity
from portal.integrations import outbox
from portal.integrations.models import OutboundRequest
from portal.shifts.models import ShiftRequest, SlotBooking
from portal.shifts.sourcing_bookings import SlotChoice, book_slot
from portal.shifts.sourcing_records import sourced
from portal.talent.models import TalentProfile, TalentReference
from tests.billing.factories import RateCardFactory
from tests.jobs.factories import FacilityFactory, JobRequisitionFactory, PatientFactory, ProfessionFactory
from tests.shifts.factories import ShiftRequestFactory, VisitFactory
from tests.talent.factories import TalentProfileFactory
from tests.vendors.ceki import conftest as ceki_fixtures
from vendors.ceki.schemas import booking_body

ceki_server, ceki_vendor, ceki, ceki_agent = (
    ceki_fixtures.ceki_server,
    ceki_fixtures.ceki_vendor,
    ceki_fixtures.ceki,
    ceki_fixtures.ceki_agent,
)
pytestmark = pytest.mark.django_db

PRIYA, PRIYA_SCHEDULE = 503, 703  # the sandbox's LPN in New York, Mon/Wed/Fri 08:00-16:00, four-hour slots
PRIYA_EMAIL = "priya.raman@specialists.example"
ROSA, ROSA_SCHEDULE = 510, 710  # a home health aide in New York, every day 07:00-21:00, hourly slots
MONDAY_8AM_NEW_YORK = dt.datetime(2026, 3, 2, 13, tzinfo=dt.UTC)


def slot(person=PRIYA, schedule=PRIYA_SCHEDULE, start=MONDAY_8AM_NEW_YORK, minutes=240, **extra) -> dict:
    form = {"schedule": str(schedule), "person": str(person), "name": "Priya Raman", "start": start.isoformat()}
    return {**form, "minutes": str(minutes), "price": "42.00", "currency": "USD", **extra}


def book_url(record, connection, kind="shift") -> str:
    return reverse("shifts:find-book", args=[kind, record.pk, connection.pk])


def send_all() -> None:
    for row in OutboundRequest.objects.filter(state="pending"):
        outbox.dispatch(row.pk)


@pytest.fixture
def no_worker():
    """Nothing is sent when a transaction commits: the test dispatches (or a 'dead worker' never does)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(outbox, "_queue", lambda row_id: None)
        yield


def test_booking_creates_the_named_person_and_fills_the_shift_once_ceki_booked(
    coordinator_client, ceki_agent, ceki_vendor, no_worker
):
    shift = ShiftRequestFactory()
    answer = coordinator_client.post(book_url(shift, ceki_agent), slot())
    assert answer.status_code == 302 and answer["Location"] == reverse("shifts:detail", args=[shift.pk])

    booking = SlotBooking.objects.get()
    person = booking.profile
    assert (person.first_name, person.last_name, person.email) == ("Priya", "Raman", PRIYA_EMAIL)
    assert TalentReference.objects.get(profile=person, connection=ceki_agent).external_id == str(PRIYA)
    assert booking.state == "pending" and booking.shift == shift and booking.price == Decimal("42.00")
    row = OutboundRequest.objects.get(operation="book_slot")
    assert row.related_object == booking
    page = coordinator_client.get(reverse("shifts:detail", args=[shift.pk])).content.decode()
    assert f'id="slot-booking-{booking.pk}" data-state="pending"' in page and "Priya Raman" in page
    assert row.natural_key in page or f"delivery-{row.pk}" in page, "the shift's delivery panel shows the row too"

    send_all()
    booking.refresh_from_db()
    shift.refresh_from_db()
    assert booking.state == "booked" and booking.event_ref == row.__class__.objects.get(pk=row.pk).vendor_id
    assert shift.status == ShiftRequest.Status.FILLED and shift.assigned_professional == person
    assert len(ceki_vendor.bookings) == 1
    page = coordinator_client.get(reverse("shifts:detail", args=[shift.pk])).content.decode()
    assert 'data-state="booked"' in page and "Find on" not in page, "a filled shift is not sourced again"


def test_a_known_person_is_linked_by_email_not_created_again(coordinator_client, ceki_agent, no_worker):
    known = TalentProfileFactory(email=PRIYA_EMAIL, first_name="Priya", last_name="Raman-Iyer")
    coordinator_client.post(book_url(ShiftRequestFactory(), ceki_agent), slot())
    assert SlotBooking.objects.get().profile == known
    assert TalentProfile.objects.filter(email=PRIYA_EMAIL).count() == 1
    known.refresh_from_db()
    assert known.last_name == "Raman-Iyer", "a name the portal holds is not overwritten"


def test_the_gate_blocks_a_do_not_hire_person_and_nothing_is_written(coordinator_client, ceki_agent, ceki_vendor):
    TalentProfileFactory(email=PRIYA_EMAIL, do_not_hire=True)
    shift = ShiftRequestFactory()

    answer = coordinator_client.post(book_url(shift, ceki_agent), slot())
    html = answer.content.decode()
    assert answer.status_code == 200 and "Cannot be booked: nothing was booked" in html
    assert f'data-rule="{Rule.DO_NOT_HIRE}"' in html and 'id="book-form"' not in html
    assert not SlotBooking.objects.exists() and not OutboundRequest.objects.exists()
    assert not ceki_vendor.bookings


def test_a_warning_asks_a_reason_which_the_gate_keeps(coordinator_client, coordinator, ceki_agent, no_worker):
    priya = TalentProfileFactory(email=PRIYA_EMAIL)
    shift = ShiftRequestFactory()
    # Four hours of rest before the shift: the rest rule warns.
    VisitFactory(
        caregiver=priya,
        starts_at=shift.starts_at - dt.timedelta(hours=6),
        ends_at=shift.starts_at - dt.timedelta(hours=4),
    )

    asked = coordinator_client.post(book_url(shift, ceki_agent), slot()).content.decode()
    assert "give a reason to go on" in asked and 'name="override_reason"' in asked
    assert not SlotBooking.objects.exists()

    coordinator_client.post(book_url(shift, ceki_agent), slot(override_reason="She asked for the extra shift"))
    booking = SlotBooking.objects.get()
    assert booking.override_reason == "She asked for the extra shift"
    kept = Finding.objects.get(profile=priya, rule=Rule.REST)
    assert kept.state == Finding.State.OVERRIDDEN and kept.decided_by == coordinator


def test_a_second_booking_of_the_shift_or_of_the_slot_is_refused(coordinator_client, ceki_agent, no_worker):
    shift, other = ShiftRequestFactory(), ShiftRequestFactory()
    coordinator_client.post(book_url(shift, ceki_agent), slot())
    again = coordinator_client.post(book_url(shift, ceki_agent), slot(), follow=True).content.decode()
    assert "A booking of this record is pending or confirmed." in again, "back on the shift, nothing billed"
    same_slot = coordinator_client.post(book_url(other, ceki_agent), slot()).content.decode()
    assert "Overlapping work" in same_slot, "the pending booking is Priya's work to the gate (issue 19)"
    RuleSetting.objects.create(rule=Rule.OVERLAP, severity=Severity.OFF)
    same_slot = coordinator_client.post(book_url(other, ceki_agent), slot()).content.decode()
    assert "This slot is being booked already" in same_slot, "past the gate, Ceki's slot is still taken"
    assert SlotBooking.objects.count() == 1 and OutboundRequest.objects.count() == 1


def test_a_worker_dying_after_ceki_booked_does_not_book_twice(coordinator_client, ceki_agent, ceki_vendor, no_worker):
    shift = ShiftRequestFactory()
    coordinator_client.post(book_url(shift, ceki_agent), slot())
    row = OutboundRequest.objects.get(operation="book_slot")

    # Ceki booked it, but the answer never came back: the row is stuck "sending" past its lease.
    ceki_fixtures.client_of(ceki_agent).book_slot(PRIYA_SCHEDULE, booking_body(MONDAY_8AM_NEW_YORK))
    long_ago = timezone.now() - dt.timedelta(hours=1)
    OutboundRequest.objects.filter(pk=row.pk).update(state="sending", sending_started_at=long_ago, attempts=1)

    assert row.pk in outbox.due_request_ids()
    assert outbox.dispatch(row.pk).state == "sent"
    assert outbox.dispatch(row.pk).state == "skipped", "a second dispatch (late ack) sends nothing"
    row.refresh_from_db()
    assert row.vendor_response["found"] is True
    assert len(ceki_vendor.bookings) == 1, "booked once"
    booking = SlotBooking.objects.get()
    assert booking.state == "booked" and booking.event_ref == row.vendor_id


def test_a_slot_someone_else_took_is_refused_with_cekis_reason_on_the_shift(
    coordinator_client, ceki_agent, ceki_vendor, no_worker
):
    shift = ShiftRequestFactory()
    coordinator_client.post(book_url(shift, ceki_agent), slot())
    ceki_vendor.bookings[(PRIYA_SCHEDULE, "2026-03-02T13:00:00Z")] = {"event": 1, "booker": "other", "payment": False}

    send_all()
    booking = SlotBooking.objects.get()
    assert booking.state == "refused" and "The selected time slot is not available." in booking.refusal
    shift.refresh_from_db()
    assert shift.status == "open" and shift.assigned_professional is None
    page = coordinator_client.get(reverse("shifts:detail", args=[shift.pk])).content.decode()
    assert "refused: " in page and "The selected time slot is not available." in page
    assert "Find on" in page, "a refused booking leaves the shift to be sourced again"


def test_booking_with_payment_shows_cekis_payment_link(coordinator_client, ceki_agent, no_worker):
    shift = ShiftRequestFactory()
    coordinator_client.post(book_url(shift, ceki_agent), slot(with_payment="on"))
    assert OutboundRequest.objects.get().payload["payment"] is True
    send_all()
    booking = SlotBooking.objects.get()
    assert booking.payment_url.startswith("https://pay.ceki.example/checkout/")
    page = coordinator_client.get(reverse("shifts:detail", args=[shift.pk])).content.decode()
    assert f'href="{booking.payment_url}"' in page


def test_an_empty_wallet_at_booking_is_said_on_the_form(coordinator_client, ceki, ceki_vendor):
    agent = ceki_fixtures.register_agent(ceki, deposit="0.01")
    period = ceki_vendor.clock.strftime("%Y-%m")
    ceki_vendor.usage += [(agent.agent_id, period, "api_user_view", True)] * 100  # this month's free views used

    html = coordinator_client.post(book_url(ShiftRequestFactory(), agent), slot()).content.decode()
    assert "Nothing was booked: The Ceki wallet cannot pay for this call (HTTP 402)" in html
    assert not SlotBooking.objects.exists() and not TalentProfile.objects.filter(email=PRIYA_EMAIL).exists()


def test_an_unfilled_visit_is_sourced_in_the_patients_zone_and_staffed_once_booked(
    coordinator_client, ceki_agent, no_worker, django_assert_max_num_queries
):
    patient = PatientFactory(time_zone="America/New_York")
    visit = VisitFactory(patient=patient, client=patient.client, time_zone="America/New_York")  # Mon 09:00-11:00
    RateCardFactory(client=patient.client, profession="HHA", bill_rate="36.00", pay_rate="24.00")
    detail = reverse("shifts:visit", args=[visit.pk])
    find = reverse("shifts:find", args=["visit", visit.pk, ceki_agent.pk])
    assert find in coordinator_client.get(detail).content.decode()

    with django_assert_max_num_queries(10):
        page = coordinator_client.get(find).content.decode()
    assert 'value="2026-03-02T09:00"' in page and 'value="11:00"' in page, "the patient's New York clock"
    assert '<option value="HHA" selected>' in page and 'name="price_to" value="36"' in page
    results = coordinator_client.post(find, {
        "starts_at": "2026-03-02T09:00", "ends_at": "2026-03-02T11:00", "days": ["1"], "hours_from": "09:00",
        "hours_to": "11:00", "profession": "HHA", "price_to": "36", "currency": "USD",
    }).content.decode()  # fmt: skip
    assert "Rosa Delgado" in results and "30.00 USD" in results and "Mon 2 Mar 2026 09:00 EST" in results

    start = dt.datetime(2026, 3, 2, 14, tzinfo=dt.UTC)
    coordinator_client.post(book_url(visit, ceki_agent, "visit"), slot(ROSA, ROSA_SCHEDULE, start, 60, name="Rosa"))
    send_all()
    visit.refresh_from_db()
    assert visit.caregiver.email == "rosa.delgado@specialists.example" and str(visit.caregiver) == "Rosa Delgado"
    assert 'data-state="booked"' in coordinator_client.get(detail).content.decode()


def test_an_open_requisition_is_sourced_on_its_hours_with_the_rate_cards_price(coordinator_client, ceki_agent):
    facility = FacilityFactory(time_zone="America/New_York")
    requisition = JobRequisitionFactory(
        facility=facility,
        profession=ProfessionFactory(abbreviation="RN"),
        starts_on=dt.date(2027, 3, 1),
        shift_start_hour=7,
        shift_end_hour=19,
    )
    RateCardFactory(client=facility.client, profession="RN", bill_rate="78.00")
    find = reverse("shifts:find", args=["requisition", requisition.pk, ceki_agent.pk])
    assert find in coordinator_client.get(reverse("jobs:requisition", args=[requisition.pk])).content.decode()

    page = coordinator_client.get(find).content.decode()
    assert 'value="2027-03-01T07:00"' in page and 'value="2027-03-08T07:00"' in page, "its first week"
    assert 'value="07:00"' in page and 'value="19:00"' in page
    assert '<option value="RN" selected>' in page and 'name="price_to" value="78"' in page
    results = coordinator_client.post(find, {
        "starts_at": "2027-03-01T07:00", "ends_at": "2027-03-08T07:00", "hours_from": "07:00", "hours_to": "19:00",
        "profession": "RN", "price_to": "78", "currency": "USD",
    }).content.decode()  # fmt: skip
    assert "Grace Okafor" in results and "Tomas Lindqvist" not in results, "Tomas works evenings"


def test_a_shift_searches_below_its_rate_cards_bill_rate_and_a_known_person_shows_as_such(
    coordinator_client, ceki_agent
):
    shift = ShiftRequestFactory()
    RateCardFactory(client=shift.facility.client, profession="LPN", bill_rate="40.00")
    page = coordinator_client.get(reverse("shifts:find", args=["shift", shift.pk, ceki_agent.pk])).content.decode()
    assert 'name="price_to" value="40"' in page
    search = {
        "starts_at": "2026-03-02T07:00", "ends_at": "2026-03-02T15:00", "days": ["1"], "hours_from": "07:00",
        "hours_to": "15:00", "profession": "LPN", "currency": "USD",
    }  # fmt: skip
    find = reverse("shifts:find", args=["shift", shift.pk, ceki_agent.pk])
    assert "Priya Raman" not in coordinator_client.post(find, {**search, "price_to": "40"}).content.decode()

    known = TalentProfileFactory(first_name="Priya", last_name="R.")
    TalentReference.objects.create(profile=known, connection=ceki_agent, external_id=str(PRIYA))
    results = coordinator_client.post(find, search).content.decode()
    assert "Already known: Priya R." in results


def test_two_coordinators_racing_for_one_shift_book_it_once(coordinator, ceki_agent, no_worker):
    """The page refuses a booked record first; the service refuses again under the record's lock."""
    shift = ShiftRequestFactory()
    choice = SlotChoice(PRIYA, PRIYA_SCHEDULE, MONDAY_8AM_NEW_YORK, MONDAY_8AM_NEW_YORK + dt.timedelta(hours=4))
    seen_before = sourced("shift", shift.pk)  # both pages loaded the open shift
    book_slot(seen_before, ceki_agent, choice, user=coordinator)
    later = SlotChoice(
        PRIYA, PRIYA_SCHEDULE, choice.starts_at + dt.timedelta(hours=4), choice.ends_at + dt.timedelta(hours=4)
    )
    with pytest.raises(ValidationError, match="pending or confirmed already"):
        book_slot(seen_before, ceki_agent, later, user=coordinator)
    assert SlotBooking.objects.count() == 1


def test_the_polled_panel_costs_few_queries_and_stops_polling_once_settled(
    coordinator_client, ceki_agent, no_worker, django_assert_max_num_queries
):
    shift = ShiftRequestFactory()
    coordinator_client.post(book_url(shift, ceki_agent), slot())
    panel = reverse("shifts:sourcing-panel", args=["shift", shift.pk])
    # session, user, roles, the shift, its bookings with their people and connections, the connections to link
    with django_assert_max_num_queries(6):
        pending = coordinator_client.get(panel, headers={"HX-Request": "true"})
    assert pending.status_code == 200 and 'hx-trigger="load delay:500ms, every 2s"' in pending.content.decode()
    send_all()
    settled = coordinator_client.get(panel, headers={"HX-Request": "true"})
    assert settled.status_code == 286 and 'data-state="booked"' in settled.content.decode()
    assert coordinator_client.get(reverse("shifts:sourcing-panel", args=["payroll", shift.pk])).status_code == 404


def test_a_refused_booking_retried_books_unless_another_booking_took_the_record(
    coordinator_client, ceki_agent, ceki_vendor, no_worker
):
    shift = ShiftRequestFactory()
    taken = (PRIYA_SCHEDULE, "2026-03-02T13:00:00Z")
    ceki_vendor.bookings[taken] = {"event": 1, "booker": "other", "payment": False}
    coordinator_client.post(book_url(shift, ceki_agent), slot())
    send_all()
    first = SlotBooking.objects.get()
    assert first.state == "refused"

    noon = MONDAY_8AM_NEW_YORK + dt.timedelta(hours=4)
    coordinator_client.post(book_url(shift, ceki_agent), slot(start=noon))
    send_all()
    second = SlotBooking.objects.exclude(pk=first.pk).get()
    assert second.state == "booked"

    del ceki_vendor.bookings[taken]  # the other agency let the first slot go; the coordinator retries its row
    row = OutboundRequest.objects.get(object_id=str(first.pk))
    outbox.retry_request(row)
    send_all()
    first.refresh_from_db()
    assert first.state == "refused" and "another booking took this record meanwhile" in first.refusal
    shift.refresh_from_db()
    assert shift.assigned_professional == second.profile


def test_a_crash_while_recording_the_booking_leaves_the_row_to_be_recognised_not_resent(
    coordinator_client, ceki_agent, ceki_vendor, no_worker
):
    """The row's outcome and the booking's state commit together: a worker dying in between leaves both as they
    were, and the next dispatch finds Ceki's booking instead of booking again."""
    shift = ShiftRequestFactory()
    coordinator_client.post(book_url(shift, ceki_agent), slot())
    row = OutboundRequest.objects.get(operation="book_slot")

    def dies(*args, **kwargs):
        raise SystemExit("worker killed")

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("portal.shifts.sourcing_records.Sourced.fill", dies)
        with pytest.raises(SystemExit):
            outbox.dispatch(row.pk)
    row.refresh_from_db()
    assert row.state == "sending" and SlotBooking.objects.get().state == "pending", "neither outcome was kept"
    OutboundRequest.objects.filter(pk=row.pk).update(sending_started_at=timezone.now() - dt.timedelta(hours=1))

    assert outbox.dispatch(row.pk).state == "sent"
    row.refresh_from_db()
    assert row.vendor_response["found"] is True and len(ceki_vendor.bookings) == 1
    assert SlotBooking.objects.get().state == "booked"
    shift.refresh_from_db()
    assert shift.status == "filled"
