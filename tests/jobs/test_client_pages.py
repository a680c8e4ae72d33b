"""Issue 24's client and facility pages, Django admin and REST without a browser: each refuses first what Kamana
would refuse, saves through the same service and queues the same vendor write; list pages cost the same queries
for 5 or 25 rows; deleting at Kamana is the Admin's and names what depends on the facility."""

from __future__ import annotations

import pytest
from django.contrib.contenttypes.models import ContentType
from django.test import Client as BrowserClient
from django.urls import reverse

from portal.integrations.models import OutboundRequest
from portal.jobs.models import Client, ClientContact, Facility
from tests.api.conftest import token_client
from tests.jobs.factories import (
    ClientContactFactory,
    ClientFactory,
    FacilityFactory,
    JobRequisitionFactory,
    ProvinceFactory,
    VendorConnectionFactory,
)
from tests.talent.factories import TalentProfileFactory
from tests.vendors.kamana import conftest as kamana_fixtures

registered, pushing = kamana_fixtures.registered, kamana_fixtures.pushing

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("pushing")]

HTMX = {"HX-Request": "true"}


@pytest.fixture
def kamana():
    return VendorConnectionFactory(
        vendor="kamana", name="Kamana Midwest", credentials={"account_id": "acct-1", "user_id": "user-1"}
    )


@pytest.fixture
def kamana_client(kamana) -> Client:
    return ClientFactory(name="Lakeside Health", connection=kamana, external_id="kc-1", vendor_type="msp")


def operations() -> list[str]:
    return list(OutboundRequest.objects.order_by("pk").values_list("operation", flat=True))


def test_a_new_client_for_kamana_is_refused_on_the_form_before_anything_is_queued(coordinator_client, kamana):
    data = {"connection": kamana.pk, "name": "Lakeside Health", "vendor_type": "hospital", "kind": "company"}
    response = coordinator_client.post(reverse("jobs:client-new"), data)
    assert response.status_code == 200
    assert "Choose one of: msp, idn, facility, custom." in response.content.decode()
    assert not Client.objects.exists() and not OutboundRequest.objects.exists()

    response = coordinator_client.post(reverse("jobs:client-new"), {**data, "vendor_type": "msp"})
    client = Client.objects.get()
    assert response.url == reverse("jobs:client", args=[client.pk])
    assert (client.connection, operations()) == (kamana, ["create_client"])


def test_a_kamana_clients_name_cannot_be_edited_kamana_has_no_client_update(coordinator_client, kamana_client):
    form = coordinator_client.get(reverse("jobs:client-edit", args=[kamana_client.pk])).context["form"]
    assert form.fields["name"].disabled and form.fields["vendor_type"].disabled
    data = {"name": "Renamed", "vendor_type": "msp", "kind": "company", "email": "desk@lakeside.test"}
    coordinator_client.post(reverse("jobs:client-edit", args=[kamana_client.pk]), data)
    kamana_client.refresh_from_db()
    assert (kamana_client.name, kamana_client.email) == ("Lakeside Health", "desk@lakeside.test")
    assert operations() == []


def test_contacts_are_added_edited_and_removed_inline(coordinator_client, kamana_client):
    add = reverse("jobs:contact-add", args=[kamana_client.pk])
    refused = coordinator_client.post(add, {"new-contact-first_name": "Dana"}, headers=HTMX)
    assert "This field is required." in refused.content.decode() and not ClientContact.objects.exists()
    data = {
        "new-contact-first_name": "Dana",
        "new-contact-last_name": "Whitfield",
        "new-contact-email": "dana@lakeside.test",
        "new-contact-phone_number": "3125550100",
    }
    answer = coordinator_client.post(add, data, headers=HTMX).content.decode()
    contact = ClientContact.objects.get()
    assert (
        f'id="contact-{contact.pk}"' in answer and 'id="deliveries"' in answer and "Queued for Kamana Midwest" in answer
    )
    assert contact.connection == kamana_client.connection

    edit = reverse("jobs:contact", args=[kamana_client.pk, contact.pk])
    form_row = coordinator_client.get(edit, {"edit": 1}, headers=HTMX).content.decode()
    assert f'name="contact-{contact.pk}-email"' in form_row
    fields = {f"contact-{contact.pk}-{k.split('-')[-1]}": v for k, v in data.items()}
    coordinator_client.post(edit, {**fields, f"contact-{contact.pk}-phone_number": "3125550199"}, headers=HTMX)
    coordinator_client.post(reverse("jobs:contact-remove", args=[kamana_client.pk, contact.pk]), headers=HTMX)

    contact.refresh_from_db()
    assert contact.phone_number == "3125550199" and contact.archived_at is not None
    assert operations() == ["create_client_contact", "update_client_contact", "delete_client_contact"]


