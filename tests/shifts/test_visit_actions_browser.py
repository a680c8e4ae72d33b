"""Issue 23's "Done when": in chromium, on the Alaunus sandbox with the real worker, a coordinator creates a single
visit and a weekly series from the visits week, moves one occurrence, reassigns a caregiver from who is free,
cancels a visit and corrects a punchcard; the sandbox holds each change and the week shows its delivery state."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from playwright.sync_api import Page, expect

from portal.integrations.models import OutboundRequest
from portal.jobs.models import Patient
from portal.shifts.models import RecurringVisitGroup, Timecard, Visit
from portal.shifts.visit_views import week_bounds
from portal.talent.models import TalentProfile
from tests.support.processes import wait_until
from tests.vendors.alaunus import conftest as alaunus_fixtures
from vendors.alaunus.sandbox_world import iso, parse_instant

# The Alaunus sandbox over HTTP and a connection to it, shared with the Alaunus vendor tests.
alaunus, alaunus_server, vendor = alaunus_fixtures.alaunus, alaunus_fixtures.alaunus_server, alaunus_fixtures.vendor

# serialized_rollback: an earlier transactional test flushed the roles that migrations create.
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

TORONTO = ZoneInfo("America/Toronto")


def monday_of(moment: dt.datetime) -> dt.date:
    zone = ZoneInfo(settings.TIME_ZONE)
    return week_bounds(moment.astimezone(zone).date(), zone)[0]


def sent(operation: str, count: int = 1) -> None:
    wait_until(
        lambda: OutboundRequest.objects.filter(operation=operation, state="sent").count() >= count,
        timeout=40,
        message=f"the worker to send {operation} to Alaunus",
    )
    assert not OutboundRequest.objects.filter(state="failed").exists(), list(
        OutboundRequest.objects.values_list("operation", "last_error")
    )


def open_week(page: Page, base: str, monday: dt.date) -> None:
    page.goto(f"{base}/shifts/visits/?week={monday}")
    expect(page.locator("#week-label")).to_contain_text(f"{monday.day} {monday:%b %Y}")


def test_a_coordinator_creates_a_visit_and_a_weekly_series_from_the_week(
    coordinator_page, live_server, alaunus, vendor, celery_worker
):
    alaunus_fixtures.sync_everything(alaunus)
    page = coordinator_page
    patient = Patient.objects.filter(connection=alaunus).order_by("pk").first()
    grace = TalentProfile.objects.get(email="caregiver0@haltonhomecare.example")
    # Grace's row is in the week of her latest visit (a seeded Monday); her Tuesday is free.
    monday = monday_of(Visit.objects.filter(caregiver=grace).latest("starts_at").starts_at)
    tuesday = monday + dt.timedelta(days=1)

    open_week(page, live_server.url, monday)
    page.get_by_role("link", name=f"New visit on {tuesday:%a} {tuesday.day} {tuesday:%b} for {grace}").click()
    expect(page.get_by_label("Day")).to_have_value(tuesday.isoformat())
    expect(page.get_by_label("Caregiver")).to_have_value(str(grace.pk))
    page.get_by_label("Send to").select_option(value=str(alaunus.pk))
    page.get_by_label("Patient").select_option(value=str(patient.pk))
    page.get_by_label("Service").fill("Personal care")
    page.get_by_label("Starts").fill("13:00")
    page.get_by_label("Ends").fill("14:30")
    page.get_by_role("button", name="Create visit").click()
    expect(page.locator("#messages")).to_contain_text("1 visit created and queued for Alaunus sandbox")

    single = Visit.objects.latest("pk")  # the one the portal made
    sent("create_visit")
    single.refresh_from_db()
    event = vendor.data["events"][single.external_id]
    assert parse_instant(event["start"]).astimezone(TORONTO).time() == dt.time(13)
    assert event["service"]["title"] == "Personal care" and event["patient"]["_id"] == patient.external_id
    page.reload()
    expect(page.locator(f"#visit-{single.pk} [data-delivery]")).to_have_attribute("data-delivery", "sent")

    # Mon/Wed/Fri 09:00-11:00 for 6 weeks, nobody assigned yet.
    page.get_by_role("link", name="New visit", exact=True).click()
    page.get_by_label("Send to").select_option(value=str(alaunus.pk))
    page.get_by_label("Patient").select_option(value=str(patient.pk))
    page.get_by_label("Day").fill(monday.isoformat())
    page.get_by_label("Starts").fill("09:00")
    page.get_by_label("Ends").fill("11:00")
    for day in ("Mon", "Wed", "Fri"):
        page.get_by_label(day, exact=True).check()
    page.get_by_label("For (weeks)").fill("6")
    page.get_by_role("button", name="Create visit").click()
    expect(page.locator("#messages")).to_contain_text("18 visits created and queued for Alaunus sandbox")

    group = RecurringVisitGroup.objects.get(connection=alaunus, patient=patient)
    sent("create_visit_series")
    group.refresh_from_db()
    stored = vendor.data["eventsgroups"][group.external_id]
    assert stored["byweekday"] == ["MO", "WE", "FR"] and len(stored["events"]) == 18
    times = {parse_instant(vendor.data["events"][e]["start"]).astimezone(TORONTO).time() for e in stored["events"]}
    assert times == {dt.time(9)}, "09:00 on the patient's clock in every week"
    page.reload()
    cells = page.locator(".visit-row", has_text="Unassigned").locator('[data-delivery="sent"]')
    expect(cells).to_have_count(3)


def test_a_coordinator_moves_staffs_cancels_and_corrects_and_alaunus_holds_each_change(
    coordinator_page, live_server, alaunus, vendor, celery_worker
):
    # One caregiver's app checked in 25 minutes late last week.
    card = next(iter(vendor.data["punchcards"].values()))
    late_in = parse_instant(card["scheduled_start"]) + dt.timedelta(minutes=25)
    vendor.edit("punchcards", card["_id"], actual={**card["actual"], "start": iso(late_in)})
    alaunus_fixtures.sync_everything(alaunus)
    page = coordinator_page
    # This week's Monday visit of each seeded series is scheduled; last week's were worked and punched.
    this_week = list(
        Visit.objects.filter(connection=alaunus, status="scheduled", group__isnull=False)
        .select_related("patient", "caregiver")
        .order_by("starts_at")
    )
    moving, cancelling = this_week[0], this_week[1]

    # Move one occurrence: only this visit, to 10:00-12:00 on its day.
    page.goto(f"{live_server.url}/shifts/visits/{moving.pk}/change/")
    page.get_by_label("This visit only").check()
    page.get_by_label("Starts").fill("10:00")
    page.get_by_label("Ends").fill("12:00")
    page.get_by_role("button", name="Save and send to Alaunus sandbox").click()
    expect(page.locator("#messages")).to_contain_text("Visit changed.")
    expect(page.locator("#visit-when")).to_contain_text("10:00")
    sent("update_visit")
    assert parse_instant(vendor.data["events"][moving.external_id]["start"]).astimezone(TORONTO).time() == dt.time(10)

    # Reassign from the list: the caregiver whose own series clashes is shown busy; a free one is given the visit.
    page.get_by_role("link", name="Swap caregiver").click()
    expect(page.locator(".caregiver-option[data-free='no']", has_text="Busy: Visit").first).to_be_visible()
    # An applicant Alaunus knows only as a candidate cannot attend: the list says so before anyone clicks.
    expect(page.locator(".caregiver-option[data-free='no']", has_text="would refuse").first).to_be_visible()
    free = page.locator(".caregiver-option[data-free='yes']").first
    name = free.locator("th").text_content().strip()  # as written, not as the style capitalises it
    free.get_by_role("button").click()
    # Her own visit ends as this one starts: one round of visits, which the gate's rest rule leaves alone.
    expect(page.locator("#messages")).to_contain_text(f"{name} now has this visit.")
    expect(page.locator("#visit-caregiver")).to_have_text(name)
    sent("update_visit", 2)
    moving.refresh_from_db()
    user = moving.caregiver.references.get(connection=alaunus, vendor_data__has_key="role").external_id
    assert [a["_id"] for a in vendor.data["events"][moving.external_id]["attendees"]] == [user]
    expect(page.locator("#delivery [data-state='sent']")).to_have_count(2)

    # Cancel another: the confirmation names who loses the visit and whom.
    page.goto(f"{live_server.url}/shifts/visits/{cancelling.pk}/")
    page.get_by_role("link", name="Cancel visit").click()
    expect(page.locator("#cancel-who")).to_contain_text(str(cancelling.caregiver))
    expect(page.locator("#cancel-who")).to_contain_text(str(cancelling.patient))
    page.get_by_label("Reason").fill("Patient admitted to hospital")
    page.get_by_role("button", name="Cancel the visit").click()
    expect(page.locator("#cancellation-reason")).to_contain_text("Patient admitted to hospital")
    sent("cancel_visit")
    assert vendor.data["events"][cancelling.external_id]["status"] == "cancelled"

    # Correct a late punchcard of last week: the correction lands and the week's late mark clears.
    late = Timecard.objects.select_related("visit").get(connection=alaunus, external_id=card["_id"])
    last_week = monday_of(late.visit.starts_at)
    open_week(page, live_server.url, last_week)
    expect(page.locator(f"#visit-{late.visit.pk} mark.late")).to_be_visible()
    page.goto(f"{live_server.url}/shifts/visits/{late.visit.pk}/punchcard/")
    scheduled = late.visit.starts_at.astimezone(TORONTO)
    page.get_by_label("Corrected check-in").fill(scheduled.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Reason").fill("Caregiver arrived on time; app was offline")
    page.get_by_role("button", name="Correct and send to Alaunus sandbox").click()
    expect(page.locator("#correction")).to_contain_text("app was offline")
    sent("correct_punchcard")
    actual = vendor.data["punchcards"][late.external_id]["actual"]
    assert parse_instant(actual["start"]) == late.visit.starts_at

    open_week(page, live_server.url, last_week)
    cell = page.locator(f"#visit-{late.visit.pk}")
    expect(cell.locator(".corrected")).to_be_visible()
    expect(cell.locator("mark.late")).to_have_count(0)
    expect(cell.locator("[data-delivery]")).to_have_attribute("data-delivery", "sent")
    open_week(page, live_server.url, monday_of(moving.starts_at))
    expect(page.locator(f"#visit-{moving.pk} [data-delivery]")).to_have_attribute("data-delivery", "sent")
    expect(page.locator(f"#visit-{cancelling.pk}")).to_have_attribute("data-status", "cancelled")
