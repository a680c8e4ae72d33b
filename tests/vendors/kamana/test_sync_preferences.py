"""Issue 14, item 7: Kamana opportunity preferences, served by Show Talent as the doc shows (references in
`relationships`, attributes in `included`), synced for every Kamana talent a connection knows, kept apart per
connection, and shown on the person's timeline page."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from portal.integrations.models import VendorConnection
from portal.integrations.sync import run_sync
from portal.talent.models import OpportunityPreference, TalentReference
from portal.talent.services import match_or_create_profile
from tests.support.processes import free_port
from tests.vendors.kamana.support import fixture
from vendors.base.sandbox import SandboxServer
from vendors.kamana.sandbox import SANDBOX_TOKEN, KamanaSandbox

pytestmark = pytest.mark.django_db


def know_every_talent(connection: VendorConnection, sandbox: KamanaSandbox) -> dict[str, TalentReference]:
    """The connection's references to the sandbox's talents, as the talent_profile webhooks leave them."""
    for profile_id, profile in sandbox.world.profiles.items():
        match_or_create_profile(
            email=profile["email"], first_name=profile["first_name"], connection=connection, external_id=profile_id
        )
    return {r.external_id: r for r in TalentReference.objects.filter(connection=connection)}


def test_show_talent_serves_preferences_as_the_doc_does(api, vendor):
    doc = fixture("talent_show")
    created = api.create_profile(
        {
            **fixture("request_profile_create"),
            "email": "george.jetson@example.org",
        }
    )
    body = api.document("talents.show", profile_id=created.id)

    refs = body["data"]["relationships"]["opportunity_preferences"]["data"]
    assert [ref["type"] for ref in refs] == ["opportunity_preference"]
    [included] = body["included"]
    assert (included["type"], included["id"]) == ("opportunity_preference", refs[0]["id"])
    assert set(doc["included"][0]["attributes"]) <= set(included["attributes"]), "at least the doc's attributes"
    [preference] = api.talent(created.id).opportunity_preferences
    assert (preference.available_on, preference.hours_per_week, preference.minimum_weekly_gross_pay) == (
        dt.date(2024, 1, 11),
        32,
        Decimal("1200.00"),
    )
    assert (preference.shift_days, preference.shift_mids, preference.shift_nights) == (True, True, False)
    assert (preference.name, preference.desired_contract_length) == ("First Preferences", 13)


def test_preferences_sync_for_the_talents_the_connection_knows(kamana, vendor, kamana_server):
    references = know_every_talent(kamana, vendor)
    expected = sum(len(p) for p in vendor.world.preferences.values())
    assert expected > len(references) > 0

    first = run_sync(kamana, "opportunity_preferences")

    assert (first.state, first.error, first.failed, first.created) == ("succeeded", "", 0, expected)
    profile_id, preferences = next((k, v) for k, v in vendor.world.preferences.items() if len(v) == 2)
    nights_id = next(i for i, p in preferences.items() if p["shift_nights"])
    nights = OpportunityPreference.objects.get(connection=kamana, external_id=nights_id)
    attrs = preferences[nights_id]
    assert nights.reference == references[profile_id]
    assert (nights.name, nights.hours_per_week, nights.desired_contract_length) == (attrs["name"], 36, 13)
    assert nights.minimum_weekly_gross_pay == Decimal(attrs["minimum_weekly_gross_pay"]) and nights.currency == "USD"
    assert (nights.shift_days, nights.shift_mids, nights.shift_nights) == (False, False, True)
    assert nights.available_on is None and nights.vendor_data["type"] == "opportunity_preference"
    shows = [path for _v, _m, path, _s in kamana_server.requests if path.startswith("/talents/")]
    assert len(shows) == len(references), "one Show Talent per talent, nothing else"

    with vendor.lock:
        attrs.update(hours_per_week=24, updated_at=vendor.world.stamp())
        gone = next(i for i in preferences if i != nights_id)
        del preferences[gone]
    second = run_sync(kamana, "opportunity_preferences")
    assert (second.updated, second.created, second.archived, second.unchanged) == (1, 0, 1, expected - 2)
    nights.refresh_from_db()
    assert nights.hours_per_week == 24
    assert OpportunityPreference.objects.get(connection=kamana, external_id=gone).archived_at is not None


def test_two_connections_keep_their_own_preferences_under_the_same_ids(kamana, vendor):
    other_server = SandboxServer([KamanaSandbox(seed=30, page_size=10)], port=free_port(), retry_after=1).start()
    try:
        other_vendor = other_server.vendors["kamana"]
        other = VendorConnection.objects.create(
            vendor="kamana",
            name="Kamana, second agency",
            base_url=other_server.vendor_url("kamana"),
            credentials={"token": SANDBOX_TOKEN, "account_id": other_vendor.world.account_id},
        )
        mine, theirs = know_every_talent(kamana, vendor), know_every_talent(other, other_vendor)
        profile_id, preferences = next(iter(other_vendor.world.preferences.items()))
        preference_id = next(iter(preferences))
        with other_vendor.lock:
            preferences[preference_id].update(name="Only at the second agency", updated_at=other_vendor.world.stamp())

        runs = [run_sync(kamana, "opportunity_preferences"), run_sync(other, "opportunity_preferences")]
    finally:
        other_server.stop()

    assert [(run.state, run.failed) for run in runs] == [("succeeded", 0)] * 2
    assert runs[0].created == runs[1].created > 0
    rows = {row.connection_id: row for row in OpportunityPreference.objects.filter(external_id=preference_id)}
    assert rows[kamana.pk].reference == mine[profile_id] and rows[other.pk].reference == theirs[profile_id]
    assert rows[other.pk].name == "Only at the second agency" and rows[kamana.pk].name == "Next assignment"
    assert mine[profile_id].profile_id == theirs[profile_id].profile_id, "the person is shared, the reference not"
    for connection in (kamana, other):
        own = OpportunityPreference.objects.filter(connection=connection)
        assert not own.exclude(reference__connection=connection).exists()


def test_the_timeline_page_shows_what_the_person_is_looking_for(
    kamana, vendor, coordinator_client, django_assert_max_num_queries
):
    references = know_every_talent(kamana, vendor)
    run_sync(kamana, "opportunity_preferences")
    profile_id, preferences = next((k, v) for k, v in vendor.world.preferences.items() if len(v) == 2)
    person = references[profile_id].profile
    url = reverse("talent:timeline", args=[person.pk])

    # the page as on main (16), + its records flagged with unreadable vendor values, the nav count, the vendor banner,
    # + the "Add to an account" panel (issue 24): requests to add the person, connections that could; who knows them
    # + the gate's findings about the person (issue 19)
    with django_assert_max_num_queries(23):
        body = coordinator_client.get(url).content.decode()

    section = body[body.index('id="preferences"') : body.index("<h2>History</h2>")]
    assert section.count('class="preference"') == 2 and "Kamana sandbox" in section
    soon = next(p for p in preferences.values() if p["available_on"])
    day = dt.date.fromisoformat(soon["available_on"])
    assert f'<time datetime="{day.isoformat()}">{day:%a} {day.day} {day:%b %Y}</time>' in section
    pay = Decimal(next(p for p in preferences.values() if p["shift_nights"])["minimum_weekly_gross_pay"])
    assert f"{pay:,.2f} USD" in section and "Nights" in section and "Next assignment" in section
    OpportunityPreference.objects.update(archived_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC))
    body = coordinator_client.get(url).content.decode()
    assert "No opportunity preferences." in body, "an archived preference is no longer shown"


def test_an_admin_sees_a_references_preferences_read_only(kamana, vendor, admin_client):
    references = know_every_talent(kamana, vendor)
    run_sync(kamana, "opportunity_preferences")
    profile_id = next(k for k, v in vendor.world.preferences.items() if len(v) == 2)

    url = reverse("admin:talent_talentreference_change", args=[references[profile_id].pk])
    body = admin_client.get(url).content.decode()

    assert "Nights, close to home" in body and "Next assignment" in body
    assert 'name="opportunity_preferences-0-name"' not in body, "read-only: no inputs"
