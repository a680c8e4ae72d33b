"""The demo holds people whose work collides, so the findings page shows real findings (issue 19, "Done when")."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from portal.gate.models import DuplicateSuggestion, Finding, Rule

pytestmark = pytest.mark.django_db


def test_the_demo_seeds_findings_of_every_kind_and_a_person_held_twice(coordinator_client):
    out = io.StringIO()
    call_command("seed_demo", "--seed", "3", stdout=out)
    assert "portal.gate.demo:" in out.getvalue()
    rules = set(Finding.objects.filter(state="open").values_list("rule", flat=True))
    assert {Rule.OVERLAP, Rule.REST, Rule.DO_NOT_RETURN, Rule.CREDENTIAL_EXPIRED} <= rules
    assert DuplicateSuggestion.objects.filter(reasons__contains=["same phone"]).exists()
    page = coordinator_client.get(reverse("gate:findings"))
    assert page.content.count(b'data-rule="overlap"') >= 2
    call_command("seed_demo", "--force", stdout=io.StringIO())  # a second seeding adds, never collides
