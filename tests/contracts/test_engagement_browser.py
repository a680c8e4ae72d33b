"""Issue 5's "Done when" for engagements: after the Kamana sandbox's facilities, requisitions, the talent, the
engagement, its requirement and an extension reached the portal over real HTTP, a coordinator opens the engagement
in chromium, is stopped by Kamana's list of weekly hours before anything is queued, changes the weekly gross pay and
the hours per week inline, and the worker updates the sandbox; an extension added inline is created there too. The
page is never reloaded."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.test import Client
from playwright.sync_api import expect

from portal.contracts.models import CredentialingRequirement, Engagement, EngagementExtension
from portal.gate.models import Rule, RuleSetting, Severity
from portal.integrations.models import OutboundRequest
from portal.integrations.sync import run_sync
from tests.support.processes import wait_until
from tests.vendors.kamana import conftest as kamana_fixtures

# The Kamana sandbox over HTTP, a connection to it, and its push receivers, shared with the Kamana tests.
kamana_server, vendor, kamana = kamana_fixtures.kamana_server, kamana_fixtures.vendor, kamana_fixtures.kamana
registered, pushing, api = kamana_fixtures.registered, kamana_fixtures.pushing, kamana_fixtures.api

# serialized_rollback: an earlier transactional test flushed the roles that migrations create.
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def kamana_event(connection, vendor, arrived) -> None:
    """Deliver the sandbox's latest webhook to the portal and wait until its change is here (applied inline or by
    the suite's worker, whichever takes it first)."""
    kamana_fixtures.deliver(Client(), connection, kamana_fixtures.sent_webhooks(vendor.server)[-1])
    wait_until(arrived, timeout=30, message="the Kamana webhook to be applied")


def sync_engagement(connection, vendor, api) -> tuple[str, dt.date]:
    """Kamana has no engagement list: the engagement arrives with the events about it, as in production. Returns
    its Kamana id and the day its credential expires (within the 30-day warning)."""
    for resource in ("professions", "specialties", "facilities", "job_requisitions"):
        assert run_sync(connection, resource, full=True).state == "succeeded"
    engagement_id, attrs = next(iter(vendor.world.engagements.items()))
    api.http.request("POST", f"/_sandbox/profiles/{attrs['profile_id']}", json={"phone_number": "555-0142"})
    kamana_event(connection, vendor, lambda: _talent_known(attrs))

    requirement_id = next(iter(vendor.world.requirements[engagement_id]))
    expires_on = dt.date.today() + dt.timedelta(days=10)
    path = f"/_sandbox/engagements/{engagement_id}/requirements/{requirement_id}"
    api.http.request("POST", path, json={"expires_on": expires_on.isoformat()})
    kamana_event(connection, vendor, CredentialingRequirement.objects.filter(external_id=requirement_id).exists)

    api.create_extension(engagement_id, {"starts_on": attrs["ends_on"], "ends_on": "2027-03-01"})
    kamana_event(connection, vendor, EngagementExtension.objects.filter(engagement__external_id=engagement_id).exists)
    return engagement_id, expires_on


def _talent_known(attrs: dict) -> bool:
    from portal.talent.models import TalentReference

    return TalentReference.objects.filter(external_id=attrs["profile_id"]).exists()


def sent(operation: str, count: int) -> list[OutboundRequest]:
    rows = OutboundRequest.objects.filter(operation=operation).order_by("pk")
    wait_until(
        lambda: rows.count() == count and not rows.exclude(state__in=["sent", "failed"]).exists(),
        timeout=30,
        message=f"the worker to send {operation} to Kamana",
    )
    assert [(row.state, row.last_error) for row in rows] == [("sent", "")] * count
    return list(rows)


