""" "Find on Ceki" when Ceki refuses (issue 22, "spend you can see"): an empty wallet (402), an agent whose e-mail
is not verified, one still waiting for its first deposit, one suspended: each a message on the page saying what
to do, never an error page; an Admin also gets the link to the connection page where it is fixed."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from tests.shifts.factories import ShiftRequestFactory
from tests.shifts.test_find_on_ceki import find_url, search_form
from tests.vendors.ceki import conftest as ceki_fixtures

ceki_server, ceki_vendor, ceki = ceki_fixtures.ceki_server, ceki_fixtures.ceki_vendor, ceki_fixtures.ceki
pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, portal_admin):
    client.force_login(portal_admin)
    return client


def refusal(client, agent) -> str:
    response = client.post(find_url(ShiftRequestFactory(), agent), search_form())
    assert response.status_code == 200, "a message, not an error page"
    html = response.content.decode()
    assert 'id="source-refusal"' in html
    return html


def test_an_empty_wallet_says_nothing_was_charged_and_that_an_admin_tops_it_up(coordinator_client, ceki):
    agent = ceki_fixtures.register_agent(ceki, deposit="0.01")
    html = refusal(coordinator_client, agent)
    assert "The Ceki wallet cannot pay for this call (HTTP 402)" in html
    assert "Nothing was charged." in html and "an Admin tops up the agent" in html
    assert 'id="source-refusal-fix"' not in html, "a coordinator has no connection page to go to"
    assert ceki_fixtures.client_of(agent).wallet().total == Decimal("0.01")


def test_an_admin_is_linked_to_the_connection_page(admin_client, ceki):
    agent = ceki_fixtures.register_agent(ceki, deposit="0.01")
    html = refusal(admin_client, agent)
    assert f'href="{reverse("integrations:connection", args=[agent.pk])}"' in html


def test_an_unverified_agent_says_where_the_code_goes(coordinator_client, ceki):
    agent = ceki_fixtures.register_agent(ceki, verify=False)
    html = refusal(coordinator_client, agent)
    assert "Verify your email to access user profiles." in html
    assert "enters the code Ceki e-mailed to the agent" in html


def test_an_agent_waiting_for_its_deposit_says_so(coordinator_client, ceki):
    agent = ceki_fixtures.register_agent(ceki, deposit=None)
    html = refusal(coordinator_client, agent)
    assert "Agent is pending_deposit." in html and "waits for its first deposit" in html


def test_a_suspended_agent_says_to_contact_ceki(coordinator_client, ceki, ceki_vendor):
    agent = ceki_fixtures.register_agent(ceki)
    ceki_vendor.agents[agent.agent_id]["status"] = "suspended"
    html = refusal(coordinator_client, agent)
    assert "Agent is suspended." in html and "contacts Ceki" in html
