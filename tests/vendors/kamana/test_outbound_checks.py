"""Forms learn what Kamana would refuse before saving (`outbound_problems`), keyed by the local field names."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from portal.contracts.models import Engagement, EngagementExtension
from portal.integrations.models import VendorConnection
from portal.integrations.services import outbound_problems
from portal.jobs.models import Client, ClientContact, Facility, JobRequisition
from portal.talent.models import TalentProfile
from tests.jobs.factories import FacilityFactory, ProfessionFactory, ProvinceFactory, SpecialtyFactory

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


# -- issue 24: clients, contacts, facilities, people -------------------------------------------------------------
@pytest.fixture
def account(connection) -> VendorConnection:
    connection.credentials = {"account_id": "acct-1"}
    return connection


def test_a_client_needs_a_name_and_a_type_from_kamanas_list(account):
    client = Client(name="", vendor_type="hospital", connection=account)
    problems = outbound_problems(account, "create_client", client)
    assert problems["name"] == ["This field is required."]
    assert problems["vendor_type"] and "msp" in problems["vendor_type"][0]
    assert not outbound_problems(
        account, "create_client", Client(name="Lakeside", vendor_type="custom", connection=account)
    )


def test_a_connection_without_an_account_id_is_said_on_top(connection):
    problems = outbound_problems(
        connection, "create_client", Client(name="L", vendor_type="msp", connection=connection)
    )
    assert list(problems) == ["__all__"] and "account id" in problems["__all__"][0]


def test_a_new_contact_needs_names_email_and_phone_an_edit_does_not(connection):
    contact = ClientContact(first_name="Dana", email="not-an-email")
    problems = outbound_problems(connection, "create_client_contact", contact)
    assert set(problems) == {"last_name", "email", "phone_number"}
    contact.email, contact.last_name = "dana@lakeside.test", "Whitfield"
    assert set(outbound_problems(connection, "create_client_contact", contact)) == {"phone_number"}
    assert not outbound_problems(connection, "update_client_contact", contact)


def test_a_facility_needs_its_address_and_a_province_kamana_knows(connection):
    facility = Facility(name="Queens", street="", city="Honolulu", postal_code="96813", connection=connection)
    facility.province = ProvinceFactory(connection=None, abbreviation="HI", name="Hawaii")  # made here only
    problems = outbound_problems(connection, "create_facility", facility)
    assert problems["street"] == ["This field is required."]
    assert problems["province"] == ["Not known to Kamana yet (it has no Kamana id): choose one synced from Kamana."]
    facility.time_zone = "Hawaii Standard Time"
    assert "time_zone" in outbound_problems(connection, "update_facility", facility)


def test_a_linked_facility_cannot_be_deleted_at_kamana(connection):
    problems = outbound_problems(connection, "delete_facility", Facility(static_id="61a2b9db"))
    assert problems == {"static_id": ["A linked facility (one with a static id) cannot be deleted."]}
    assert not outbound_problems(connection, "delete_facility", Facility(static_id=""))


def test_a_person_needs_a_name_and_an_email_to_be_added(connection):
    person = TalentProfile(first_name="Ada", email="")
    person.connection = connection  # as the form sets it on the unsaved profile it checks
    assert set(outbound_problems(connection, "add_talent", person)) == {"last_name", "email"}
