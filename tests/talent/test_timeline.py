"""The merged timeline: every source, newest first, filters, the keyset cursor, and constant queries."""

from __future__ import annotations

import datetime as dt

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from hypothesis import given
from hypothesis import strategies as st

from portal.contracts.models import CredentialingRequirement, Engagement
from portal.core.models import AuditEntry
from portal.shifts.models import ShiftRequest, Visit
from portal.talent.models import AccountRelationship, CandidateStatus
from portal.talent.timeline import build_timeline
from tests.contracts.factories import (
    ContractFactory,
    CredentialingRequirementFactory,
    EngagementFactory,
    ParticipantFactory,
)
from tests.jobs.factories import JobRequisitionFactory, VendorConnectionFactory
from tests.shifts.factories import ShiftRequestFactory, VisitFactory
from tests.support.properties import database_property
from tests.talent.factories import AccountRelationshipFactory, CandidateStatusFactory, TalentProfileFactory

pytestmark = pytest.mark.django_db

T0 = dt.datetime(2026, 10, 1, 12, tzinfo=dt.UTC)


def at(days: int) -> dt.datetime:
    return T0 + dt.timedelta(days=days)


def connection(vendor: str, name: str):
    return VendorConnectionFactory(vendor=vendor, name=name)


def set_audit_time(record, when: dt.datetime) -> None:
    """Audit rows are stamped with the real clock; tests place them on the scenario's days."""
    AuditEntry.objects.filter(content_type=ContentType.objects.get_for_model(record), object_id=str(record.pk)).update(
        at=when
    )


def history_across_vendors(profile) -> dict[str, object]:
    """One person known to five vendors, one event a day from day 1 (oldest) to day 8 (newest)."""
    careerbuilder = connection("careerbuilder", "CareerBuilder (agency)")
    kamana = connection("kamana", "Kamana (agency)")
    intelycare = connection("intelycare", "IntelyCare (Boston)")
    alaunus = connection("alaunus", "Alaunus (home care)")
    ceki = connection("ceki", "Ceki (contracts)")
    requisition = JobRequisitionFactory(connection=kamana, external_id="REQ-77", name="ICU nurse, nights")
    CandidateStatusFactory(
        profile=profile,
        connection=careerbuilder,
        status_level=CandidateStatus.Level.CANDIDATE,
        requisition_id="",
        requisition_title="",
        status="Sourced",
        status_date=at(1),
    )
    CandidateStatusFactory(
        profile=profile, connection=careerbuilder, requisition_id="REQ-77", status="Interview", status_date=at(5)
    )
    relationship = AccountRelationshipFactory(profile=profile, connection=kamana, external_id="rel-1")
    set_audit_time(relationship, at(2))
    relationship.status, relationship.sub_status, relationship.status_reason = "engaged", "Placed", "Signed"
    relationship.save()
    AuditEntry.objects.filter(at__gt=at(30), object_id=str(relationship.pk), action="update").update(at=at(7))
    engagement = EngagementFactory(talent=profile, connection=kamana, external_id="eng-1", job_requisition=requisition)
    set_audit_time(engagement, at(3))
    CredentialingRequirementFactory(
        engagement=engagement,
        connection=kamana,
        external_id="cred-1",
        status=CredentialingRequirement.Status.VERIFIED,
        verified_at=at(4),
    )
    ShiftRequestFactory(
        assigned_professional=profile,
        connection=intelycare,
        external_id="shift-1",
        status=ShiftRequest.Status.COMPLETED,
        starts_at=at(6),
        ends_at=at(6) + dt.timedelta(hours=8),
    )
    ShiftRequestFactory(connection=intelycare, external_id="shift-open", starts_at=at(6))  # not theirs
    VisitFactory(caregiver=profile, connection=alaunus, status=Visit.Status.COMPLETED, starts_at=at(8))
    VisitFactory(caregiver=profile, connection=alaunus, status=Visit.Status.CANCELLED, starts_at=at(8))  # not worked
    ParticipantFactory(talent=profile, contract=ContractFactory(connection=ceki, label="ICU cover", starts_at=at(0)))
    return {"requisition": requisition, "engagement": engagement, "relationship": relationship}


