"""The demo's Ceki sandbox holds specialists free for some of the demo's open shifts and unstaffed visits, with
names (issue 22, "Done when"), and the demo's one Ceki connection both syncs and sources with its agent key."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from portal.integrations.models import VendorConnection
from portal.shifts import sourcing
from portal.shifts.models import ShiftRequest, Visit
from portal.shifts.sourcing_records import sourced_record
from tests.support.processes import free_port
from tests.vendors.ceki.conftest import client_of
from vendors.base.sandbox import SandboxServer
from vendors.base.sandbox_cast import DEMO_CAST
from vendors.ceki.sandbox import CekiSandbox
from vendors.ceki.sandbox_agent import DEMO_AGENT_KEY

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_ceki(settings):
    if "vendors.ceki" not in settings.VENDOR_PROVIDERS:
        settings.VENDOR_PROVIDERS = [*settings.VENDOR_PROVIDERS, "vendors.ceki"]
    sandbox = CekiSandbox()
    sandbox.add_cast(DEMO_CAST)  # as `manage.py sandbox` does for the demo
    server = SandboxServer([sandbox], port=free_port()).start()
    yield VendorConnection.objects.create(
        vendor="ceki",
        name="Ceki (sandbox)",
        base_url=server.vendor_url("ceki"),
        credentials={"email": "coordinator@ceki.example", "otp": "246810", "api_key": DEMO_AGENT_KEY},
    )
    server.stop()


def offers_for(connection: VendorConnection, records: list, kind: str) -> dict[int, list[sourcing.Offer]]:
    channel = sourcing.channel_for(connection)
    return {record.pk: channel.search(connection, sourced_record(kind, record).criteria()) for record in records}


def test_demo_specialists_are_free_for_some_open_shifts_and_unstaffed_visits(demo_ceki):
    call_command("seed_demo", "--seed", "3", stdout=io.StringIO())
    shifts = list(ShiftRequest.objects.filter(status="open").select_related("facility__province")[:12])
    visits = list(Visit.objects.filter(status="scheduled", caregiver=None).select_related("patient__province")[:6])
    assert shifts and visits, "the demo seeds open shifts and visits nobody staffs yet"

    shift_offers = offers_for(demo_ceki, shifts, "shift")
    visit_offers = offers_for(demo_ceki, visits, "visit")
    matched = [offers for offers in shift_offers.values() if offers]
    assert len(matched) >= len(shifts) // 3, f"{len(matched)} of {len(shifts)} open demo shifts find someone"
    assert any(visit_offers.values()), "some unstaffed demo visit finds a home health aide"
    for offers in [*matched, *visit_offers.values()]:
        for offer in offers:
            assert " " in offer.name and not offer.name.startswith("Ceki user"), "specialists have names"
            assert offer.price is not None and offer.slot_start is not None


def test_the_demo_key_opens_the_demo_users_contracts_too(demo_ceki):
    assert client_of(demo_ceki).contracts(), "one demo connection syncs as well as it sources"
    assert client_of(demo_ceki).agent().status == "active"
