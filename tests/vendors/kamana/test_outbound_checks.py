"""Forms learn what Kamana would refuse before saving (`outbound_problems`), keyed by the local field names."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from portal.contracts.models import Engagement, EngagementExtension
from portal.integrations.models import VendorConnection
from portal.integrations.services import outbound_problems
from portal.jobs.models import JobRequisition
from tests.jobs.factories import FacilityFactory, ProfessionFactory, SpecialtyFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def connection(registered) -> VendorConnection:
    return VendorConnection.objects.create(vendor="kamana", name="Kamana", base_url="http://kamana.invalid")


def test_requisition_problems_use_the_models_field_names(connection):
    requisition = JobRequisition(name="", contract_length_weeks=27, hours_per_week=7, shift_start_hour=5)

    problems = outbound_problems(connection, "create_job_requisition", requisition)

    assert problems["contract_length_weeks"] == ["Contract length must be one of 1 to 26."]
    assert "hours_per_week" in problems
    assert {"name", "facility", "profession", "specialty", "job_type", "years_of_experience"} <= problems.keys()
    assert "shift_start_hour" not in problems


def test_a_complete_requisition_with_kamana_references_passes(connection):
    requisition = JobRequisition(
        name="ICU RN nights",
        facility=FacilityFactory(external_id="fac-1"),
        profession=ProfessionFactory(external_id="prof-1"),
        specialty=SpecialtyFactory(external_id="spec-1"),
        job_type=JobRequisition.JobType.TRAVEL_CONTRACT,
        number_of_openings=2,
        years_of_experience=2,
        contract_length_weeks=13,
        hours_per_week=36,
        shift_start_hour=19,
        shift_end_hour=7,
    )

    assert outbound_problems(connection, "create_job_requisition", requisition) == {}
    requisition.hours_per_week = Decimal("36.5")  # refused, not sent as 36
    assert list(outbound_problems(connection, "create_job_requisition", requisition)) == ["hours_per_week"]


def test_a_facility_made_only_locally_is_named_as_unknown_to_kamana(connection):
    requisition = JobRequisition(name="RN", facility=FacilityFactory(external_id=""))

    problems = outbound_problems(connection, "create_job_requisition", requisition)

    assert problems["facility"] == ["Not known to Kamana yet (it has no Kamana id): choose one synced from Kamana."]


def test_engagement_and_extension_checks(connection):
    engagement = Engagement(hours_per_week=70, vendor_data={"attributes": {"client_contract_id": "cc-1"}})
    engagement.client_contract_id = "cc-2"

    problems = outbound_problems(connection, "update_engagement", engagement)

    assert set(problems) == {"hours_per_week", "client_contract_id"}
    backwards = EngagementExtension(starts_on=dt.date(2026, 3, 1), ends_on=dt.date(2026, 2, 1))
    assert outbound_problems(connection, "create_engagement_extension", backwards) == {
        "ends_on": ["Must not be before the start date."]
    }


def test_no_connection_or_no_check_means_no_problems(connection):
    assert outbound_problems(None, "create_job_requisition", JobRequisition()) == {}
    assert outbound_problems(connection, "set_do_not_hire", JobRequisition()) == {}
