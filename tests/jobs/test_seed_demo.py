"""`manage.py seed_demo` fills jobs and talent with realistic, varied records, once."""

from __future__ import annotations

import io
import random

import pytest
from django.core.management import call_command
from django.db.models import Max

from portal.jobs import demo as jobs_demo
from portal.jobs.models import Facility, JobRequisition, Profession, Province
from portal.talent.models import AccountRelationship, CandidateStatus, TalentProfile, TalentReference
from tests.jobs.factories import VendorConnectionFactory

pytestmark = pytest.mark.django_db


def seed_demo(*args: str) -> str:
    out = io.StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


def test_seed_demo_covers_every_status_and_several_time_zones():
    VendorConnectionFactory(vendor="kamana", name="Kamana demo")
    VendorConnectionFactory(vendor="alaunus", name="Alaunus demo")
    output = seed_demo("--scale", "1", "--seed", "7")
    assert "portal.jobs.demo:" in output and "portal.talent.demo:" in output

    assert set(Profession.objects.values_list("abbreviation", flat=True)) >= {"RN", "LPN", "CNA"}
    assert len(set(Facility.objects.values_list("time_zone", flat=True))) >= 4
    assert set(JobRequisition.objects.values_list("status", flat=True)) == set(JobRequisition.Status.values)
    assert JobRequisition.objects.filter(shift_start_hour=19, shift_end_hour=7).exists()  # overnight
    assert set(AccountRelationship.objects.values_list("status", flat=True)) == set(AccountRelationship.Status.values)
    assert not AccountRelationship.objects.filter(sub_status="").exists()
    assert CandidateStatus.objects.filter(status_level="application").exists()
    assert TalentProfile.objects.count() == 31  # 30, and one of them held twice for the who-is-who queue
    # People known to two vendors are one profile with two references.
    assert any(profile.references.count() == 2 for profile in TalentProfile.objects.all())
    assert TalentReference.objects.values("profile").distinct().count() < TalentReference.objects.count()
    assert {e.source for r in JobRequisition.objects.all()[:3] for e in r.audit_history()} == {"system"}


def test_seed_demo_runs_once_unless_forced():
    seed_demo("--scale", "1")
    requisitions = JobRequisition.objects.count()
    assert "already present" in seed_demo()
    assert JobRequisition.objects.count() == requisitions
    seed_demo("--scale", "1", "--force")
    assert JobRequisition.objects.count() == 2 * requisitions
    assert TalentProfile.objects.count() == 31  # the same people are matched by email, not duplicated


def test_same_seed_same_data():
    def seeded_facilities(seed: int) -> list[tuple[str, str]]:
        before = Facility.objects.aggregate(last=Max("id"))["last"] or 0
        jobs_demo.seed(random.Random(seed), 1)
        return list(Facility.objects.filter(id__gt=before).order_by("id").values_list("name", "time_zone"))

    assert seeded_facilities(11) == seeded_facilities(11)


def test_the_demo_keeps_its_own_codes_beside_a_connections_rows_with_the_same_codes():
    """A sync may already hold FL and RN for a connection (codes are unique per connection, issue 14): the demo's
    reference data is the portal's own, made beside them, and their rows are left as they are."""
    kamana = VendorConnectionFactory(vendor="kamana", name="Kamana demo")
    synced_province = Province.objects.create(connection=kamana, external_id="k-fl", abbreviation="FL", name="FL (K)")
    synced_profession = Profession.objects.create(connection=kamana, external_id="k-rn", abbreviation="RN", name="RN")

    jobs_demo.seed(random.Random(3), 1)
    jobs_demo.seed(random.Random(3), 1)  # again: the demo's own rows are reused, not duplicated

    assert Province.objects.filter(connection=None, abbreviation="FL").count() == 1
    assert Profession.objects.filter(connection=None, abbreviation="RN").count() == 1
    synced_province.refresh_from_db()
    synced_profession.refresh_from_db()
    assert (synced_province.name, synced_profession.name) == ("FL (K)", "RN")
    assert not Facility.objects.filter(province=synced_province).exists()
