"""No day and clock times a coordinator can type make the shift or visit pages fail: around every spring and
autumn change, each answer is a saved record that ends after it starts or the form again with the reason."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from portal.shifts.models import ShiftRequest, Visit
from tests.jobs.factories import FacilityFactory, PatientFactory

pytestmark = pytest.mark.django_db

# Each zone's 2026 changes: the days around them are where a typed time can fail to exist or exist twice.
CHANGES = {
    "America/New_York": (dt.date(2026, 3, 8), dt.date(2026, 11, 1)),
    "Europe/London": (dt.date(2026, 3, 29), dt.date(2026, 10, 25)),
    "Australia/Sydney": (dt.date(2026, 4, 5), dt.date(2026, 10, 4)),
}
# Any minute, or one of the small hours where the changes are.
minutes = st.one_of(st.integers(0, 24 * 60 - 1), st.integers(0, 4 * 60))
typed = st.sampled_from(sorted(CHANGES)).flatmap(
    lambda zone: st.tuples(
        st.just(zone),
        st.sampled_from(CHANGES[zone]).flatmap(lambda day: st.integers(-1, 1).map(lambda n: day + dt.timedelta(n))),
        minutes,
        minutes,
        st.lists(st.sampled_from(["MO", "TU", "WE", "TH", "FR", "SA", "SU"]), max_size=3, unique=True),
    )
)


def clock(minute: int) -> str:
    return f"{minute // 60:02d}:{minute % 60:02d}"


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(typed)
# Found failing: 02:30 does not exist that night, and read as 03:30 it comes after a 03:10 end (a 500 then).
@example(("America/New_York", dt.date(2026, 3, 8), 150, 190, []))
@example(("Europe/London", dt.date(2026, 3, 29), 90, 130, ["SU"]))
@example(("Australia/Sydney", dt.date(2026, 10, 4), 135, 240, ["SU", "MO"]))
def test_any_typed_day_and_times_save_a_record_that_ends_after_it_starts_or_say_why(coordinator_client, values):
    zone, day, start, end, weekdays = values
    facility = FacilityFactory(time_zone=zone)
    patient = PatientFactory(time_zone=zone)
    shift = {"facility": facility.pk, "unit": "2 West", "professional_type": "CNA", "boost_percentage": 0}
    times = {"start_time": clock(start), "end_time": clock(end)}
    repeat = {"weekdays": weekdays, "weeks": 2} if weekdays else {}
    answers = [
        coordinator_client.post(reverse("shifts:create"), {**shift, **times, "first_day": day.isoformat()}),
        coordinator_client.post(
            "/shifts/visits/new/", {"patient": patient.pk, "day": day.isoformat(), **times, **repeat}
        ),
    ]
    for answer in answers:
        assert answer.status_code in (200, 302)
        if answer.status_code == 200:
            assert answer.context["form"].errors, "the form came back without saying why"
    saved = [*ShiftRequest.objects.filter(facility=facility), *Visit.objects.filter(patient=patient)]
    assert all(record.ends_at > record.starts_at for record in saved)