def test_every_source_merges_newest_first():
    profile = TalentProfileFactory()
    history_across_vendors(profile)
    timeline = build_timeline(profile)
    titles = [entry.title for entry in timeline.entries]
    assert [(entry.source, entry.kind) for entry in timeline.entries] == [
        ("alaunus", "visit"),
        ("kamana", "relationship"),
        ("intelycare", "shift"),
        ("careerbuilder", "application-status"),
        ("kamana", "credential"),
        ("kamana", "engagement"),
        ("kamana", "relationship"),
        ("careerbuilder", "candidate-status"),
        ("ceki", "contract"),
    ], titles
    assert [entry.at for entry in timeline.entries] == sorted((entry.at for entry in timeline.entries), reverse=True)
    by_kind = {entry.kind: entry for entry in reversed(timeline.entries)}  # the newest of each kind
    assert by_kind["relationship"].title == "Relationship: Interested → Engaged"  # the source names the account
    assert by_kind["application-status"].requisition_id == "REQ-77"
    assert by_kind["application-status"].source_label == "CareerBuilder (agency)"
    assert by_kind["engagement"].requisition_id == "REQ-77"
    assert by_kind["engagement"].title == "Engagement on ICU nurse, nights: Pending"
    assert by_kind["contract"].detail == "specialist, accepted"
    assert timeline.next_before is None


def test_each_app_adds_its_entries_once_however_often_it_registers():
    """The apps register their sources from `ready()` (the timeline imports none of them); a second `ready()`
    (a test runner, a reloaded app registry) adds nothing twice."""
    profile = TalentProfileFactory()
    history_across_vendors(profile)
    entries = build_timeline(profile).entries
    for label in ("talent", "shifts", "contracts"):
        apps.get_app_config(label).ready()
    assert build_timeline(profile).entries == entries
    assert {entry.kind for entry in entries} >= {"relationship", "engagement", "credential", "shift", "visit"}


def test_filter_by_source_and_by_requisition():
    profile = TalentProfileFactory()
    history_across_vendors(profile)
    kamana = build_timeline(profile, source="kamana").entries
    assert {entry.source for entry in kamana} == {"kamana"}
    assert len(kamana) == 4
    requisition = build_timeline(profile, requisition="REQ-77").entries
    assert [(entry.source, entry.kind) for entry in requisition] == [
        ("careerbuilder", "application-status"),
        ("kamana", "engagement"),
    ]
    assert build_timeline(profile, source="portal").entries == []


def test_a_record_without_status_history_shows_its_current_status():
    """A vendor sync's bulk write may leave no audit row; the record's own status still appears."""
    profile = TalentProfileFactory()
    relationship = AccountRelationshipFactory(profile=profile, status=AccountRelationship.Status.REVIEW)
    AuditEntry.objects.all().delete()
    AccountRelationship.objects.filter(pk=relationship.pk).update(status_changed_at=at(3))
    [entry] = build_timeline(profile).entries
    assert (entry.source, entry.title, entry.at) == ("portal", "Account acct-1: Review", at(3))
    assert entry.detail == "current status"


def test_expiring_and_expired_credentials_appear_but_distant_expiries_do_not(settings):
    profile = TalentProfileFactory()
    engagement = EngagementFactory(talent=profile)
    now = dt.datetime.now(dt.UTC)
    CredentialingRequirementFactory(engagement=engagement, name="BLS", expires_at=now - dt.timedelta(days=2))
    CredentialingRequirementFactory(engagement=engagement, name="ACLS", expires_at=now + dt.timedelta(days=10))
    CredentialingRequirementFactory(engagement=engagement, name="RN licence", expires_at=now + dt.timedelta(days=300))
    titles = [entry.title for entry in build_timeline(profile, source="portal").entries if entry.kind == "credential"]
    assert titles == ["Credential expires: ACLS", "Credential expired: BLS"]


