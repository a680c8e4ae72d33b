"""Issue 24: clients, contacts, facilities and people made in the portal reach the Kamana sandbox over real HTTP
through the outbox, in order per record, and a create whose answer was lost is recognised, never made twice."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from portal.integrations import outbox
from portal.integrations.models import OutboundRequest
from portal.integrations.sync import run_sync
from portal.jobs import services
from portal.jobs.models import Client, ClientContact, Facility, Province
from portal.talent.accounts import add_to_account
from portal.talent.models import AccountRelationship, TalentReference
from tests.talent.factories import TalentProfileFactory

pytestmark = pytest.mark.django_db


def requests(server, method: str, path: str) -> int:
    return sum(1 for r in server.requests if r[1] == method and r[2] == path)


def lose_the_answer(row: OutboundRequest, record) -> None:
    """The call reached Kamana, then the worker died before recording it: no id here, the row still `sending`."""
    type(record).objects.filter(pk=record.pk).update(external_id="")
    OutboundRequest.objects.filter(pk=row.pk).update(
        state="sending", attempts=1, sending_started_at=timezone.now() - dt.timedelta(hours=1)
    )


def send(operation: str) -> OutboundRequest:
    row = OutboundRequest.objects.filter(operation=operation).latest("pk")
    outcome = outbox.dispatch(row.pk)
    assert outcome.state == "sent", outcome.detail
    return OutboundRequest.objects.get(pk=row.pk)


@pytest.fixture
def client_row(kamana, pushing) -> Client:
    client = Client(name="Lakeside Health", vendor_type="msp", connection=kamana)
    services.save_client(client, by=None)
    return client


def new_contact(client: Client, **values) -> ClientContact:
    contact = ClientContact(client=client, first_name="Dana", last_name="Whitfield", email="dana@lakeside.test")
    contact.phone_number = values.pop("phone_number", "3125550100")
    for name, value in values.items():
        setattr(contact, name, value)
    services.save_contact(contact, by=None)
    return contact


def test_a_client_and_its_contacts_reach_kamana_in_order(client_row, vendor, kamana_server):
    first = new_contact(client_row)
    second = new_contact(client_row, first_name="Omar", email="omar@lakeside.test")
    rows = list(OutboundRequest.objects.order_by("pk"))
    assert [r.operation for r in rows] == ["create_client", "create_client_contact", "create_client_contact"]
    assert {r.natural_key for r in rows} == {f"portal-client-{client_row.pk}"}, "contacts wait for their client"
    assert outbox.dispatch(rows[1].pk).state == "skipped"
    for row in rows:
        assert outbox.dispatch(row.pk).state == "sent"
    client_row.refresh_from_db()
    assert vendor.world.clients[client_row.external_id]["name"] == "Lakeside Health"
    held = vendor.world.contacts[client_row.external_id]
    assert {c["email"] for c in held.values()} == {"dana@lakeside.test", "omar@lakeside.test"}

    first.refresh_from_db()
    first.phone_number = "3125550199"
    services.save_contact(first, by=None)
    send("update_client_contact")
    assert held[first.external_id]["phone_number"] == "3125550199"

    second.refresh_from_db()
    services.remove_contact(second, by=None)
    send("delete_client_contact")
    assert set(held) == {first.external_id}
    assert ClientContact.objects.get(pk=second.pk).archived_at is not None, "archived here, never destroyed"


def test_a_client_created_before_a_lost_answer_is_found_not_made_twice(client_row, vendor, kamana_server):
    row = OutboundRequest.objects.get(operation="create_client")
    outbox.dispatch(row.pk)
    client_row.refresh_from_db()
    landed = client_row.external_id
    lose_the_answer(row, client_row)

    assert outbox.dispatch(row.pk).state == "sent"
    client_row.refresh_from_db()
    assert client_row.external_id == landed
    assert requests(kamana_server, "POST", "/clients") == 1
    assert OutboundRequest.objects.get(pk=row.pk).vendor_response["found_by"] == "name and type"


def test_a_contact_created_before_a_lost_answer_is_found_by_email(client_row, vendor, kamana_server):
    send("create_client")
    contact = new_contact(client_row)
    row = send("create_client_contact")
    lose_the_answer(row, contact)

    assert outbox.dispatch(row.pk).state == "sent"
    contact.refresh_from_db()
    assert contact.external_id == row.vendor_id
    path = f"/clients/{Client.objects.get(pk=client_row.pk).external_id}/contacts"
    assert requests(kamana_server, "POST", path) == 1


@pytest.fixture
def province(kamana) -> Province:
    run_sync(kamana, "facilities")  # brings Kamana's provinces with the facilities (`include=province`)
    return Province.objects.filter(connection=kamana).order_by("name").first()


def new_facility(kamana, province, **values) -> Facility:
    facility = Facility(
        connection=kamana,
        name="Queens Medical Center",
        street="1301 Punchbowl Street",
        city="Honolulu",
        postal_code="96813",
        province=province,
        time_zone="Pacific/Honolulu",
        **values,
    )
    services.save_facility(facility, by=None)
    return facility


def test_a_facility_is_created_with_its_time_zone_then_updated(kamana, pushing, province, vendor, kamana_server):
    facility = new_facility(kamana, province)
    row = send("create_facility")
    held = vendor.world.facilities[row.vendor_id]
    assert (held["name"], held["province_id"], held["static_id"]) == (
        "Queens Medical Center",
        province.external_id,
        None,
    )
    assert held["time_zone"] == "Pacific/Honolulu", "Create takes no time zone; a PUT follows with it"

    facility.refresh_from_db()
    facility.name, facility.time_zone = "The Queen's Neuroscience Institute", "America/Denver"
    services.save_facility(facility, by=None)
    send("update_facility")
    assert (held["name"], held["time_zone"]) == ("The Queen's Neuroscience Institute", "America/Denver")


def test_a_facility_created_before_a_lost_answer_is_found_by_its_address(
    kamana, pushing, province, vendor, kamana_server
):
    facility = new_facility(kamana, province)
    row = send("create_facility")
    before = len(vendor.world.facilities)
    lose_the_answer(row, facility)

    assert outbox.dispatch(row.pk).state == "sent"
    assert len(vendor.world.facilities) == before
    assert requests(kamana_server, "POST", "/facilities") == 1
    facility.refresh_from_db()
    assert facility.external_id == row.vendor_id


def test_deleting_a_facility_at_kamana_archives_it_here(kamana, pushing, province, vendor, kamana_server):
    facility = new_facility(kamana, province)
    kamana_id = send("create_facility").vendor_id
    facility.refresh_from_db()
    services.delete_facility_at_vendor(facility, by=None)
    send("delete_facility")
    assert kamana_id not in vendor.world.facilities
    assert Facility.objects.get(pk=facility.pk).archived_at is not None
    row = OutboundRequest.objects.get(operation="delete_facility")
    OutboundRequest.objects.filter(pk=row.pk).update(state="pending", attempts=1, last_error="timeout")
    assert outbox.dispatch(row.pk).state == "sent", "a repeat answered 404 has already happened"


def test_a_linked_facility_is_refused_before_it_is_sent(kamana, pushing, vendor, kamana_server):
    run_sync(kamana, "facilities")
    linked = Facility.objects.filter(connection=kamana).exclude(static_id="").first()
    services.delete_facility_at_vendor(linked, by=None)
    row = OutboundRequest.objects.get(operation="delete_facility")
    outcome = outbox.dispatch(row.pk)
    assert outcome.state == "failed" and "static_id" in outcome.detail
    assert linked.external_id in vendor.world.facilities
    assert requests(kamana_server, "DELETE", f"/facilities/{linked.external_id}") == 0


def test_a_person_kamana_does_not_know_gets_a_profile_and_a_relationship(kamana, pushing, vendor, kamana_server):
    person = TalentProfileFactory(first_name="Ada", last_name="Okafor", email="ada.okafor@elsewhere.test")
    add_to_account(person, kamana, by=None)
    row = send("add_talent")

    assert row.vendor_response["how"] == "profile created"
    relationship = AccountRelationship.objects.get(profile=person, connection=kamana)
    assert relationship.external_id == row.vendor_id
    assert (relationship.status, relationship.account_ref) == ("interested", vendor.world.account_id)
    profile_id = vendor.world.relationships[row.vendor_id]["profile_id"]
    assert vendor.world.profiles[profile_id]["email"] == "ada.okafor@elsewhere.test"
    assert TalentReference.objects.get(connection=kamana, external_id=profile_id).profile == person


def test_a_person_kamana_knows_by_email_gets_no_second_profile(kamana, pushing, vendor, kamana_server):
    profiles = len(vendor.world.profiles)
    known = next(p for p in vendor.world.profiles.values() if p.get("email"))
    vendor.world.relationships.clear()  # known to Kamana, related to no account yet
    person = TalentProfileFactory(email=known["email"].upper())
    add_to_account(person, kamana, by=None)
    row = send("add_talent")

    assert row.vendor_response["how"] == "found by email"
    assert len(vendor.world.profiles) == profiles
    assert requests(kamana_server, "POST", "/profiles") == 0


def test_a_retry_after_the_profile_was_made_finds_it_by_email(kamana, pushing, vendor, kamana_server):
    person = TalentProfileFactory(email="bea.lindqvist@elsewhere.test")
    add_to_account(person, kamana, by=None)
    row = OutboundRequest.objects.get(operation="add_talent")
    account = vendor.world.account_id
    # The profile landed (made here directly: the sandbox is in-process), then the worker died before the
    # relationship call.
    vendor.world.profiles["made-before-crash"] = {"email": person.email, "first_name": "Bea", "claimed": False}
    OutboundRequest.objects.filter(pk=row.pk).update(
        state="sending", attempts=1, sending_started_at=timezone.now() - dt.timedelta(hours=1)
    )

    assert outbox.dispatch(row.pk).state == "sent"
    held = vendor.world.relationships[OutboundRequest.objects.get(pk=row.pk).vendor_id]
    assert held["profile_id"] == "made-before-crash"
    assert requests(kamana_server, "POST", "/profiles") == 0
    assert requests(kamana_server, "POST", f"/accounts/{account}/relationships") == 1
    assert AccountRelationship.objects.filter(profile=person, connection=kamana).count() == 1


def test_a_person_already_related_is_not_offered_again(kamana, pushing, vendor):
    person = TalentProfileFactory(email="cy.marsh@elsewhere.test")
    add_to_account(person, kamana, by=None)
    with pytest.raises(Exception, match="already has this person"):
        add_to_account(person, kamana, by=None)
    assert OutboundRequest.objects.filter(operation="add_talent").count() == 1
