"""A visit created with a caregiver, and every occurrence of a series, passes the gate as staffing does (issue 19):
a block refuses with its reasons and saves nothing, a warning is gone past with a reason kept against each visit
it warned about; a whole series costs the gate the same queries as one visit."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from portal.gate.models import Finding, Rule
from portal.integrations.models import OutboundRequest
from portal.shifts import visit_services
from portal.shifts.models import RecurringVisitGroup, Visit
from portal.shifts.series import weekly_series
from portal.talent import assignment_gate
from portal.talent.assignment_gate import AssignmentRefused
from tests.gate.conftest import NEW_YORK, at
from tests.jobs.factories import PatientFactory, VendorConnectionFactory
from tests.shifts.factories import ShiftRequestFactory, VisitFactory

pytestmark = pytest.mark.django_db
MONDAY = dt.date(2026, 3, 2)


@pytest.fixture
def patient(db):
    return PatientFactory(first_name="Rosa", time_zone=NEW_YORK)


def create(client, patient, person, **values):
    data = {"day": MONDAY.isoformat(), "start_time": "09:00", "end_time": "11:00", "service_name": "Personal care"}
    return client.post(
        reverse("shifts:visit-create"), {**data, "patient": patient.pk, "caregiver": person.pk, **values}
    )


def test_a_visit_is_not_created_for_someone_on_an_overlapping_shift(coordinator_client, patient, person):
    intelycare = VendorConnectionFactory(vendor="intelycare", name="IntelyCare Boston")
    ShiftRequestFactory(
        connection=intelycare, assigned_professional=person, status="filled",
        starts_at=at(MONDAY, 7), ends_at=at(MONDAY, 10),
    )  # fmt: skip
    html = create(coordinator_client, patient, person, override_reason="She can").content.decode()
    assert "Cannot be booked: nothing was booked" in html and "IntelyCare Boston shift" in html
    assert not Visit.objects.filter(patient=patient).exists() and not OutboundRequest.objects.exists()


def test_a_warned_visit_is_created_only_with_a_reason_kept_against_it(coordinator_client, coordinator, patient, person):
    ShiftRequestFactory(assigned_professional=person, status="filled", starts_at=at(MONDAY, 0), ends_at=at(MONDAY, 6))
    html = create(coordinator_client, patient, person).content.decode()
    assert "give a reason to go on" in html and 'data-rule="rest"' in html
    assert 'type="text" name="override_reason"' in html
    assert not Visit.objects.filter(patient=patient).exists()
    answer = create(coordinator_client, patient, person, override_reason="Family asked for her")
    assert answer.status_code == 302
    visit = Visit.objects.get(patient=patient)
    kept = Finding.objects.get(rule=Rule.REST, work_ref=f"shifts.visit:{visit.pk}")
    assert kept.state == Finding.State.OVERRIDDEN and kept.decided_by == coordinator
    assert kept.reason == "Family asked for her"


def test_a_series_is_refused_whole_when_one_occurrence_is_blocked(coordinator_client, patient, person):
    # The second Wednesday clashes with another visit of hers: the other five occurrences are fine.
    VisitFactory(caregiver=person, service_name="Bathing", starts_at=at(MONDAY + dt.timedelta(days=9), 10),
                 ends_at=at(MONDAY + dt.timedelta(days=9), 12))  # fmt: skip
    html = create(coordinator_client, patient, person, weekdays=["MO", "WE", "FR"], weeks=2).content.decode()
    assert "Cannot be booked" in html and "Bathing" in html and 'data-rule="overlap"' in html
    assert not RecurringVisitGroup.objects.exists() and Visit.objects.count() == 1


def test_a_warned_series_keeps_the_reason_against_each_visit_warned(patient, person, coordinator):
    # A night shift ending at 06:00 before the first Monday only.
    ShiftRequestFactory(assigned_professional=person, status="filled", starts_at=at(MONDAY, 0), ends_at=at(MONDAY, 6))
    group, occurrences = weekly_series(
        first_day=MONDAY, start=dt.time(9), end=dt.time(11), time_zone=NEW_YORK, weekdays=["MO", "TH"], weeks=3
    )
    group.patient, group.caregiver = patient, person
    with pytest.raises(AssignmentRefused) as refused:
        visit_services.create_visit_series(group, occurrences)
    assert [w.rule for w in refused.value.verdict.warnings] == [Rule.REST]
    assert not Visit.objects.filter(patient=patient).exists()
    visits = visit_services.create_visit_series(group, occurrences, override_reason="Agreed", user=coordinator)
    assert len(visits) == 6
    kept = Finding.objects.filter(state=Finding.State.OVERRIDDEN)
    assert list(kept.values_list("work_ref", flat=True)) == [f"shifts.visit:{visits[0].pk}"]


def test_the_gate_reads_a_whole_series_in_the_queries_of_one_visit(patient, person, django_assert_max_num_queries):
    VisitFactory(caregiver=person, starts_at=at(MONDAY, 14), ends_at=at(MONDAY, 15))
    one = [assignment_gate.Booking(person.pk, at(MONDAY, 9), at(MONDAY, 11), None, NEW_YORK)]
    many = [
        assignment_gate.Booking(person.pk, at(MONDAY + dt.timedelta(days=d), 9), at(MONDAY + dt.timedelta(days=d), 11))
        for d in range(120)
    ]
    with django_assert_max_num_queries(10) as single:
        assignment_gate.check_all(one)
    with django_assert_max_num_queries(len(single.captured_queries)):
        assignment_gate.check_all(many)


def test_this_and_following_with_a_new_caregiver_passes_the_gate(patient, person, coordinator):
    group, occurrences = weekly_series(
        first_day=MONDAY, start=dt.time(9), end=dt.time(11), time_zone=NEW_YORK, weekdays=["MO"], weeks=3
    )
    group.patient = patient
    visits = visit_services.create_visit_series(group, occurrences)
    third = MONDAY + dt.timedelta(days=14)
    ShiftRequestFactory(assigned_professional=person, status="filled", starts_at=at(third, 8), ends_at=at(third, 10))
    with pytest.raises(AssignmentRefused):
        visit_services.change_following(
            visits[1], start=dt.time(9), end=dt.time(11), caregiver=person, service_name="Care", user=coordinator
        )
    assert not Visit.objects.filter(caregiver=person).exists()
