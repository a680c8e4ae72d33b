"""Reported fill status: the fold of every vendor report, in vendor time order, whatever order they came in."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from portal.core.audit import audit_context
from portal.shifts.models import ShiftRequest
from portal.shifts.services import ReportedStatus, fold_reported_statuses, record_reported_statuses, report_order
from tests.shifts.factories import ShiftRequestFactory
from tests.talent.factories import TalentProfileFactory

T0 = dt.datetime(2026, 3, 1, 15, tzinfo=dt.UTC)
Status = ShiftRequest.Status
MINUTE = dt.timedelta(minutes=1)


def report(status, minutes, tiebreak="", ref=None):
    return ReportedStatus(status, T0 + minutes * MINUTE, tiebreak=tiebreak or f"{status}{minutes}", ref=ref)


def fill(minutes, who):
    return report(Status.FILLED, minutes, tiebreak=f"filled-by-{who}", ref=who)


# -- the fold itself: a pure function of the set of reports --------------------------------------------------------


def test_completed_keeps_the_professional_of_the_accepted_before_it_even_when_that_came_last():
    folded = fold_reported_statuses([report(Status.COMPLETED, 9), fill(0, "florence")])
    assert (folded.status, folded.at, folded.assigned_by.ref) == (Status.COMPLETED, T0 + 9 * MINUTE, "florence")


def test_a_released_after_an_accepted_clears_the_professional_and_an_older_accepted_cannot_refill():
    folded = fold_reported_statuses([report(Status.OPEN, 5), fill(3, "florence")])
    assert (folded.status, folded.assigned_by) == (Status.OPEN, None)


def test_a_released_that_changes_nothing_still_moves_the_vendor_time():
    folded = fold_reported_statuses([report(Status.OPEN, 5)])
    assert (folded.status, folded.at) == (Status.OPEN, T0 + 5 * MINUTE)


def test_ties_follow_the_shift_lifecycle_then_the_content_hash():
    assert fold_reported_statuses([report(Status.OPEN, 1), fill(1, "florence")]).status == Status.OPEN
    two_fills = [fill(1, "b"), fill(1, "a")]
    assert fold_reported_statuses(two_fills).assigned_by.ref == "b", "the greater content hash sorts last and wins"
    assert fold_reported_statuses([]) is None


reports = st.lists(
    st.builds(
        ReportedStatus,
        status=st.sampled_from(list(Status)),
        at=st.integers(0, 6).map(lambda m: T0 + m * MINUTE),  # few instants: many ties
        tiebreak=st.sampled_from("abc"),
        ref=st.sampled_from(["florence", "clara", "mary"]),
    ),
    min_size=1,
    max_size=8,
)


@settings(max_examples=300)
@given(reports, st.randoms(use_true_random=False), st.lists(st.integers(0, 7), max_size=4))
def test_the_fold_is_the_same_for_every_order_and_any_duplicates(history, random, repeated):
    in_order = fold_reported_statuses(sorted(history, key=report_order))
    delivered = history + [history[i % len(history)] for i in repeated]
    random.shuffle(delivered)
    assert fold_reported_statuses(delivered) == in_order


# -- recording the fold on the shift -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_recording_writes_the_fold_once_and_audits_it_as_the_webhook():
    shift, florence = ShiftRequestFactory(), TalentProfileFactory()
    history = [fill(0, "florence"), report(Status.COMPLETED, 540)]
    asked = []

    def professional_of(assigning):
        asked.append(assigning.ref)
        return florence

    with audit_context("webhook", detail="intelycare Completed"):
        assert record_reported_statuses(shift, history, professional_of) is True
        assert record_reported_statuses(shift, [*history, history[0]], professional_of) is False, "a duplicate"
    shift.refresh_from_db()
    assert (shift.status, shift.assigned_professional, shift.status_changed_at) == (
        Status.COMPLETED,
        florence,
        T0 + 540 * MINUTE,
    )
    assert asked == ["florence", "florence"], "only the assigning report's professional is looked up"
    changes = [entry for entry in shift.audit_history() if "status" in entry.changes]
    assert [entry.changes["status"] for entry in changes] == [["open", "completed"], [None, "open"]]
    assert changes[0].source == "webhook", "the vendor's report is recorded as reported, past the portal's moves"


@pytest.mark.django_db
def test_a_late_older_released_moves_nothing_back():
    shift, florence = ShiftRequestFactory(), TalentProfileFactory()
    record_reported_statuses(shift, [fill(0, "florence")], lambda _: florence)
    late = [fill(0, "florence"), report(Status.OPEN, -5)]
    assert record_reported_statuses(shift, late, lambda _: florence) is False
    shift.refresh_from_db()
    assert (shift.status, shift.assigned_professional_id, shift.status_changed_at) == (Status.FILLED, florence.pk, T0)
