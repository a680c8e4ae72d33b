"""Engagement pipeline moves, Kamana's write-once client contract, and credential expiry."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from portal.contracts.models import CredentialingRequirement, Engagement, TimeEntry
from tests.contracts.factories import ContractFactory, CredentialingRequirementFactory, EngagementFactory

pytestmark = pytest.mark.django_db

Status = Engagement.Status


def test_engagement_moves_forward_and_may_skip_steps():
    engagement = EngagementFactory()
    engagement.status = Status.READY
    engagement.save()
    engagement.status = Status.PLACED
    engagement.save()
    assert Engagement.objects.get(pk=engagement.pk).status == Status.PLACED


@pytest.mark.parametrize(("start", "target"), [(Status.PLACED, Status.QUALIFYING), (Status.COMPLETE, Status.ACTIVE)])
def test_engagement_cannot_move_back_or_reopen(start, target):
    engagement = EngagementFactory(status=start)
    engagement.status = target
    with pytest.raises(ValidationError) as excinfo:
        engagement.save()
    assert "status" in excinfo.value.message_dict


def test_sub_status_only_on_complete_and_client_contract_set_once():
    engagement = EngagementFactory(client_contract_id="cc-1")
    engagement.sub_status = Engagement.SubStatus.CANCELLED_BY_CLIENT
    engagement.client_contract_id = "cc-2"
    with pytest.raises(ValidationError) as excinfo:
        engagement.full_clean()
    assert set(excinfo.value.message_dict) == {"sub_status", "client_contract_id"}


def test_engagement_dates_checked_by_the_database():
    with pytest.raises(IntegrityError), transaction.atomic():
        EngagementFactory(starts_on=dt.date(2026, 3, 2), ends_on=dt.date(2026, 3, 1))


def test_expiry_is_the_end_of_the_local_day_and_warns_thirty_days_ahead():
    expires_at = CredentialingRequirement.expiry_instant(dt.date(2026, 6, 30), "America/Los_Angeles")
    assert expires_at == dt.datetime(2026, 7, 1, 7, tzinfo=dt.UTC)
    requirement = CredentialingRequirementFactory(expires_at=expires_at)
    assert requirement.expiry_state(now=dt.datetime(2026, 5, 1, tzinfo=dt.UTC)) == "valid"
    assert requirement.expiry_state(now=dt.datetime(2026, 6, 5, tzinfo=dt.UTC)) == "expiring"
    assert requirement.expiry_state(now=dt.datetime(2026, 7, 1, 7, tzinfo=dt.UTC)) == "expired"
    assert CredentialingRequirementFactory(expires_at=None).expiry_state() == ""
    june_5 = dt.datetime(2026, 6, 5, tzinfo=dt.UTC)
    lapsed = CredentialingRequirementFactory(expires_at=dt.datetime(2026, 6, 1, tzinfo=dt.UTC))
    assert list(CredentialingRequirement.objects.expiring(now=june_5)) == [requirement]
    assert list(CredentialingRequirement.objects.expired(now=june_5)) == [lapsed]


def test_dismissed_requirement_can_only_be_restored_to_needed():
    requirement = CredentialingRequirementFactory(status="dismissed")
    requirement.status = "verified"
    with pytest.raises(ValidationError):
        requirement.save()
    requirement.status = "needed"
    requirement.save()


def test_time_entry_must_stop_after_it_started():
    started = dt.datetime(2026, 3, 2, 14, tzinfo=dt.UTC)
    entry = TimeEntry(contract=ContractFactory(), started_at=started, stopped_at=started)
    with pytest.raises(ValidationError):
        entry.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        entry.save()
    entry.stopped_at = started + dt.timedelta(minutes=90)
    entry.save()
    assert (entry.is_running, entry.hours) == (False, 1.5)
