"""The Ceki connection page's agent panel and the two ways to connect (issue 22, "spend you can see", "connect
either way"), over the real Ceki sandbox: status with what to do, balances, this and last month's usage, paged
transactions, a brief cache, vendor errors as messages; registering an agent (Ceki's 422 beside its field) and
verifying its e-mail from the page; `manage.py connect ceki --secret api_key=...`."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from portal.integrations.models import VendorConnection
from tests.integrations.test_connection_page import stored_column
from tests.vendors.ceki import conftest as ceki_fixtures
from tests.vendors.ceki.test_agent import search
from vendors.ceki.agent_panel import previous_period
from vendors.ceki.sandbox_agent import DEMO_VERIFY_CODE

ceki_server, ceki_vendor, ceki = ceki_fixtures.ceki_server, ceki_fixtures.ceki_vendor, ceki_fixtures.ceki
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def admin_client(client, portal_admin):
    client.force_login(portal_admin)
    return client


def page_url(connection: VendorConnection) -> str:
    return reverse("integrations:connection", args=[connection.pk])


def panel_url(connection: VendorConnection) -> str:
    return reverse("integrations:connection-panel", args=[connection.pk, "agent"])


def form_url(connection: VendorConnection, name: str) -> str:
    return reverse("integrations:connection-form", args=[connection.pk, name])


def agent_calls(server) -> list[str]:
    return [path for vendor, _, path, _ in server.requests if vendor == "ceki" and path.startswith("/api/agent")]


def test_the_page_asks_ceki_nothing_and_the_panel_shows_an_active_agents_spend(
    admin_client, ceki, ceki_vendor, ceki_server, django_assert_max_num_queries
):
    agent = ceki_fixtures.register_agent(ceki, deposit="20")
    client = ceki_fixtures.client_of(agent)
    search(client)  # billed in January, the sandbox's month ...
    ceki_vendor.clock += dt.timedelta(days=31)  # ... which becomes last month
    search(client)
    client.specialist(502)  # free: the month's first view
    before = len(agent_calls(ceki_server))

    # session, user, roles, the connection; the base page's outbox count
    with django_assert_max_num_queries(5):
        page = admin_client.get(page_url(agent)).content.decode()
    assert len(agent_calls(ceki_server)) == before, "the page itself waits for no vendor"
    assert f'hx-get="{panel_url(agent)}"' in page and 'hx-trigger="load"' in page

    with django_assert_max_num_queries(4):  # session, user, roles, the connection
        panel = admin_client.get(panel_url(agent), HTTP_HX_REQUEST="true")
    html = panel.content.decode()
    assert panel.status_code == 200
    assert "<strong>active</strong>" in html and "billed to the wallet" in html
    assert "Verified" in html
    assert "19.90000 USDT" in html, "20 deposited, two searches at 0.05"
    assert "This month (2026-02)" in html and "Last month (2026-01)" in html
    searches = html.split('<th scope="row">Searches</th>')[1].split("</tr>")[0]
    assert searches.count("1 calls") == 2, "one search this month, one last month"
    views = html.split('<th scope="row">Profile views</th>')[1].split("</tr>")[0]
    assert "1 calls, 1 free" in views and "99 free left this month" in views
    assert '<th scope="row">Schedules</th>' in html
    assert html.count("api_search") == 2 and "deposit" in html and "\u22120.05000 USDT" in html


def test_the_panel_is_kept_a_minute_so_reloading_neither_bills_nor_hammers(admin_client, ceki, ceki_server):
    agent = ceki_fixtures.register_agent(ceki, deposit="20")
    first = admin_client.get(panel_url(agent)).content.decode()
    calls = len(agent_calls(ceki_server))
    ceki_fixtures.fund(agent, agent.agent_id, "5")

    again = admin_client.get(panel_url(agent)).content.decode()
    assert len(agent_calls(ceki_server)) == calls, "from the cache"
    assert "20.00000 USDT" in first and "20.00000 USDT" in again
    refreshed = admin_client.get(panel_url(agent) + "?fresh=1").content.decode()
    assert "25.00000 USDT" in refreshed, "Refresh asks Ceki again"
    assert len(agent_calls(ceki_server)) > calls


def test_transactions_are_paged_fifty_at_a_time(admin_client, ceki, ceki_vendor):
    agent = ceki_fixtures.register_agent(ceki, deposit="20")
    for _ in range(50):
        ceki_fixtures.fund(agent, agent.agent_id, "1")
    first = admin_client.get(panel_url(agent)).content.decode()
    assert first.count("<td>deposit</td>") == 50 and "Older" in first and "Newer" not in first
    assert f'hx-get="{panel_url(agent)}?page=2"' in first
    second = admin_client.get(panel_url(agent) + "?page=2").content.decode()
    assert second.count("<td>deposit</td>") == 1 and "Newer" in second and "Older" not in second
    assert f'hx-get="{panel_url(agent)}?page=2&amp;fresh=1"' in second, "Refresh stays on the page"
    assert "20.00000 USDT" in second, "the oldest, the activation deposit"


def test_a_pending_deposit_agent_is_told_where_to_deposit(admin_client, ceki, ceki_vendor):
    agent = ceki_fixtures.register_agent(ceki, deposit=None, verify=False)
    address = ceki_vendor.agents[agent.agent_id]["deposit_address"]
    html = admin_client.get(panel_url(agent)).content.decode()
    assert "<strong>pending_deposit</strong>" in html
    assert "Send a deposit to the wallet" in html and address in html
    assert "0.00000 USDT" in html and "No transactions yet" in html
    assert "Not verified: Ceki refuses searches and profile views" in html


@pytest.mark.parametrize("status", ["suspended", "banned"])
def test_a_suspended_or_banned_agent_is_told_to_contact_ceki(admin_client, ceki, ceki_vendor, status):
    agent = ceki_fixtures.register_agent(ceki)
    ceki_vendor.agents[agent.agent_id]["status"] = status
    html = admin_client.get(panel_url(agent)).content.decode()
    assert f"<strong>{status}</strong>" in html and "Contact Ceki" in html


def test_a_user_connection_is_offered_the_agent_way_and_ceki_is_not_asked(admin_client, ceki, ceki_server):
    html = admin_client.get(panel_url(ceki)).content.decode()
    assert "logs in as a Ceki user" in html and "--secret api_key=" in html
    assert agent_calls(ceki_server) == []
    page = admin_client.get(page_url(ceki)).content.decode()
    assert "For an agent: register one above" in page, "no code to ask for the user's own e-mail"


def test_ceki_errors_are_a_message_in_the_panel_never_an_error_page(admin_client, ceki, ceki_server):
    agent = ceki_fixtures.register_agent(ceki)
    ceki_server.add_fault("503", vendor="ceki", path="/api/agent/me")
    response = admin_client.get(panel_url(agent))
    assert response.status_code == 200
    assert 'id="panel-agent-error"' in response.content.decode()
    assert "unavailable (HTTP 503)" in response.content.decode()
    ceki_server.clear_faults()

    agent.credentials = {**agent.credentials, "api_key": "ceki_not-a-key"}
    agent.save()
    refused = admin_client.get(panel_url(agent) + "?fresh=1")
    assert refused.status_code == 200 and 'id="panel-agent-error"' in refused.content.decode()


def test_a_refused_wallet_still_shows_the_status_and_what_to_do(admin_client, ceki, ceki_server):
    agent = ceki_fixtures.register_agent(ceki, deposit=None)
    ceki_server.add_fault("503", vendor="ceki", path="/api/agent/wallet")
    html = admin_client.get(panel_url(agent)).content.decode()
    assert "<strong>pending_deposit</strong>" in html and "Send a deposit to the wallet" in html
    assert 'id="agent-money-error"' in html and "unavailable (HTTP 503)" in html
    assert 'id="agent-wallet"' not in html


def test_the_page_and_its_panel_are_for_admins_only(coordinator_client, ceki):
    assert coordinator_client.get(page_url(ceki)).status_code == 403
    assert coordinator_client.get(panel_url(ceki)).status_code == 403


def test_an_admin_registers_an_agent_and_cekis_422_stands_beside_its_field(admin_client, ceki, ceki_vendor):
    taken = ceki_fixtures.register_agent(ceki)
    other = VendorConnection.objects.create(
        vendor="ceki", name="Ceki agent", base_url=ceki.base_url, credentials={"email": "someone@ceki.example"}
    )
    form = {"register-agent-name": "Portal sourcing", "register-agent-email": taken.credentials["email"]}

    refused = admin_client.post(form_url(other, "register-agent"), form, HTTP_HX_REQUEST="true").content.decode()
    email_field = refused.split('name="register-agent-email"')[0].rsplit("<div", 1)[1]
    assert "The email has already been taken." in email_field, "beside the e-mail field"
    too_long = {**form, "register-agent-email": "new@agents.example", "register-agent-languages": "en, klingon-tlh"}
    refused = admin_client.post(form_url(other, "register-agent"), too_long, HTTP_HX_REQUEST="true").content.decode()
    languages_field = refused.split('name="register-agent-languages"')[0].rsplit("<div", 1)[1]
    assert "10 characters" in languages_field, "our own check of the doc's limit, beside its field"
    other.refresh_from_db()
    assert "api_key" not in other.credentials

    fresh = {**form, "register-agent-email": "new@agents.example"}
    done = admin_client.post(form_url(other, "register-agent"), fresh, HTTP_HX_REQUEST="true")
    assert "registered (pending_deposit)" in done.content.decode()
    assert done["HX-Trigger"] == "connection-changed", "the panel loads again"
    other.refresh_from_db()
    key = other.credentials["api_key"]
    assert key.startswith("ceki_") and other.credentials["email"] == "new@agents.example"
    assert key not in stored_column(other), "encrypted at rest"
    assert key not in admin_client.get(page_url(other)).content.decode()
    assert "<strong>pending_deposit</strong>" in admin_client.get(panel_url(other)).content.decode()

    third = {**form, "register-agent-email": "third@agents.example"}
    again = admin_client.post(form_url(other, "register-agent"), third, HTTP_HX_REQUEST="true").content.decode()
    assert "already calls Ceki as an agent" in again
    other.refresh_from_db()
    assert other.credentials["api_key"] == key


def test_an_admin_verifies_the_agents_email_with_the_code(admin_client, ceki, ceki_vendor):
    agent = ceki_fixtures.register_agent(ceki, verify=False)
    assert "Not verified" in admin_client.get(panel_url(agent)).content.decode()

    wrong = admin_client.post(form_url(agent, "verify-agent"), {"verify-agent-code": "000000"}, HTTP_HX_REQUEST="true")
    code_field = wrong.content.decode().split('name="verify-agent-code"')[0].rsplit("<div", 1)[1]
    assert "invalid or has expired" in code_field
    assert not ceki_vendor.agents[agent.agent_id]["email_verified"]

    done = admin_client.post(
        form_url(agent, "verify-agent"), {"verify-agent-code": DEMO_VERIFY_CODE}, HTTP_HX_REQUEST="true"
    )
    assert "E-mail verified: the agent may search" in done.content.decode()
    assert ceki_vendor.agents[agent.agent_id]["email_verified"]
    html = admin_client.get(panel_url(agent)).content.decode()
    assert "Not verified" not in html and "Verified" in html, "the cached panel was forgotten"


def test_connect_takes_an_agent_key_and_needs_no_otp(ceki, ceki_vendor):
    agent = ceki_fixtures.register_agent(ceki)
    key, email = agent.credentials["api_key"], agent.credentials["email"]
    agent.delete()
    out = io.StringIO()
    call_command("connect", "ceki", "--base-url", ceki.base_url, "--secret", f"api_key={key}", stdout=out)
    printed = json.loads(out.getvalue())
    assert "missing_credentials" not in printed and key not in out.getvalue()
    connection = VendorConnection.objects.get(vendor="ceki")
    assert ceki_fixtures.client_of(connection).agent().email == email

    out = io.StringIO()
    call_command("connect", "ceki", "--name", "Ceki user", "--base-url", ceki.base_url, stdout=out)
    assert json.loads(out.getvalue())["missing_credentials"] == ["email"], "a user connection still needs its login"


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(page=st.text(max_size=30), other=st.text(max_size=10))
def test_no_page_number_makes_an_error_page(admin_client, ceki, page, other):
    if "api_key" not in ceki.credentials:
        ceki_fixtures.register_agent(ceki)
    response = admin_client.get(panel_url(ceki), {"page": page, "other": other})
    assert response.status_code == 200
    assert 'id="agent-status"' in response.content.decode() or 'id="panel-agent-error"' in response.content.decode()


def test_an_unknown_panel_is_not_found(admin_client, ceki):
    assert admin_client.get(reverse("integrations:connection-panel", args=[ceki.pk, "wallet"])).status_code == 404


@pytest.mark.parametrize(("period", "before"), [("2026-01", "2025-12"), ("2026-03", "2026-02"), ("2026-12", "2026-11")])
def test_last_month_is_the_month_before_the_one_ceki_names(period, before):
    assert previous_period(period) == before


def test_without_a_named_month_last_month_is_the_one_before_the_portals(time_machine):
    time_machine.move_to(dt.datetime(2026, 3, 1, 0, 30, tzinfo=dt.UTC))
    assert previous_period("") == "2026-02"