def test_inline_changes_need_the_csrf_token(coordinator, kamana_client):
    browser = BrowserClient(enforce_csrf_checks=True)
    browser.force_login(coordinator)
    response = browser.post(reverse("jobs:contact-add", args=[kamana_client.pk]), {}, headers=HTMX)
    assert response.status_code == 403


def test_deleting_at_kamana_is_the_admins_and_names_what_depends_on_the_facility(
    coordinator_client, admin_client, kamana
):
    facility = FacilityFactory(connection=kamana, external_id="kf-1")
    JobRequisitionFactory.create_batch(2, facility=facility)
    delete = reverse("jobs:facility-delete", args=[facility.pk])
    assert coordinator_client.get(delete).status_code == 403
    assert coordinator_client.post(delete).status_code == 403

    page = admin_client.get(delete).content.decode()
    assert "2 job requisitions" in page
    admin_client.post(delete)
    facility.refresh_from_db()
    assert facility.archived_at is not None and operations() == ["delete_facility"]


def test_a_linked_facility_is_refused_on_the_confirmation(admin_client, kamana):
    facility = FacilityFactory(connection=kamana, external_id="kf-1", static_id="61a2b9db")
    page = admin_client.post(reverse("jobs:facility-delete", args=[facility.pk])).content.decode()
    assert "A linked facility (one with a static id) cannot be deleted." in page
    facility.refresh_from_db()
    assert facility.archived_at is None and operations() == []


def test_a_facility_edit_queues_an_update_and_a_bad_zone_is_refused(coordinator_client, kamana):
    province = ProvinceFactory(connection=kamana, external_id="kp-il")
    facility = FacilityFactory(connection=kamana, external_id="kf-1", province=province)
    data = {
        "name": facility.name,
        "street": facility.street,
        "city": facility.city,
        "province": province.pk,
        "postal_code": facility.postal_code,
        "time_zone": "Central",
    }
    edit = reverse("jobs:facility-edit", args=[facility.pk])
    assert coordinator_client.post(edit, data).status_code == 200
    assert operations() == []
    coordinator_client.post(edit, {**data, "time_zone": "America/Denver"})
    assert operations() == ["update_facility"]


@pytest.mark.parametrize(
    ("url_name", "make"),
    [
        ("jobs:clients", lambda n, kamana: ClientContactFactory.create_batch(n, client__connection=kamana)),
        ("jobs:facilities", lambda n, kamana: FacilityFactory.create_batch(n, connection=kamana)),
    ],
)
def test_list_pages_cost_the_same_queries_for_5_or_25_rows(
    coordinator_client, kamana, url_name, make, django_assert_max_num_queries
):
    url = reverse(url_name)
    make(5, kamana)
    coordinator_client.get(url)
    counts = []
    for more in (0, 20):
        make(more, kamana)
        # Session, user, roles; the page of rows (connections joined, contacts counted) and its latest pushes;
        # the vendor banner and the nav count.
        with django_assert_max_num_queries(10) as captured:
            assert coordinator_client.get(url, {"q": ""}).status_code == 200
        counts.append(len(captured.captured_queries))
    assert counts[0] == counts[1]


def test_the_list_search_is_in_the_url(coordinator_client):
    ClientFactory(name="Lakeside Health")
    ClientFactory(name="Mercy General")
    body = coordinator_client.get(reverse("jobs:clients"), {"q": "mercy"}, headers=HTMX).content.decode()
    assert "Mercy General" in body and "Lakeside Health" not in body


# -- Django admin and REST: the same service, the same vendor write ----------------------------------------------
def test_an_admin_facility_change_queues_the_same_update(admin_client, kamana):
    province = ProvinceFactory(connection=kamana, external_id="kp-il")
    facility = FacilityFactory(connection=kamana, external_id="kf-1", province=province, client=None)
    data = {
        "name": "Lakeside West",
        "street": facility.street,
        "city": facility.city,
        "postal_code": facility.postal_code,
        "time_zone": "Hawaii Standard Time",
        "province": province.pk,
        "connection": kamana.pk,
        "external_id": "kf-1",
        "static_id": "",
    }
    change = reverse("admin:jobs_facility_change", args=[facility.pk])
    assert admin_client.post(change, data).status_code == 200, "the zone is refused on the admin form too"
    assert operations() == []
    assert admin_client.post(change, {**data, "time_zone": "America/Chicago"}).status_code == 302
    assert operations() == ["update_facility"]
    assert Facility.objects.get(pk=facility.pk).name == "Lakeside West"


