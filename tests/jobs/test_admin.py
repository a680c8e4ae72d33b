"""Every jobs and talent model's admin pages load for the Admin role, showing payload, history and links."""

from __future__ import annotations

import factory as factory_boy
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.jobs import factories as jobs
from tests.talent import factories as talent

pytestmark = pytest.mark.django_db

FACTORIES = [
    jobs.ProvinceFactory,
    jobs.ProfessionFactory,
    jobs.SpecialtyFactory,
    jobs.ClientFactory,
    jobs.ClientContactFactory,
    jobs.FacilityFactory,
    jobs.PatientFactory,
    jobs.JobRequisitionFactory,
    talent.SkillFactory,
    talent.TalentProfileFactory,
    talent.TalentReferenceFactory,
    talent.AccountRelationshipFactory,
    talent.CandidateStatusFactory,
]


@pytest.fixture
def admin_client(client, portal_admin):
    client.force_login(portal_admin)
    return client


@pytest.mark.parametrize("factory", FACTORIES, ids=lambda f: f._meta.model.__name__)
def test_admin_pages_load(admin_client, factory):
    record = factory(vendor_data={"id": "v-1", "note": "<b>raw</b>"}) if _has_payload(factory) else factory()
    meta = record._meta
    prefix = f"admin:{meta.app_label}_{meta.model_name}"
    changelist = admin_client.get(reverse(f"{prefix}_changelist"))
    assert changelist.status_code == 200
    assert str(record) in changelist.content.decode()
    assert admin_client.get(reverse(f"{prefix}_add")).status_code == 200
    change = admin_client.get(reverse(f"{prefix}_change", args=[record.pk]))
    assert change.status_code == 200
    body = change.content.decode()
    assert "Audit history" in body and "Created" in body
    if _has_payload(factory):
        assert "&lt;b&gt;raw&lt;/b&gt;" in body  # payload shown escaped, never as HTML


def _has_payload(factory) -> bool:
    return any(f.name == "vendor_data" for f in factory._meta.model._meta.fields)


def test_requisition_changelist_links_to_its_facility(admin_client):
    requisition = jobs.JobRequisitionFactory()
    body = admin_client.get(reverse("admin:jobs_jobrequisition_changelist")).content.decode()
    assert reverse("admin:jobs_facility_change", args=[requisition.facility_id]) in body


def test_coordinator_cannot_open_admin(coordinator_client):
    response = coordinator_client.get(reverse("admin:jobs_facility_changelist"))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


@pytest.mark.parametrize("factory", FACTORIES, ids=lambda f: f._meta.model.__name__)
def test_changelist_queries_do_not_grow_with_rows(admin_client, factory, django_assert_max_num_queries):
    meta = factory._meta.model._meta
    url = reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist")
    _make_rows(factory, 2)
    with CaptureQueriesContext(connection) as few:
        assert admin_client.get(url).status_code == 200
    _make_rows(factory, 30)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert admin_client.get(url).status_code == 200


def _make_rows(factory, count: int) -> None:
    # Reference data is get-or-create by abbreviation; give each row its own.
    unique = {"abbreviation": factory_boy.Sequence(lambda n: f"A{n}")} if factory in _BY_ABBREVIATION else {}
    factory.create_batch(count, **unique)


_BY_ABBREVIATION = {jobs.ProvinceFactory, jobs.ProfessionFactory}
