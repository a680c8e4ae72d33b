"""One person known to several vendors is one profile with several references (issue 3)."""

from __future__ import annotations

import datetime as dt

import pytest

from portal.integrations.models import VendorConnection
from portal.integrations.sync import apply_page
from portal.talent.models import CandidateStatus, TalentProfile, TalentReference
from portal.talent.services import match_or_create_profile, record_candidate_status
from vendors.careerbuilder.mapping import candidate_status_record

pytestmark = pytest.mark.django_db

UTC = dt.UTC


@pytest.fixture
def kamana():
    return VendorConnection.objects.create(vendor="kamana", name="Kamana", base_url="https://kamana.test")


@pytest.fixture
def alaunus():
    return VendorConnection.objects.create(vendor="alaunus", name="Alaunus", base_url="https://alaunus.test")


def test_same_email_at_two_vendors_is_one_profile_with_two_references(kamana, alaunus):
    first = match_or_create_profile(
        email="  Maria.Lopez@Example.org ", first_name="Maria", connection=kamana, external_id="k-1"
    )
    second = match_or_create_profile(
        email="maria.lopez@example.ORG", last_name="Lopez", phone="555-0101", connection=alaunus, external_id="a-9"
    )
    assert first.pk == second.pk
    profile = TalentProfile.objects.get()
    assert (profile.email, profile.first_name, profile.last_name, profile.phone) == (
        "maria.lopez@example.org",
        "Maria",
        "Lopez",
        "555-0101",
    )
    assert sorted(profile.references.values_list("connection__vendor", "external_id")) == [
        ("alaunus", "a-9"),
        ("kamana", "k-1"),
    ]


def test_known_reference_matches_even_after_the_email_changed(kamana):
    profile = match_or_create_profile(email="old@example.org", connection=kamana, external_id="k-1")
    again = match_or_create_profile(
        email="new@example.org",
        connection=kamana,
        external_id="k-1",
        vendor_updated_at=dt.datetime(2026, 1, 2, tzinfo=UTC),
        vendor_data={"first_name": "Sam"},
    )
    assert again.pk == profile.pk
    reference = TalentReference.objects.get()
    assert reference.email == "new@example.org" and reference.vendor_data == {"first_name": "Sam"}


def test_older_payload_does_not_roll_the_reference_back(kamana):
    newer = dt.datetime(2026, 3, 1, tzinfo=UTC)
    match_or_create_profile(
        email="a@example.org", connection=kamana, external_id="k-1", vendor_updated_at=newer, vendor_data={"v": 2}
    )
    match_or_create_profile(
        email="a@example.org",
        connection=kamana,
        external_id="k-1",
        vendor_updated_at=newer - dt.timedelta(days=1),
        vendor_data={"v": 1},
    )
    reference = TalentReference.objects.get()
    assert reference.vendor_data == {"v": 2} and reference.vendor_updated_at == newer


def test_blank_email_never_matches_another_person():
    first = match_or_create_profile(email="", first_name="Ann")
    second = match_or_create_profile(email="  ", first_name="Bob")
    assert first.pk != second.pk


def test_candidate_status_lines_form_the_profile_timeline_and_stale_lines_change_nothing():
    day = dt.datetime(2026, 3, 19, 19, 4, 1, tzinfo=UTC)
    line = {"account": "AAAA_1234", "candidate_email": "TestEmail@123.com", "vendor_key": "vk"}
    early, created = record_candidate_status(
        **line, status_level="candidate", requisition_id="ignored", status="New", status_date=day
    )
    assert created and early.profile is None and early.requisition_id == ""

    profile = match_or_create_profile(email="testemail@123.com", first_name="Test")
    early.refresh_from_db()
    assert early.profile == profile  # a status that came first joins the person's timeline

    application, _ = record_candidate_status(
        **line, status_level="application", requisition_id="123", status="Reviewed", status_date=day
    )
    assert application.profile == profile
    _, changed = record_candidate_status(
        **line,
        status_level="application",
        requisition_id="123",
        status="New",
        status_date=day - dt.timedelta(hours=1),
    )
    assert not changed
    newer, changed = record_candidate_status(
        **line,
        status_level="application",
        requisition_id="123",
        status="Offer",
        status_date=day + dt.timedelta(days=2),
    )
    assert changed and newer.pk == application.pk
    assert list(profile.candidate_statuses.values_list("status_level", "status")) == [
        ("application", "Offer"),
        ("candidate", "New"),
    ]
    assert CandidateStatus.objects.count() == 2


def test_a_recorded_status_line_and_the_careerbuilder_sync_of_it_are_one_row():
    """A line recorded here carries the id the CareerBuilder sync gives the same key, so the sync's diff finds it
    and updates it instead of inserting a second row against the table's unique key."""
    careerbuilder = VendorConnection.objects.create(
        vendor="careerbuilder", name="CareerBuilder", base_url="https://careerbuilder.test"
    )
    day = dt.datetime(2026, 11, 2, 15, 30, tzinfo=UTC)
    requisition = "R" * 1024  # the doc's limit: the key is longer than an external id, so it is hashed
    line = {"account": "AAAA_1234", "candidate_email": "Amara.Okafor@Example.org", "vendor_key": "staffing-portal"}
    local, _ = record_candidate_status(
        **line,
        status_level="application",
        requisition_id=requisition,
        status="Reviewed",
        status_date=day,
        connection=careerbuilder,
    )
    candidate, _ = record_candidate_status(**line, status_level="candidate", status="New", status_date=day)
    synced = {**line, "account": "aaaa_1234", "status_level": "application", "requisition_id": requisition}
    pulled = candidate_status_record({"status": {**synced, "status": "Offer", "status_date": "2026-11-03T09:00:00Z"}})
    assert local.external_id == pulled.external_id and local.external_id.startswith("sha256:")
    assert candidate.external_id == "aaaa_1234|amara.okafor@example.org|staffing-portal||candidate"

    counts = apply_page(CandidateStatus, careerbuilder, [pulled])

    assert (counts.created, counts.updated) == (0, 1)
    local.refresh_from_db()
    assert (local.status, local.status_date) == ("Offer", dt.datetime(2026, 11, 3, 9, tzinfo=UTC))
    assert CandidateStatus.objects.count() == 2


def test_a_line_recorded_before_it_had_an_id_gets_it_with_its_next_change():
    careerbuilder = VendorConnection.objects.create(
        vendor="careerbuilder", name="CareerBuilder", base_url="https://careerbuilder.test"
    )
    day = dt.datetime(2026, 11, 2, 15, 30, tzinfo=UTC)
    line = {"account": "AAAA_1234", "candidate_email": "a@b.org", "status_level": "candidate", "status_date": day}
    old = CandidateStatus.objects.create(**line, status="New", connection=careerbuilder)
    portal_only = CandidateStatus.objects.create(**line, status="Recorded with no connection")
    assert old.external_id == "" and portal_only.connection is None
    row, changed = record_candidate_status(
        account="AAAA_1234",
        candidate_email="a@b.org",
        status_level="candidate",
        status="Hired",
        status_date=day + dt.timedelta(days=1),
        connection=careerbuilder,
    )
    assert changed and row.pk == old.pk
    assert (row.external_id, row.connection) == ("aaaa_1234|a@b.org|||candidate", careerbuilder)
    portal_only.refresh_from_db()
    assert (portal_only.status, portal_only.external_id) == ("Recorded with no connection", ""), "never taken over"
