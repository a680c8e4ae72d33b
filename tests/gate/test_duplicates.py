"""Who is who (issue 19): suggestions of people held twice, never automatic; merge with a preview of what
moves, unmerge exactly, reject for good; every step audited."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from portal.core.models import AuditEntry
from portal.gate import duplicates, merges
from portal.gate.duplicates import PersonRow, suggest
from portal.gate.models import DoNotReturn, DuplicateSuggestion, Merge
from portal.shifts.models import ShiftRequest
from tests.jobs.factories import FacilityFactory
from tests.shifts.factories import ShiftRequestFactory, VisitFactory
from tests.talent.factories import SkillFactory, TalentProfileFactory, TalentReferenceFactory

ROWS = [
    PersonRow(1, "Maria Lopez", "3125550100"),
    PersonRow(2, "maria  LOPEZ", ""),
    PersonRow(3, "Lopez, Maria", "3125550100"),
    PersonRow(4, "Mary Lopez-Smith", "3125550100"),
    PersonRow(5, "Maria Lopes", "3125559999"),
    PersonRow(6, "John Doe", "", dt.date(1990, 1, 1)),
    PersonRow(7, "Jon Doe", "", dt.date(1990, 1, 1)),
    PersonRow(8, "Jon Doe", "", dt.date(1991, 1, 1)),
    PersonRow(9, "Priya Natarajan", "6175550199"),
]


def pairs(rows):
    return {(pair.first, pair.second) for pair in suggest(rows)}


def test_names_phones_and_birth_dates_make_suggestions():
    found = pairs(ROWS)
    assert {(1, 2), (1, 3), (2, 3), (1, 4), (6, 7)} <= found
    assert (7, 8) not in found and (6, 8) not in found  # different birth dates: different people
    assert (1, 5) not in found  # a close name but another phone
    assert not any(9 in pair for pair in found)


@given(st.permutations(ROWS))
def test_suggestions_do_not_depend_on_the_order_people_are_read(rows):
    assert suggest(rows) == suggest(ROWS)


@pytest.fixture
def twins(db):
    kept = TalentProfileFactory(
        first_name="Maria", last_name="Lopez", email="maria@kamana.test", phone="(312) 555-0100"
    )
    other = TalentProfileFactory(
        first_name="Maria", last_name="Lopez", email="mlopez@alaunus.test", phone="312.555.0100"
    )
    return kept, other


def test_refresh_stores_pairs_once_and_never_brings_back_a_rejected_one(twins, coordinator):
    TalentProfileFactory(first_name="Priya", last_name="Natarajan", phone="")
    assert duplicates.refresh_suggestions() == {"people": 3, "suggested": 1}
    suggestion = DuplicateSuggestion.objects.get()
    assert "same phone" in suggestion.reasons
    merges.reject(suggestion, coordinator)
    duplicates.refresh_suggestions()
    assert list(DuplicateSuggestion.objects.values_list("state", flat=True)) == ["rejected"]


def test_birth_dates_come_from_the_vendors_payloads(db):
    one = TalentProfileFactory(first_name="Jon", last_name="Doe", phone="")
    two = TalentProfileFactory(first_name="John", last_name="Doe", phone="")
    TalentReferenceFactory(profile=one, vendor_data={"date_of_birth": "1990-01-01"})
    TalentReferenceFactory(profile=two, vendor_data={"dob": "1990-01-01"})
    duplicates.refresh_suggestions()
    assert DuplicateSuggestion.objects.get().reasons == ["name 93", "same birth date"]


def test_merge_moves_everything_and_unmerge_moves_exactly_that_back(twins, coordinator):
    kept, other = twins
    shift = ShiftRequestFactory(assigned_professional=other, status="filled")
    visit = VisitFactory(caregiver=other)
    reference = TalentReferenceFactory(profile=other)
    skill = SkillFactory()
    other.skills.add(skill)
    suggestion = DuplicateSuggestion.objects.create(first=kept, second=other, score=96)
    lines = {line.key: line.count for line in merges.preview(other, kept)}
    assert lines == {
        "talent.talentreference.profile": 1,
        "shifts.shiftrequest.assigned_professional": 1,
        "shifts.visit.caregiver": 1,
        "talent.talentprofile.skills": 1,
    }
    done = merges.merge(suggestion, kept, coordinator)
    shift.refresh_from_db(), visit.refresh_from_db(), reference.refresh_from_db(), other.refresh_from_db()
    assert shift.assigned_professional == kept and visit.caregiver == kept and reference.profile == kept
    assert list(kept.skills.all()) == [skill] and other.email == ""
    moved = AuditEntry.objects.get(content_type__model="shiftrequest", object_id=str(shift.pk), action="update")
    assert moved.actor == coordinator and moved.changes == {"assigned_professional": [other.pk, kept.pk]}
    later = ShiftRequestFactory(assigned_professional=kept, status="filled")  # booked after the merge: stays
    merges.unmerge(done, coordinator)
    shift.refresh_from_db(), other.refresh_from_db(), later.refresh_from_db(), done.refresh_from_db()
    assert shift.assigned_professional == other and later.assigned_professional == kept
    assert other.email == "mlopez@alaunus.test" and not kept.skills.exists() and done.undone_at
    suggestion.refresh_from_db()
    assert suggestion.state == "unmerged" and suggestion.decided_by == coordinator
    assert ShiftRequest.objects.filter(assigned_professional=other).count() == 1


def test_a_merge_that_would_duplicate_a_once_per_person_record_is_refused_whole(twins, coordinator):
    kept, other = twins
    facility = FacilityFactory()
    DoNotReturn.objects.create(profile=kept, facility=facility, reason="No-show")
    DoNotReturn.objects.create(profile=other, facility=facility, reason="No-show")
    visit = VisitFactory(caregiver=other)
    suggestion = DuplicateSuggestion.objects.create(first=kept, second=other, score=96)
    with pytest.raises(Exception, match="may exist only once per person"):
        merges.merge(suggestion, kept, coordinator)
    visit.refresh_from_db(), suggestion.refresh_from_db()
    assert visit.caregiver == other and suggestion.state == "open" and not Merge.objects.exists()


def test_the_review_pages_preview_merge_and_undo(coordinator_client, twins):
    kept, other = twins
    VisitFactory(caregiver=other)
    suggestion = DuplicateSuggestion.objects.create(first=kept, second=other, score=96, reasons=["name 100"])
    listing = coordinator_client.get(reverse("gate:duplicates"))
    assert b"name 100" in listing.content
    review = coordinator_client.get(reverse("gate:duplicate", args=[suggestion.pk]))
    assert b"1 \xc3\x97 Visits" in review.content
    answer = coordinator_client.post(reverse("gate:duplicate", args=[suggestion.pk]), {"keep": kept.pk})
    assert answer.status_code == 302 and Merge.objects.get().kept == kept
    coordinator_client.post(reverse("gate:unmerge", args=[Merge.objects.get().pk]))
    assert other.visits.count() == 1


def test_reject_from_the_page_and_the_role(coordinator_client, client, make_user, twins):
    suggestion = DuplicateSuggestion.objects.create(first=twins[0], second=twins[1], score=96)
    coordinator_client.post(reverse("gate:duplicate", args=[suggestion.pk]), {"decision": "reject"})
    suggestion.refresh_from_db()
    assert suggestion.state == "rejected"
    client.force_login(make_user("nobody"))
    assert client.get(reverse("gate:duplicates")).status_code == 403