def test_the_keyset_cursor_walks_every_entry_once():
    profile = TalentProfileFactory()
    history_across_vendors(profile)
    seen, before = [], None
    for _ in range(10):
        page = build_timeline(profile, limit=2, before=before)
        seen += page.entries
        if page.next_before is None:
            break
        before = page.next_before
    assert [entry.title for entry in seen] == [entry.title for entry in build_timeline(profile).entries]


@pytest.fixture
def person_with_history():
    profile = TalentProfileFactory()
    history_across_vendors(profile)
    CandidateStatusFactory(profile=profile, requisition_id="REQ-78", status_date=at(5))  # two entries at one instant
    return profile


@database_property
@given(limit=st.integers(min_value=1, max_value=12))
def test_any_page_size_walks_every_source_once_in_order(person_with_history, limit):
    """Whatever the page size, the pages of every app's sources together are the one long page."""
    everything = build_timeline(person_with_history, limit=200).entries
    walked, before = [], None
    for _ in range(len(everything) + 1):
        page = build_timeline(person_with_history, limit=limit, before=before)
        walked += page.entries
        if page.next_before is None:
            break
        before = page.next_before
    assert walked == everything


def _bulk_history(profile, size: int) -> None:
    """`size` entries spread over the sources, written in bulk."""
    careerbuilder = connection("careerbuilder", f"CareerBuilder {size}")
    intelycare = connection("intelycare", f"IntelyCare {size}")
    CandidateStatus.objects.bulk_create(
        CandidateStatus(
            profile=profile,
            connection=careerbuilder,
            account="AAAA_1234",
            candidate_email=profile.email,
            requisition_id=f"req-{n}",
            status_level="application",
            status="Applied",
            status_date=at(-n),
        )
        for n in range(size // 2)
    )
    facility = ShiftRequestFactory(assigned_professional=profile, status="filled", connection=intelycare).facility
    ShiftRequest.objects.bulk_create(
        ShiftRequest(
            facility=facility,
            unit="ICU",
            professional_type="RN",
            starts_at=at(-n) + dt.timedelta(hours=1),  # between two statuses: no two entries share an instant
            ends_at=at(-n) + dt.timedelta(hours=9),
            external_shift_id=f"bulk-{size}-{n}",
            status="completed",
            assigned_professional=profile,
            connection=intelycare,
        )
        for n in range(size // 2 - 2)  # with the factory shift and the engagement: `size` entries
    )
    EngagementFactory(talent=profile, status=Engagement.Status.PENDING)


@pytest.mark.parametrize("size", [20, 2000])
def test_queries_do_not_grow_with_the_history(size, django_assert_max_num_queries):
    profile = TalentProfileFactory()
    _bulk_history(profile, size)
    build_timeline(profile)  # content types cached, as in a running server
    # One query per source: statuses, relationships, engagements, their audit rows, credentials verified and
    # expiring, shifts, visits, contracts, the gate's findings.
    with django_assert_max_num_queries(10):
        timeline = build_timeline(profile, limit=50)
    assert len(timeline.entries) == min(size, 50)
    assert (timeline.next_before is None) == (size <= 50)
    with django_assert_max_num_queries(10):
        older = build_timeline(profile, limit=50, before=timeline.entries[-1].at)
    assert len(older.entries) == max(0, min(size - 50, 50))
    assert all(entry.at < timeline.entries[-1].at for entry in older.entries)


def test_entries_sharing_an_instant_are_not_lost_between_pages():
    profile = TalentProfileFactory()
    times = [at(5), at(4), at(4), at(4), at(3)]
    for n, when in enumerate(times):
        CandidateStatusFactory(profile=profile, requisition_id=f"req-{n}", status_date=when)
    pages, before = [], None
    for _ in range(5):
        page = build_timeline(profile, limit=2, before=before)
        pages.append([entry.at for entry in page.entries])
        if page.next_before is None:
            break
        before = page.next_before
    assert pages == [[at(5)], [at(4), at(4), at(4)], [at(3)]]
