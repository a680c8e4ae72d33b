"""The Kamana client against the sandbox over real HTTP: auth and version headers, both paging styles to the end,
`include` resolved, field errors from our own checks and from Kamana's JSON:API errors, 429 honoured."""

from __future__ import annotations

import httpx
import pytest

from portal.integrations.errors import AuthError, NotFound, ValidationFailed
from tests.vendors.base.contract import VendorContractTests
from vendors.kamana.paths import ACCEPT
from vendors.kamana.sandbox import SANDBOX_TOKEN

pytestmark = pytest.mark.django_db


class TestKamanaContract(VendorContractTests):
    vendor = "kamana"

    @pytest.fixture
    def connection(self, kamana):
        return kamana

    @pytest.fixture
    def server(self, kamana_server):
        return kamana_server

    def probe(self, client):
        return client.get("/professions")

    def sample_webhook(self):
        from tests.vendors.kamana.support import fixture

        return fixture("webhook_relationship_insert")

    def webhook_headers(self, body, connection):
        return {}


def raw_get(server, path: str, **headers: str) -> httpx.Response:
    return httpx.get(f"{server.vendor_url('kamana')}{path}", headers=headers)


def test_a_wrong_token_is_refused_with_a_jsonapi_error(kamana_server, api):
    response = raw_get(kamana_server, "/professions", Authorization="Bearer nope", Accept=ACCEPT)
    assert response.status_code == 401
    assert response.json()["errors"][0]["title"] == "Unauthorized"
    api.http.auth.token = "nope"
    with pytest.raises(AuthError):
        next(api.professions())


def test_an_unsupported_api_version_is_refused(kamana_server):
    auth = f"Bearer {SANDBOX_TOKEN}"
    assert raw_get(kamana_server, "/professions", Authorization=auth, Accept=ACCEPT).status_code == 200
    refused = raw_get(kamana_server, "/professions", Authorization=auth, Accept="application/vnd.api.v3+json")
    assert refused.status_code == 406
    assert "version" in refused.json()["errors"][0]["detail"]


def test_every_call_carries_the_bearer_and_the_versioned_accept(kamana_server, vendor, api):
    seen = []
    api.http.http.event_hooks["request"].append(lambda request: seen.append(dict(request.headers)))
    api.create_client({"account_id": vendor.world.account_id, "name": "New MSP", "type": "msp"})
    next(api.clients())
    assert all(h["authorization"] == f"Bearer {SANDBOX_TOKEN}" and h["accept"] == ACCEPT for h in seen)
    assert seen[0]["content-type"] == "application/json"


def test_job_requisitions_page_by_cursor_to_the_end_with_includes_resolved(api, vendor, kamana_server):
    pages = list(api.job_requisitions(include="creator,facility.province"))
    assert len(pages) == 3 and pages[-1].cursor is None
    records = [r for page in pages for r in page.records]
    assert len({r.id for r in records}) == 30 == len(vendor.world.requisitions)
    first = records[0]
    assert first.facility.province.abbreviation in {"FL", "TX", "CA", "CO"}
    assert first.creator.email.endswith("@agency.test")
    afters = [r[2] for r in kamana_server.requests if r[2] == "/job_requisitions"]
    assert len(afters) == 3
    times = [r.updated_at for r in records]
    assert times == sorted(times, reverse=True), "newest change first (README, decisions)"


def test_requisition_filters_and_search(api, vendor):
    facility_id = next(iter(vendor.world.facilities))
    found = [r for page in api.job_requisitions(facility_id=facility_id, status="open") for r in page.records]
    assert found and all(r.facility_id == facility_id and r.status == "open" for r in found)
    [hit] = [r for page in api.job_requisitions(search="kr0000007") for r in page.records]
    assert hit.reference_number == "KR0000007"


def test_clients_and_contacts_page_by_number_until_a_short_page(api, vendor, kamana_server):
    for n in range(4):
        api.create_client({"account_id": vendor.world.account_id, "name": f"Client {n}", "type": "custom"})
    pages = list(api.clients(size=3))
    assert [len(p.records) for p in pages] == [3, 3, 1]
    names = [c.name for p in pages for c in p.records]
    assert names == sorted(names), "sorted by name, ascending (doc)"
    client = pages[0].records[0]
    assert len([c for p in api.client_contacts(client.id, size=50) for c in p.records]) == 2


def test_our_own_checks_refuse_a_bad_body_before_sending(api, kamana_server):
    before = len(kamana_server.requests)
    with pytest.raises(ValidationFailed) as refused:
        api.create_job_requisition({"name": "ICU", "hours_per_week": 1, "shift_start_time": 24})
    assert {"hours_per_week", "shift_start_time", "profession_id", "job_type"} <= set(refused.value.field_errors)
    assert len(kamana_server.requests) == before, "nothing was sent"


def test_kamanas_validation_errors_surface_as_field_errors(api, vendor):
    body = {
        "name": "ICU nurse",
        "profession_id": next(iter(vendor.world.professions)),
        "specialty_id": next(iter(vendor.world.specialties)),
        "facility_id": "no-such-facility",
        "job_type": "Travel Contract",
        "number_of_openings": 1,
        "years_of_experience": 2,
    }
    with pytest.raises(ValidationFailed) as refused:
        api.create_job_requisition(body)
    assert refused.value.status == 422
    assert list(refused.value.field_errors) == ["facility_id"]
    assert refused.value.body["errors"][0]["source"] == {"pointer": "/facility_id"}


def test_the_sandbox_answers_a_schema_violation_with_jsonapi_error_objects(kamana_server):
    response = httpx.post(
        f"{kamana_server.vendor_url('kamana')}/job_requisitions",
        json={"name": "x", "contract_length": 40},
        headers={"Authorization": f"Bearer {SANDBOX_TOKEN}", "Accept": ACCEPT},
    )
    assert response.status_code == 422
    pointers = {e["source"]["pointer"] for e in response.json()["errors"]}
    assert {"/contract_length", "/job_type", "/profession_id"} <= pointers


