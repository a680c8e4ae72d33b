"""The Ceki sandbox dates an event by the contract's local day (issue 14 item 6: the IntelyCare sandbox's UTC-day
slip, checked in every sandbox): an evening in New York is still that New York day, though UTC is on the next."""

from __future__ import annotations

import pytest

from portal.integrations.registry import get_provider
from vendors.ceki.client import CekiClient

pytestmark = pytest.mark.django_db


def test_an_event_at_22_00_new_york_is_dated_on_its_new_york_day(ceki, ceki_vendor):
    contract = next(iter(ceki_vendor.contracts))
    assert ceki_vendor.contracts[contract]["timezone"] == "America/New_York"
    client = CekiClient(get_provider("ceki").client(ceki))

    evening = client.create_event(contract, {"date": "2026-01-06T03:00:00Z", "duration": 60, "label": "Late visit"})
    assert evening["date"] == "2026-01-05T00:00:00", "22:00 on 5 January in New York"

    local = client.create_event(contract, {"date": "2026-01-06T00:00:00", "duration": 60, "label": "Local"})
    assert local["date"] == "2026-01-06T00:00:00", "a naive time is already the contract's local time"


def test_the_worlds_own_charges_are_dated_on_the_contracts_day(ceki_vendor):
    ceki_vendor.clock = ceki_vendor.clock.replace(hour=2, minute=30)  # 21:30 the evening before in New York
    before = set(ceki_vendor.transactions)
    ceki_vendor.tick()
    [charge] = [ceki_vendor.transactions[i] for i in set(ceki_vendor.transactions) - before]
    assert charge["date"] == "2026-01-04T00:00:00"
