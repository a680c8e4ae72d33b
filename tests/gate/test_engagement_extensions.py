"""An engagement's extensions are more days of its placement to the gate (issue 19): the gate reads them as the
placement's working days, and adding one on the engagement page passes the gate as new dates do."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from portal.contracts.models import Engagement, EngagementExtension
from portal.gate import receivers
from portal.gate.models import Finding, Rule
from portal.talent import assignment_gate
from tests.contracts.factories import EngagementFactory, ExtensionFactory
from tests.gate.conftest import at
from tests.shifts.factories import VisitFactory
from tests.talent.factories import TalentProfileFactory

pytestmark = pytest.mark.django_db
MONDAY = dt.date(2026, 3, 2)
THURSDAY, FRIDAY = MONDAY + dt.timedelta(days=3), MONDAY + dt.timedelta(days=4)
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def engagement(person, facility):
    """Three day shifts (07-19) at Mercy North, Monday to Wednesday, under way."""
    return EngagementFactory(
        talent=person, facility=facility, status=Engagement.Status.ACTIVE, starts_on=MONDAY,
        ends_on=MONDAY + dt.timedelta(days=2), shift_start_time=7, shift_end_time=19,
    )  # fmt: skip


def extend(coordinator_client, engagement, **extra):
    url = reverse("contracts:extension-create", args=[engagement.pk])
    dates = {"starts_on": THURSDAY.isoformat(), "ends_on": FRIDAY.isoformat()}
    return coordinator_client.post(url, {**dates, **extra}, **HTMX)


def test_the_gate_reads_an_extensions_days_as_the_placements(engagement, booking):
    assert assignment_gate.check(booking(FRIDAY, 9, 1)).clear
    ExtensionFactory(engagement=engagement, starts_on=THURSDAY, ends_on=FRIDAY)
    verdict = assignment_gate.check(booking(FRIDAY, 9, 1))
    assert [reason.rule for reason in verdict.blocks] == [Rule.OVERLAP]
    assert "(06 Mar)" in verdict.blocks[0].message


def test_an_archived_extension_adds_no_days(engagement, booking):
    ExtensionFactory(engagement=engagement, starts_on=THURSDAY, ends_on=FRIDAY, archived_at=timezone.now())
    assert assignment_gate.check(booking(FRIDAY, 9, 1)).clear


@pytest.mark.parametrize("placements", [1, 15])
def test_extensions_cost_the_gate_no_query_per_placement(
    person, facility, booking, placements, django_assert_max_num_queries
):
    for n in range(placements):
        start = MONDAY - dt.timedelta(days=7 * (n + 1))
        placement = EngagementFactory(
            talent=person, facility=facility, status=Engagement.Status.ACTIVE, starts_on=start,
            ends_on=start + dt.timedelta(days=1), shift_start_time=7, shift_end_time=8,
        )  # fmt: skip
        ExtensionFactory(engagement=placement, starts_on=start, ends_on=FRIDAY)
    with django_assert_max_num_queries(11):
        verdict = assignment_gate.check(booking(FRIDAY, 7, 1))
    assert [reason.rule for reason in verdict.blocks] == [Rule.OVERLAP]


def test_an_extension_over_other_work_is_refused_on_the_page(coordinator_client, engagement, person):
    VisitFactory(caregiver=person, service_name="Wound care", starts_at=at(FRIDAY, 9), ends_at=at(FRIDAY, 10))
    answer = extend(coordinator_client, engagement, override_reason="Needed")
    assert b"Overlapping work" in answer.content and b"Wound care" in answer.content
    assert b'type="hidden" name="override_reason"' in answer.content, "a block is not gone past with a reason"
    assert not EngagementExtension.objects.filter(engagement=engagement).exists()


def test_an_extension_warned_needs_a_reason_which_the_gate_keeps(coordinator_client, engagement, person):
    VisitFactory(caregiver=person, service_name="Night sit", starts_at=at(THURSDAY, 1), ends_at=at(THURSDAY, 3))
    refused = extend(coordinator_client, engagement)
    assert b"Too little rest" in refused.content and b'type="text" name="override_reason"' in refused.content
    assert not EngagementExtension.objects.filter(engagement=engagement).exists()

    added = extend(coordinator_client, engagement, override_reason="She asked for the weeks")
    [extension] = EngagementExtension.objects.filter(engagement=engagement)
    assert f'id="extension-{extension.pk}" class="added"'.encode() in added.content
    kept = Finding.objects.get(profile=person, rule=Rule.REST, work_ref=f"contracts.engagement:{engagement.pk}")
    assert kept.state == Finding.State.OVERRIDDEN and kept.reason == "She asked for the weeks"


def test_an_extension_of_an_engagement_that_books_nobody_is_not_gated(coordinator_client, facility):
    pending = EngagementFactory(talent=TalentProfileFactory(do_not_hire=True), facility=facility, status="pending",
                                starts_on=MONDAY, ends_on=MONDAY + dt.timedelta(days=2))  # fmt: skip
    extend(coordinator_client, pending)
    assert EngagementExtension.objects.filter(engagement=pending).exists()


def test_a_vendors_extension_queues_a_recheck_of_its_engagement(
    engagement, person, monkeypatch, django_capture_on_commit_callbacks
):
    sent = []
    monkeypatch.setattr(receivers.current_app, "send_task", lambda name, args: sent.append((name, args)))
    monkeypatch.setattr(receivers._pending, "work", [], raising=False)  # other tests' saves never committed
    with django_capture_on_commit_callbacks(execute=True):
        ExtensionFactory(engagement=engagement, starts_on=THURSDAY, ends_on=FRIDAY)
    assert sent == [(receivers.RECHECK_WORK, [[["contracts.engagement", engagement.pk, person.pk]]])]
