"""Issue 14, item 4 in chromium: after Kamana serves a requisition with an unreadable start date, the Admin sees
the run "succeeded with warnings" on the Integrations page, opens the run and finds the record and its raw value,
then the requisition's page shows the notice and still the known date."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from portal.integrations.sync import run_sync
from portal.jobs.models import JobRequisition
from tests.support.browser import sign_in
from tests.vendors.kamana import conftest as kamana_fixtures

kamana_server, vendor, kamana = kamana_fixtures.kamana_server, kamana_fixtures.vendor, kamana_fixtures.kamana
registered = kamana_fixtures.registered

# serialized_rollback: an earlier transactional test flushed the roles that migrations create.
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_the_admin_follows_a_warning_from_the_run_to_the_requisition(page, portal_admin, live_server, kamana, vendor):
    for resource in ("professions", "specialties", "facilities", "job_requisitions"):
        run_sync(kamana, resource, full=True)
    requisition_id = vendor.world.requisition_order()[0]
    known = JobRequisition.objects.get(connection=kamana, external_id=requisition_id)
    with vendor.lock:
        vendor.world.requisitions[requisition_id].update(starts_on="2027-02-30", updated_at=vendor.world.stamp())
        vendor.world.touched_requisitions()
    run = run_sync(kamana, "job_requisitions", full=True)
    assert run.state == "with_warnings"

    sign_in(page.context, portal_admin, live_server.url)
    page.goto(f"{live_server.url}/integrations/")
    page.locator("#recent-runs").get_by_role("link", name="Succeeded with warnings").first.click()
    expect(page.get_by_role("heading", name=f"Sync run {run.pk}")).to_be_visible()
    warning = page.locator(f'[data-record="jobs.jobrequisition:{known.pk}"]')
    expect(warning).to_contain_text("starts_on")
    expect(warning).to_contain_text("2027-02-30")

    page.goto(f"{live_server.url}/jobs/{known.pk}/")
    notice = page.locator(".vendor-problems")
    expect(notice).to_contain_text("could not read")
    expect(notice).to_contain_text("2027-02-30")
    expect(notice).to_contain_text(f"sync run {run.pk}")
    assert JobRequisition.objects.get(pk=known.pk).starts_on == known.starts_on