def test_rest_creates_through_the_service_and_refuses_what_kamana_would(kamana, api_client_user, portal_admin):
    api = token_client(api_client_user)
    body = {"name": "Lakeside Health", "vendor_type": "hospital", "connection": kamana.pk}
    refused = api.post("/api/v1/clients/", body, format="json")
    assert refused.status_code == 400 and "vendor_type" in refused.json()["errors"]
    created = api.post("/api/v1/clients/", {**body, "vendor_type": "msp"}, format="json")
    assert created.status_code == 201
    client = Client.objects.get(pk=created.json()["id"])
    contact = {"client": client.pk, "first_name": "Dana", "last_name": "W", "email": "dana@l.test"}
    assert api.post("/api/v1/client-contacts/", contact, format="json").status_code == 400, "Kamana needs a phone"
    assert api.post("/api/v1/client-contacts/", {**contact, "phone_number": "1"}, format="json").status_code == 201
    assert operations() == ["create_client", "create_client_contact"]

    facility = FacilityFactory(connection=kamana, external_id="kf-1")
    assert api.delete(f"/api/v1/facilities/{facility.pk}/").status_code == 403, "deleting at Kamana is the Admin's"
    assert token_client(portal_admin).delete(f"/api/v1/facilities/{facility.pk}/").status_code == 204
    assert operations()[-1] == "delete_facility"


def test_rest_adds_a_person_to_kamana_and_the_schema_documents_it(kamana, api_client_user):
    api = token_client(api_client_user)
    person = TalentProfileFactory(first_name="Ada", last_name="Okafor", email="ada@elsewhere.test")
    url = f"/api/v1/talent-profiles/{person.pk}/add-to-account/"
    answer = api.post(url, {"connection": kamana.pk}, format="json")
    assert answer.status_code == 202 and answer.json()["operation"] == "add_talent"
    assert api.post(url, {"connection": kamana.pk}, format="json").status_code == 400, "already on its way"

    schema = api.get("/api/v1/schema/").content.decode()
    assert "/api/v1/talent-profiles/{id}/add-to-account/" in schema
    assert "/api/v1/client-contacts/{id}/" in schema and "post" in schema


def test_the_admin_adds_selected_people_to_kamana_through_the_same_service(admin_client, kamana):
    ready = TalentProfileFactory(first_name="Ada", last_name="Okafor", email="ada@elsewhere.test")
    nameless = TalentProfileFactory(first_name="", last_name="", email="nameless@elsewhere.test")
    response = admin_client.post(
        reverse("admin:talent_talentprofile_changelist"),
        {"action": f"add_to_connection_{kamana.pk}", "_selected_action": [ready.pk, nameless.pk]},
        follow=True,
    )
    assert operations() == ["add_talent"]
    assert OutboundRequest.objects.get().object_id == str(ready.pk)
    assert "Not added: nameless@elsewhere.test: first name: This field is required." in response.content.decode()


def test_the_admin_removes_contacts_as_the_page_does(admin_client, kamana_client):
    contact = ClientContactFactory(client=kamana_client, connection=kamana_client.connection, external_id="kcc-1")
    admin_client.post(
        reverse("admin:jobs_clientcontact_changelist"),
        {"action": "remove_contacts", "_selected_action": [contact.pk]},
    )
    contact.refresh_from_db()
    assert contact.archived_at is not None and operations() == ["delete_client_contact"]


def test_a_refused_push_is_retried_from_the_clients_page_and_only_its_own(coordinator_client, kamana_client):
    own = OutboundRequest.objects.create(
        connection=kamana_client.connection,
        operation="create_client",
        object_id=str(kamana_client.pk),
        content_type_id=ContentType.objects.get_for_model(Client).pk,
        state="failed",
        last_error="Kamana refused the data: account_id: No account with that id.",
    )
    other = OutboundRequest.objects.create(
        connection=kamana_client.connection, operation="create_client", state="failed"
    )
    page = coordinator_client.get(reverse("jobs:client", args=[kamana_client.pk])).content.decode()
    assert "No account with that id." in page and "Retry" in page
    coordinator_client.post(reverse("jobs:client-retry", args=[kamana_client.pk, own.pk]))
    coordinator_client.post(reverse("jobs:client-retry", args=[kamana_client.pk, other.pk]))
    states = dict(OutboundRequest.objects.values_list("pk", "state"))
    assert (states[own.pk], states[other.pk]) == ("pending", "failed")


def test_only_a_portal_only_facility_is_archived_here(coordinator_client, kamana):
    local = FacilityFactory(connection=None)
    held = FacilityFactory(connection=kamana, external_id="kf-1")
    assert coordinator_client.post(reverse("jobs:facility-archive", args=[held.pk])).status_code == 404
    coordinator_client.post(reverse("jobs:facility-archive", args=[local.pk]))
    assert Facility.objects.get(pk=local.pk).archived_at is not None
    assert Facility.objects.get(pk=held.pk).archived_at is None
    listed = coordinator_client.get(reverse("jobs:facilities")).content.decode()
    assert f'id="facility-{local.pk}"' not in listed and f'id="facility-{held.pk}"' in listed
