"""The demand-side models: constraints the database enforces and status moves the model layer refuses."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from portal.core.audit import InvalidTransition, audit_context
from portal.integrations.models import VendorConnection
from portal.jobs.models import Facility, JobRequisition, Profession
from tests.jobs.factories import ProfessionFactory, SpecialtyFactory

pytestmark = pytest.mark.django_db


def test_vendor_reference_is_unique_per_connection():
    connection = VendorConnection.objects.create(vendor="kamana", name="Kamana", base_url="https://kamana.test")
    Profession.objects.create(name="Registered Nurse", abbreviation="RN", connection=connection, external_id="p1")
    with pytest.raises(IntegrityError), transaction.atomic():
        Profession.objects.create(name="Other", connection=connection, external_id="p1")


def test_requisition_refuses_leaving_historical_but_records_what_a_sync_reports():
    requisition = JobRequisition.objects.create(name="ICU RN", status=JobRequisition.Status.HISTORICAL)
    requisition.status = JobRequisition.Status.OPEN
    with pytest.raises(InvalidTransition):
        requisition.save()
    with audit_context("sync", detail="sync run 7"):
        requisition.save()
    entry = requisition.audit_history().first()
    assert entry.source == "sync" and entry.detail == "sync run 7"
    assert entry.changes == {"status": ["historical", "open"]}


def test_facility_time_zone_must_be_iana():
    facility = Facility(name="Mercy General", time_zone="Mars/Olympus_Mons")
    with pytest.raises(ValidationError) as error:
        facility.full_clean()
    assert "time_zone" in error.value.message_dict


def test_requisition_specialty_must_belong_to_its_profession():
    rn, cna = ProfessionFactory(), ProfessionFactory(name="Certified Nursing Assistant", abbreviation="CNA")
    requisition = JobRequisition(name="Night CNA", profession=cna, specialty=SpecialtyFactory(profession=rn))
    with pytest.raises(ValidationError) as error:
        requisition.full_clean()
    assert "specialty" in error.value.message_dict
