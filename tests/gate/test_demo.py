"""The demo holds people whose work collides across vendors, so the findings page and Today show real findings
(issue 19, "Done when")."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from portal.gate.models import DuplicateSuggestion, Finding, Rule
from portal.integrations.models import VendorConnection
from portal.shifts.models import Visit

pytestmark = pytest.mark.django_db


def _pairs(rule: str) -> set[tuple[str, str]]:
    """(this work's source, the other work's source) of each open finding of `rule`."""
    found = Finding.objects.filter(state="open", rule=rule).exclude(other_ref="")
    return {(f.work_ref.split(":")[0], f.other_ref.split(":")[0]) for f in found}


def test_the_demo_seeds_findings_across_vendors_and_a_person_held_twice(coordinator_client):
    out = io.StringIO()
    call_command("seed_demo", "--seed", "3", stdout=out)
    assert "portal.gate.demo:" in out.getvalue()
    rules = set(Finding.objects.filter(state="open").values_list("rule", flat=True))
    assert {Rule.OVERLAP, Rule.REST, Rule.DO_NOT_RETURN, Rule.CREDENTIAL_EXPIRED} <= rules
    overlaps, rests = _pairs(Rule.OVERLAP), _pairs(Rule.REST)
    assert {("shifts.shiftrequest", "shifts.visit"), ("shifts.visit", "shifts.shiftrequest")} <= overlaps
    assert ("contracts.engagement", "contracts.contractevent") in overlaps
    assert ("contracts.contractevent", "contracts.engagement") in overlaps
    assert ("shifts.shiftrequest", "shifts.visit") in rests
    assert ("shifts.shiftrequest", "contracts.contractevent") in rests
    titles = " ".join(Finding.objects.filter(state="open", rule=Rule.OVERLAP).values_list("work_title", flat=True))
    for source in ("IntelyCare (sandbox) shift", "Alaunus (sandbox) visit", "Kamana (sandbox) engagement"):
        assert source in titles
    assert DuplicateSuggestion.objects.filter(reasons__contains=["same phone"]).exists()

    page = coordinator_client.get(reverse("gate:findings")).content.decode()
    assert page.count('data-rule="overlap"') >= 4 and "Ceki (sandbox) contract event" in page
    today = coordinator_client.get(reverse("home")).content.decode()
    blocking = today.split('id="figure-findings-blocking"><strong>')[1].split("<")[0]
    assert int(blocking) >= 4

    call_command("seed_demo", "--force", stdout=io.StringIO())  # a second seeding adds, never collides
    assert VendorConnection.objects.filter(vendor="intelycare").count() == 1


def test_bin_demo_connects_the_sandboxes_to_the_demos_connections(db):
    call_command("seed_demo", "--seed", "3", stdout=io.StringIO())
    assert not VendorConnection.objects.get(vendor="alaunus").is_active
    call_command(
        "connect", "alaunus", "--name", "Alaunus (sandbox)", "--base-url", "http://127.0.0.1:8100/alaunus",
        "--secret", "api_key=sandbox-alaunus-key", stdout=io.StringIO(),
    )  # fmt: skip
    connection = VendorConnection.objects.get(vendor="alaunus")
    assert connection.is_active and Visit.objects.filter(connection=connection).exists()
