"""Talent models: the constraints that keep one person one profile, and relationship moves that are refused."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, transaction

from portal.core.audit import InvalidTransition, audit_context
from portal.talent.models import AccountRelationship, CandidateStatus, TalentProfile

pytestmark = pytest.mark.django_db


def test_profile_email_is_normalised_and_unique():
    TalentProfile.objects.create(email=" Jo@Example.ORG ")
    assert TalentProfile.objects.get().email == "jo@example.org"
    with pytest.raises(IntegrityError), transaction.atomic():
        TalentProfile.objects.create(email="jo@example.org")
    TalentProfile.objects.create(email="")
    TalentProfile.objects.create(email="")  # people without an email are not merged
    assert TalentProfile.objects.count() == 3


def test_relationship_refuses_invalid_move_and_audits_the_person_who_moved_it(make_user):
    coordinator = make_user("casey")
    relationship = AccountRelationship.objects.create(profile=TalentProfile.objects.create(email="a@example.org"))
    relationship.status = AccountRelationship.Status.ENGAGED
    relationship.save()
    relationship.status = AccountRelationship.Status.INTERESTED
    with pytest.raises(InvalidTransition) as error:
        relationship.save()
    assert "status" in error.value.message_dict
    relationship.refresh_from_db()
    relationship.status = AccountRelationship.Status.ARCHIVED
    relationship.status_reason = "Took a permanent job"
    with audit_context("user", coordinator):
        relationship.save()
    entry = relationship.audit_history().first()
    assert (entry.actor, entry.source, entry.action) == (coordinator, "user", "update")
    assert entry.changes["status"] == ["engaged", "archived"]
    assert entry.changes["status_reason"] == ["", "Took a permanent job"]


def test_candidate_status_careerbuilder_key_and_application_requires_requisition():
    values = {
        "account": "AAAA_1234",
        "candidate_email": "TestEmail@123.com",
        "vendor_key": "vk",
        "status": "Reviewed",
        "status_date": dt.datetime(2017, 3, 19, 23, 4, 1, tzinfo=dt.UTC),
    }
    CandidateStatus.objects.create(status_level="application", requisition_id="1", **values)
    CandidateStatus.objects.create(status_level="candidate", **values)
    with pytest.raises(IntegrityError), transaction.atomic():
        CandidateStatus.objects.create(status_level="application", requisition_id="1", **values)
    with pytest.raises(IntegrityError), transaction.atomic():
        CandidateStatus.objects.create(status_level="application", requisition_id="", **values)
    assert set(CandidateStatus.objects.values_list("candidate_email", flat=True)) == {"testemail@123.com"}