def test_a_coordinator_edits_an_engagement_inline_and_kamana_holds_the_changes(
    coordinator_page, live_server, kamana, vendor, api, pushing, celery_worker
):
    engagement_id, expires_on = sync_engagement(kamana, vendor, api)
    engagement = Engagement.objects.select_related("talent", "job_requisition__facility").get(external_id=engagement_id)
    assert engagement.talent is not None and engagement.status == "placed"
    page = coordinator_page

    page.goto(f"{live_server.url}/engagements/")
    page.locator('.status-tabs a[data-status="placed"]').click()
    expect(page).to_have_url(re.compile(r"status=placed"))
    page.get_by_label("Talent or requisition").fill(engagement.talent.last_name)
    expect(page).to_have_url(re.compile(rf"q={engagement.talent.last_name}"))
    assert "status=placed" in page.url, "the search keeps the status tab"
    row = page.locator(f"#engagement-{engagement.pk}")
    expect(row).to_contain_text(engagement.job_requisition.facility.name)
    expect(page.locator("#engagements tbody tr")).to_have_count(1)
    row.get_by_role("link", name=str(engagement.talent)).click()
    expect(page.locator("#engagement-status")).to_contain_text("Placed")
    requirement = CredentialingRequirement.objects.get(engagement=engagement)
    expect(page.locator(f"#requirement-{requirement.pk} td.expiring")).to_contain_text(f"{expires_on:%-d %b %Y}")
    page.evaluate("window.__sameDocument = true")

    shift = page.locator("#section-shift")
    shift.get_by_label("Hours per week").fill("70")
    shift.get_by_role("button", name="Save shift hours").click()
    expect(page.locator("#section-shift .field-error")).to_contain_text("Hours per week must be one of")
    assert not OutboundRequest.objects.exists(), "refused on the form: nothing queued"

    page.locator("#section-pay").get_by_label("Weekly gross pay (USD)").fill("2650.00")
    page.locator("#section-pay").get_by_role("button", name="Save pay package").click()
    expect(page.locator("#section-pay .saved")).to_have_text("Saved; queued for Kamana sandbox.")
    page.locator("#section-shift").get_by_label("Hours per week").fill("40")
    page.locator("#section-shift").get_by_role("button", name="Save shift hours").click()
    expect(page.locator("#section-shift .saved")).to_have_text("Saved; queued for Kamana sandbox.")

    sent("update_engagement", 2)
    held = vendor.world.engagements[engagement_id]
    assert (Decimal(held["weekly_gross_pay"]), held["hours_per_week"]) == (Decimal("2650"), 40)
    expect(page.locator("#engagement-sync")).to_have_attribute("data-state", "sent", timeout=15_000)

    extensions = page.locator("#extensions")
    extensions.get_by_label("Starts on").fill("2027-03-02")
    extensions.get_by_label("Ends on").fill("2027-05-31")
    extensions.get_by_role("button", name="Add extension").click()
    # The synced BLS expires in December, before the extension's days: the gate refuses them on the form.
    expect(extensions).to_contain_text("Credential expired: BLS certification expired")
    assert not EngagementExtension.objects.filter(engagement=engagement, starts_on=dt.date(2027, 3, 2)).exists()
    RuleSetting.objects.create(rule=Rule.CREDENTIAL_EXPIRED, severity=Severity.OFF)
    extensions.get_by_role("button", name="Add extension").click()
    expect(extensions.locator("tr.added")).to_contain_text("31 May 2027")
    added = EngagementExtension.objects.get(engagement=engagement, starts_on=dt.date(2027, 3, 2))
    expect(extensions.locator("tr.added")).to_have_id(f"extension-{added.pk}")

    sent("create_engagement_extension", 1)
    held_dates = {(e["starts_on"], e["ends_on"]) for e in vendor.world.extensions[engagement_id].values()}
    assert ("2027-03-02", "2027-05-31") in held_dates
    expect(page.locator(f"#extension-{added.pk}-sync")).to_have_attribute("data-state", "sent", timeout=15_000)
    assert page.evaluate("window.__sameDocument") is True, "every change was made in place, without a reload"