def test_a_429_is_waited_out_and_the_list_continues(api, kamana_server):
    kamana_server.add_fault("429", count=1, vendor="kamana", path="/professions")
    [page] = list(api.professions())
    assert len(page.records) == 4
    statuses = [r[3] for r in kamana_server.requests if r[2] == "/professions"]
    assert statuses == [429, 200]


def test_engagement_endpoints_round_trip(api, vendor):
    engagement_id = next(iter(vendor.world.engagements))
    engagement = api.engagement(engagement_id)
    assert engagement.status == "placed" and engagement.regular_hourly_rate == 55
    extension = api.create_extension(engagement_id, {"starts_on": "2025-01-01", "ends_on": "2025-03-31"})
    assert api.extension(engagement_id, extension.id).ends_on.isoformat() == "2025-03-31"
    assert [e.id for p in api.extensions(engagement_id) for e in p.records] == [extension.id]
    [note] = [n for p in api.notes(engagement_id) for n in p.records]
    assert note.creator.email.endswith("@agency.test"), "notes come with include=creator"
    [requirement] = [r for p in api.requirements(engagement_id) for r in p.records]
    assert api.requirement(engagement_id, requirement.id).name == "BLS certification"
    updated = api.update_engagement(engagement_id, {"hours_per_week": 40}, current_client_contract_id=None)
    assert updated.hours_per_week == 40
    with pytest.raises(ValidationFailed):
        api.update_engagement(engagement_id, {"client_contract_id": "b"}, current_client_contract_id="a")


def test_facility_delete_only_when_not_linked(api, vendor):
    linked = next(fid for fid, f in vendor.world.facilities.items() if f["static_id"])
    with pytest.raises(ValidationFailed):
        api.delete_facility(linked, static_id=vendor.world.facilities[linked]["static_id"])
    province = next(iter(vendor.world.provinces))
    created = api.create_facility(
        {"name": "Clinic", "street": "1 A St", "city": "Tampa", "postal_code": "02134", "province_id": province}
    )
    assert created.postal_code == "02134" and created.province.id == province
    assert api.update_facility(created.id, {"time_zone": "Pacific/Honolulu"}).time_zone == "Pacific/Honolulu"
    api.delete_facility(created.id, static_id=None)
    with pytest.raises(NotFound):
        api.facility(created.id)


def test_profiles_relationships_and_contacts(api, vendor):
    profile = api.create_profile({"first_name": "Ada", "last_name": "Lovelace", "email": "ada@talent.test"})
    assert api.talent(profile.id).first_name == "Ada"
    account = vendor.world.account_id
    relationship = api.create_relationship(
        account, {"talent_profile_id": profile.id, "primary_contact_email": "recruiter1@agency.test"}
    )
    assert relationship.status == "interested"
    moved = api.update_relationship(
        account, relationship.id, {"status": "review", "sub_status": "Screened", "status_reason": "Call done"}
    )
    assert (moved.status, moved.sub_status) == ("review", "Screened")
    with pytest.raises(ValidationFailed) as refused:
        api.update_relationship(account, relationship.id, {"status": "prospect"})
    assert set(refused.value.field_errors) == {"sub_status", "status_reason"}
    client_id = next(iter(vendor.world.clients))
    contact = api.create_client_contact(
        client_id, {"first_name": "Joe", "last_name": "Schmo", "email": "j@x.org", "phone_number": "1"}
    )
    assert api.update_client_contact(client_id, contact.id, {"notes": "Prefers email"}).notes == "Prefers email"
    assert api.client_contact(client_id, contact.id).email == "j@x.org"
    api.delete_client_contact(client_id, contact.id)
    with pytest.raises(NotFound):
        api.client_contact(client_id, contact.id)


def attribute_names(document: dict) -> set[str]:
    return set(document["data"]["attributes"])


def test_answers_carry_exactly_the_attributes_of_the_docs_examples(api, vendor):
    from tests.vendors.kamana.support import fixture

    world = vendor.world
    engagement_id = next(iter(world.engagements))
    client_id = next(iter(world.clients))
    get = api.http.get
    shows = {
        "job_requisition_show": f"/job_requisitions/{next(iter(world.requisitions))}",
        "facility_show": f"/facilities/{next(iter(world.facilities))}",
        "client_show": f"/clients/{client_id}",
        "client_contact_show": f"/clients/{client_id}/contacts/{next(iter(world.contacts[client_id]))}",
        "engagement_note_show": f"/engagements/{engagement_id}/notes/{next(iter(world.notes[engagement_id]))}",
        "engagement_requirement_show": (
            f"/engagements/{engagement_id}/requirements/{next(iter(world.requirements[engagement_id]))}"
        ),
        "talent_show": f"/talents/{next(iter(world.profiles))}",
    }
    for name, path in shows.items():
        assert attribute_names(get(path)) == attribute_names(fixture(name)), name
    # The doc's Show Engagement lacks the hours and shift times its Update response shows, and Update lacks
    # `job_requisition_id`: the sandbox answers both with the union.
    engagement = attribute_names(fixture("engagement_show")) | attribute_names(fixture("engagement_update_response"))
    assert attribute_names(get(f"/engagements/{engagement_id}")) == engagement
    relationship_id = next(iter(world.relationships))
    body = {"status": "review", "sub_status": "Screened", "status_reason": "Call"}
    answer = api.http.request("PATCH", f"/accounts/{world.account_id}/relationships/{relationship_id}", json=body)
    assert attribute_names(answer) == attribute_names(fixture("relationship_update_response"))
