"""The calendar marks work the gate holds an open finding against (issue 19, "the person's calendar marks them"):
in words, not colour alone, for every source, in the queries the calendar takes without findings."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from portal.dashboard.calendar import CalendarFilters, calendar_days, calendar_entries
from portal.gate import services
from portal.gate.models import Finding
from tests.contracts.factories import ContractEventFactory, EngagementFactory, ParticipantFactory
from tests.dashboard.scenario import NOW, ZONE
from tests.shifts.factories import ShiftRequestFactory, VisitFactory
from tests.talent.factories import TalentProfileFactory

pytestmark = pytest.mark.django_db
WEEK = (dt.date(2026, 3, 9), dt.date(2026, 3, 15))


def collide(person, hours_ahead: int = 2):
    """A filled shift and a Ceki event of the same person at the same hour: the gate finds each overlapping."""
    start = NOW + dt.timedelta(hours=hours_ahead)
    shift = ShiftRequestFactory(assigned_professional=person, status="filled", starts_at=start,
                                ends_at=start + dt.timedelta(hours=8))  # fmt: skip
    participant = ParticipantFactory(talent=person)
    event = ContractEventFactory(contract=participant.contract, beneficiary=participant,
                                 starts_at=start + dt.timedelta(hours=1))  # fmt: skip
    return shift, event


def marked(entries) -> dict[str, bool]:
    return {entry.uid: entry.finding for entry in entries}


def test_work_with_an_open_finding_is_marked_and_the_rest_is_not(at_now):
    ada = TalentProfileFactory(first_name="Ada", last_name="Okafor")
    shift, event = collide(ada)
    calm = VisitFactory(
        caregiver=ada, starts_at=NOW + dt.timedelta(days=3), ends_at=NOW + dt.timedelta(days=3, hours=1)
    )
    engagement = EngagementFactory(talent=ada, starts_on=dt.date(2026, 3, 12), ends_on=dt.date(2026, 3, 14))
    services.recheck_upcoming()
    about = f"contracts.engagement:{engagement.pk}"
    Finding.objects.create(
        profile=ada, rule="do_not_hire", severity="block", message="x", work_ref=about,
        work_starts_at=NOW, work_ends_at=NOW + dt.timedelta(days=4), work_title="Engagement",
    )  # fmt: skip
    days = calendar_days(*WEEK, ZONE, CalendarFilters(person=ada.pk), cap=50)
    found = marked(entry for day in days for entry in day.entries)
    assert found[f"shift-{shift.pk}"] and found[f"contract-event-{event.pk}"]
    assert found[f"engagement-{engagement.pk}-starts"] and found[f"engagement-{engagement.pk}-ends"]
    assert found[f"visit-{calm.pk}"] is False
    assert marked(calendar_entries(*WEEK, ZONE, CalendarFilters(person=ada.pk)))[f"shift-{shift.pk}"]


def test_a_finding_acknowledged_or_resolved_no_longer_marks(at_now):
    ada = TalentProfileFactory()
    shift, _ = collide(ada)
    services.recheck_upcoming()
    Finding.objects.filter(work_ref=f"shifts.shiftrequest:{shift.pk}").update(state=Finding.State.ACKNOWLEDGED)
    days = calendar_days(*WEEK, ZONE, CalendarFilters(person=ada.pk))
    assert marked(entry for day in days for entry in day.entries)[f"shift-{shift.pk}"] is False


def test_the_persons_calendar_says_finding_in_words(at_now, coordinator_client, in_new_york):
    ada = TalentProfileFactory(first_name="Ada", last_name="Okafor")
    shift, _ = collide(ada)
    services.recheck_upcoming()
    html = coordinator_client.get(reverse("dashboard:calendar"), {"person": ada.pk, "date": "2026-03-10"}).content
    html = html.decode()
    entry = html[html.index(f'data-uid="shift-{shift.pk}"') :].split("</div>")[0]
    assert "⚠ Finding" in entry
    assert "has-finding" in html[: html.index(f'data-uid="shift-{shift.pk}"')].rsplit("<div", 1)[1]


@pytest.mark.parametrize("view", ["week", "month"])
def test_marking_costs_no_query_whatever_the_findings(
    at_now, coordinator_client, in_new_york, view, django_assert_max_num_queries
):
    url, query = reverse("dashboard:calendar"), {"view": view, "date": "2026-03-10"}
    coordinator_client.get(url, query)  # the session's and preferences' first reads
    with django_assert_max_num_queries(16) as empty:
        coordinator_client.get(url, query)
    for hours in range(0, 120, 12):
        collide(TalentProfileFactory(), hours_ahead=hours)
    services.recheck_upcoming()
    assert Finding.objects.filter(state="open").count() >= 20
    with django_assert_max_num_queries(len(empty.captured_queries)):
        html = coordinator_client.get(url, query).content.decode()
    assert html.count("⚠ Finding") >= 10
