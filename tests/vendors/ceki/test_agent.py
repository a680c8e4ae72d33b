"""Ceki's Agent API against its sandbox over real HTTP: registration and e-mail verification, the status rules,
specialist search and profile views billed from the wallet (the first 100 views a month free), 402 on an empty
wallet that charges nothing, schedules with generated slots, and booking a slot once (with or without payment).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from portal.integrations.errors import AuthError, ValidationFailed
from tests.vendors.ceki.conftest import client_of, fund, register_agent
from vendors.ceki.client import CekiClient, WalletEmpty
from vendors.ceki.sandbox_agent import DEMO_VERIFY_CODE, SEARCH_COST, VIEW_COST
from vendors.ceki.schemas import (
    FREE_PROFILE_VIEWS,
    PayloadInvalid,
    booking_body,
    specialist_search_body,
    verify_email_body,
)

pytestmark = pytest.mark.django_db

MONDAY = dt.datetime(2026, 1, 5, tzinfo=dt.UTC)


def search(client: CekiClient, **extra) -> object:
    body = specialist_search_body(start=MONDAY, end=MONDAY + dt.timedelta(days=7), timezone="America/New_York", **extra)
    return client.search_specialists(body)


def test_a_new_agent_is_pending_deposit_and_may_read_its_wallet_but_not_search(ceki):
    agent = register_agent(ceki, deposit=None)
    client = client_of(agent)

    with pytest.raises(AuthError, match="pending_deposit"):
        search(client)
    assert client.wallet().total == 0
    assert client.agent().status == "pending_deposit"
    fund(agent, agent.agent_id, "20")
    assert client.agent().status == "active"
    assert search(client).total >= 1


def test_search_and_profiles_need_a_verified_email(ceki):
    agent = register_agent(ceki, verify=False)
    client = client_of(agent)

    with pytest.raises(AuthError, match="Verify your email"):
        search(client)
    with pytest.raises(ValidationFailed) as refused:
        client.verify_agent_email(verify_email_body(agent.credentials["email"], "000000"))
    assert "code" in refused.value.field_errors
    with pytest.raises(PayloadInvalid, match="code"):
        verify_email_body(agent.credentials["email"], "12345")
    client.verify_agent_email(verify_email_body(agent.credentials["email"], DEMO_VERIFY_CODE))
    assert search(client).total >= 1
    assert client.wallet().total == Decimal(20) - SEARCH_COST, "nothing was charged for the refused calls"


def test_search_filters_by_skills_price_days_and_hours_and_pages(ceki):
    client = client_of(register_agent(ceki))

    everyone = search(client, per_page=1)
    assert everyone.total == 4 and everyone.has_next and len(everyone.items) == 1
    icu = search(client, skills=[1, 4]).items
    assert [hit.name for hit in icu] == ["Grace Okafor"]
    assert icu[0].price == Decimal("65.00") and icu[0].currency == "USD" and icu[0].next_slot
    cheap = search(client, price_from=20, price_to=45).items
    assert {hit.name for hit in cheap} == {"Priya Raman", "Joseph Mensah"}
    weekend_nights = search(client, days=[0, 6], hours=(dt.time(19), dt.time(23, 59))).items
    assert [hit.name for hit in weekend_nights] == ["Tomas Lindqvist"]
    assert len(client.wallet_transactions().items) == 1 + 4, "the deposit and four billed searches"


def test_the_search_body_is_checked_before_it_is_billed(ceki):
    with pytest.raises(PayloadInvalid) as refused:
        specialist_search_body(
            start=MONDAY, end=MONDAY, timezone="Mars/Olympus", days=[7], price_from=50, price_to=10, per_page=500
        )
    assert set(refused.value.errors) == {"end", "timezone", "days.0", "price_to", "perPage"}


def test_an_empty_wallet_is_a_402_that_charges_nothing_while_free_views_still_work(ceki):
    agent = register_agent(ceki, deposit="0.07")
    client = client_of(agent)
    search(client)  # 0.02 left, less than a search

    with pytest.raises(WalletEmpty, match="402"):
        search(client)
    assert client.wallet().total == Decimal("0.02")
    assert [t.type for t in client.wallet_transactions().items] == ["charge", "deposit"], "newest first"
    assert client.specialist(501).email == "grace.okafor@specialists.example", "the month's first views are free"


def test_the_first_100_profile_views_a_month_are_free_then_each_is_billed(ceki, ceki_vendor):
    client = client_of(register_agent(ceki, deposit="1"))
    for _ in range(FREE_PROFILE_VIEWS):
        client.specialist(502)
    assert client.wallet().total == Decimal(1)

    client.specialist(502)
    assert client.wallet().total == Decimal(1) - VIEW_COST
    views = {line.usage_type: line for line in client.usage().lines}["api_user_view"]
    assert (views.calls, views.free, views.cost) == (FREE_PROFILE_VIEWS + 1, FREE_PROFILE_VIEWS, VIEW_COST)
    ceki_vendor.clock += dt.timedelta(days=31)  # next month
    client.specialist(502)
    assert client.wallet().total == Decimal(1) - VIEW_COST
    this_month = client.usage()
    assert this_month.period == ceki_vendor.clock.strftime("%Y-%m"), "Ceki names the month it answers for"
    assert this_month.lines[1].free == 1 and this_month.calls("api_user_view") == 1


def test_suspended_banned_and_unknown_agents_are_refused(ceki, ceki_vendor):
    agent = register_agent(ceki)
    client = client_of(agent)
    for status in ("suspended", "banned"):
        ceki_vendor.agents[agent.agent_id]["status"] = status
        with pytest.raises(AuthError, match=status):
            search(client)
    agent.credentials = {**agent.credentials, "api_key": "ceki_not-a-key"}
    agent.save()
    with pytest.raises(AuthError, match="401"):
        client_of(agent).wallet()


def test_a_slot_is_booked_once_with_or_without_payment(ceki):
    client = client_of(register_agent(ceki))
    schedule = client.schedule_slots(701, MONDAY, MONDAY + dt.timedelta(days=2))
    assert schedule.user_id == 501 and schedule.duration == 240 and schedule.timezone == "America/New_York"
    first, second = schedule.slots[0], schedule.slots[1]
    assert first.start == dt.datetime(2026, 1, 5, 12, tzinfo=dt.UTC) and first.available  # 07:00 in New York

    unpaid = client.book_slot(701, booking_body(first.start))
    assert unpaid.url is None and unpaid.user_id == 501 and unpaid.event_id
    with pytest.raises(ValidationFailed) as refused:
        client.book_slot(701, booking_body(first.start))
    assert refused.value.field_errors == {"start": ["The selected time slot is not available."]}
    paid = client.book_slot(701, booking_body(second.start, with_payment=True))
    assert paid.url and paid.token and paid.event_id != unpaid.event_id
    after = client.schedule_slots(701, MONDAY, MONDAY + dt.timedelta(days=2)).slots
    assert [slot.available for slot in after[:3]] == [False, False, True]
    with pytest.raises(ValidationFailed, match="not available"):
        client.book_slot(701, booking_body(first.start + dt.timedelta(minutes=30)))


OPERATIONS = st.lists(
    st.one_of(
        st.tuples(st.just("deposit"), st.decimals(min_value="0.01", max_value="0.20", places=2)),
        st.tuples(st.just("search"), st.none()),
        st.tuples(st.just("view"), st.none()),
    ),
    max_size=8,
)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(operations=OPERATIONS, free_views_left=st.integers(min_value=0, max_value=2))
def test_the_wallet_is_deposits_minus_charges_never_negative_and_a_402_charges_nothing(
    ceki, ceki_vendor, operations, free_views_left
):
    agent = register_agent(ceki, deposit="0.01")
    client = client_of(agent)
    already = FREE_PROFILE_VIEWS - free_views_left  # views spent earlier this month, without the HTTP round trips
    ceki_vendor.usage += [(agent.agent_id, ceki_vendor.clock.strftime("%Y-%m"), "api_user_view", True)] * already
    deposits, charges = Decimal("0.01"), Decimal(0)
    for kind, value in operations:
        before = client.wallet().total
        if kind == "deposit":
            fund(agent, agent.agent_id, str(value))
            deposits += value
            continue
        cost = SEARCH_COST if kind == "search" else (VIEW_COST if free_views_left <= 0 else Decimal(0))
        try:
            search(client) if kind == "search" else client.specialist(501)
        except WalletEmpty:
            assert before < cost
            assert client.wallet().total == before, "a 402 charges nothing"
            continue
        charges += cost
        free_views_left -= kind == "view"
        balance = client.wallet().total
        assert balance == before - cost
        assert balance >= 0
    assert client.wallet().total == deposits - charges
    listed = client.wallet_transactions().items
    assert (
        sum(t.amount for t in listed if t.type == "deposit") - sum(t.amount for t in listed if t.type == "charge")
        == deposits - charges
    )
