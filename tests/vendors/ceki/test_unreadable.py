"""Issue 14 on Ceki: a contract served with an unreadable end date and budget keeps the portal's values over real
HTTP, the run ends "succeeded with warnings" and lists it, and the contract page shows the notice."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from portal.contracts.models import Contract
from portal.core.roles import Role
from portal.integrations.models import SyncRun
from portal.integrations.sync import run_sync

pytestmark = pytest.mark.django_db


def test_a_contract_with_unreadable_values_keeps_the_known_ones(ceki, ceki_vendor, client, make_user):
    run_sync(ceki, "contracts")
    known = Contract.objects.filter(connection=ceki).order_by("pk").first()
    served = ceki_vendor.contracts[int(known.external_id)]
    served.update(end="31/06/2026", amount="a lot", label="Renamed at Ceki")
    ceki_vendor._stamp(served)

    out = io.StringIO()
    call_command("sync", "ceki", "--resource", "contracts", "--full", stdout=out)
    run = SyncRun.objects.filter(connection=ceki, resource="contracts").latest("pk")
    assert "contracts: Succeeded with warnings" in out.getvalue()
    assert "1 kept values the vendor sent unreadable" in out.getvalue()

    assert (run.state, run.warned, run.failed) == ("with_warnings", 1, 0)
    contract = Contract.objects.get(pk=known.pk)
    assert contract.label == "Renamed at Ceki"
    assert (contract.ends_at, contract.budget) == (known.ends_at, known.budget), "known values kept"
    assert set(contract.vendor_problems) == {"ends_at", "budget"}
    assert contract.vendor_problems["ends_at"]["raw"] == "'31/06/2026'"
    assert run.warnings[0]["external_id"] == known.external_id

    client.force_login(make_user("admin-ceki", Role.ADMIN))
    run_page = client.get(reverse("integrations:sync-run", args=[run.pk])).content.decode()
    assert "Succeeded with warnings" in run_page and "31/06/2026" in run_page and "ends_at" in run_page
    contract_page = client.get(reverse("billing:contract", args=[contract.pk])).content.decode()
    assert "had values the portal could not read" in contract_page and "a lot" in contract_page
