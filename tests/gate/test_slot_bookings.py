"""Slots booked through a sourcing channel (Ceki) are their person's work to the gate (issue 19 with issue 22):
pending and booked ones, also on a record a vendor holds; never a refused one, and never twice when the slot
filled its own shift."""

from __future__ import annotations

import datetime as dt

import pytest

from portal.gate import receivers
from portal.gate.models import Finding, Rule
from portal.gate.services import recheck
from portal.gate.work import load_work
from portal.shifts.models import SlotBooking
from portal.shifts.services import assign_professional
from portal.shifts.sourcing_records import sourced
from portal.talent import assignment_gate
from portal.talent.assignment_gate import AssignmentRefused
from tests.gate.conftest import NEW_YORK, at
from tests.jobs.factories import JobRequisitionFactory, VendorConnectionFactory
from tests.shifts.factories import ShiftRequestFactory

pytestmark = pytest.mark.django_db
MONDAY = dt.date(2026, 3, 2)


@pytest.fixture
def ceki(db):
    return VendorConnectionFactory(vendor="ceki", name="Ceki agency", base_url="https://ceki.test/api")


def slot_booking(person, connection, start_hour, hours, state="pending", **record):
    if not record:
        record = {"requisition": JobRequisitionFactory(facility__time_zone=NEW_YORK)}
    start = at(MONDAY, start_hour)
    return SlotBooking.objects.create(
        connection=connection,
        profile=person,
        person_ref="503",
        schedule_ref="703",
        slot_starts_at=start,
        slot_ends_at=start + dt.timedelta(hours=hours),
        state=state,
        **record,
    )


def open_shift(start_hour, hours, **extra):
    start = at(MONDAY, start_hour)
    return ShiftRequestFactory(
        status="open", starts_at=start, ends_at=start + dt.timedelta(hours=hours), facility__time_zone=NEW_YORK, **extra
    )


def test_a_booking_overlapping_another_booking_of_the_person_is_refused(person, ceki):
    slot_booking(person, ceki, 8, 4)
    shift = open_shift(10, 4)
    gate = sourced("shift", shift.pk).gate_booking(person, (shift.starts_at, shift.ends_at))
    with pytest.raises(AssignmentRefused) as refused:
        assignment_gate.require_pass(gate, "")
    assert [reason.rule for reason in refused.value.verdict.blocks] == [Rule.OVERLAP]
    assert "Ceki agency booking" in refused.value.verdict.blocks[0].message


def test_a_shift_assignment_over_a_booked_slot_on_a_vendor_held_shift_is_refused(person, ceki):
    held = open_shift(8, 4, connection=VendorConnectionFactory(vendor="intelycare"))
    slot_booking(person, ceki, 8, 4, state="booked", shift=held)  # the vendor's shift keeps no one: the slot says who
    local = open_shift(11, 4)
    with pytest.raises(AssignmentRefused) as refused:
        assign_professional(local, person)
    assert [reason.rule for reason in refused.value.verdict.blocks] == [Rule.OVERLAP]
    local.refresh_from_db()
    assert local.assigned_professional is None


def test_a_refused_booking_books_nobody(person, ceki, booking):
    slot_booking(person, ceki, 8, 4, state="refused")
    assert assignment_gate.check(booking(MONDAY, 10, 4)).clear


def test_rebooking_the_same_record_is_not_held_against_its_own_slot(person, ceki):
    shift = open_shift(8, 4)
    slot_booking(person, ceki, 8, 4, shift=shift)
    gate = sourced("shift", shift.pk).gate_booking(person, (shift.starts_at, shift.ends_at))
    assert assignment_gate.check(gate).clear


def test_a_slot_that_filled_its_shift_is_read_once_as_the_shift(person, ceki):
    shift = open_shift(8, 4)
    slot_booking(person, ceki, 8, 4, state="booked", shift=shift)
    shift.assigned_professional, shift.status = person, "filled"
    shift.save()
    other = slot_booking(person, ceki, 14, 2)
    work = load_work([person.pk], at(MONDAY, 0), at(MONDAY, 23))[person.pk]
    assert [(piece.ref, piece.kind) for piece in work] == [
        (("shifts.shiftrequest", shift.pk), f"{shift.connection.name} shift" if shift.connection_id else "Shift"),
        (("jobs.jobrequisition", other.requisition_id), "Ceki agency booking"),
    ]


def test_a_booking_leaves_too_little_rest_before_the_next_work(person, ceki, booking):
    slot_booking(person, ceki, 8, 4)
    verdict = assignment_gate.check(booking(MONDAY, 14, 4))
    assert [reason.rule for reason in verdict.warnings] == [Rule.REST]


@pytest.mark.parametrize("history", [2, 40])
def test_bookings_cost_the_gate_one_query_whatever_their_number(
    person, ceki, booking, history, django_assert_max_num_queries
):
    """The settings, one query per source (five) and five for the person's facts and the facility's list."""
    for offset in range(history):
        slot_booking(person, ceki, (offset + 7) % 24, 1, state="booked" if offset % 2 else "pending")
    with django_assert_max_num_queries(11):
        verdict = assignment_gate.check(booking(MONDAY, 7, 8))
    assert Rule.OVERLAP in [reason.rule for reason in verdict.blocks]


def test_a_saved_slot_booking_queues_a_recheck_of_its_record_and_a_refused_one_does_not(
    person, ceki, monkeypatch, django_capture_on_commit_callbacks
):
    sent = []
    monkeypatch.setattr(receivers.current_app, "send_task", lambda name, args: sent.append((name, args)))
    monkeypatch.setattr(receivers._pending, "work", [], raising=False)  # other tests' saves never committed
    shift = open_shift(8, 4, connection=VendorConnectionFactory(vendor="intelycare"))
    with django_capture_on_commit_callbacks(execute=True):
        slot_booking(person, ceki, 8, 4, shift=shift)
        slot_booking(person, ceki, 14, 1, state="refused")
    assert sent == [(receivers.RECHECK_WORK, [[["shifts.shiftrequest", shift.pk, person.pk]]])]


def test_a_recheck_raises_a_finding_on_a_slot_the_vendor_booked_over_other_work(person, ceki):
    shift = open_shift(8, 4, connection=VendorConnectionFactory(vendor="intelycare"))
    slot_booking(person, ceki, 8, 4, state="booked", shift=shift)
    slot_booking(person, ceki, 10, 4)
    recheck([("shifts.shiftrequest", shift.pk)], [person.pk], now=at(MONDAY, 0))
    finding = Finding.objects.get(work_ref=f"shifts.shiftrequest:{shift.pk}")
    assert finding.rule == Rule.OVERLAP and finding.profile == person
