"""`seed_demo` gives Today something in every figure (README command 1 shows the page with meaningful numbers)."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from portal.core.roles import Role
from portal.core.timezones import agency_zone
from portal.dashboard.figures import today_figures
from portal.dashboard.models import CoordinatorPreferences
from portal.integrations.models import OutboundRequest, VendorConnection
from portal.shifts.models import ShiftRequest

pytestmark = pytest.mark.django_db


def test_the_demo_fills_every_figure_of_today(make_user):
    make_user("coordinator", Role.COORDINATOR, email="coordinator@demo.staffing.test")
    out = io.StringIO()
    call_command("seed_demo", "--scale", "1", "--seed", "7", stdout=out)
    assert "portal.demo.today:" in out.getvalue()
    figures = today_figures(agency_zone())
    assert figures.open_shifts.value and figures.urgent_shifts.value
    assert figures.visits_without_caregiver_today.value and figures.visits_without_caregiver_tomorrow.value
    fourteen, thirty = figures.fill_rates
    assert 0 < fourteen.filled.value < fourteen.requested.value and thirty.requested.value > fourteen.requested.value
    assert sum(day.requested > 0 for day in figures.fill_trend) >= 25  # a month of history, not twelve days
    assert figures.median_time_to_fill is not None
    assert figures.approvals and figures.idle_requisitions.value
    assert figures.engagements_starting.value + figures.engagements_ending.value > 0
    assert figures.credentials_expired.value + figures.credentials_expiring.value > 0
    assert CoordinatorPreferences.objects.get(user__username="coordinator").digest_opt_in


def test_the_demo_posts_open_shifts_to_intelycare_once_it_is_connected():
    """`bin/demo` connects the sandboxes after seeding, then posts a few open shifts: each becomes an outbox row."""
    call_command("seed_demo", "--scale", "1", "--seed", "7", stdout=io.StringIO())
    out = io.StringIO()
    call_command("post_demo_shifts", stdout=out)
    assert "No demo shift posted" in out.getvalue()  # nothing takes shifts yet
    assert not OutboundRequest.objects.exists()

    # As `connect` does: the connection the seeder named for the gate's cross-vendor shifts becomes active.
    intelycare = VendorConnection.objects.get(vendor="intelycare")
    VendorConnection.objects.filter(vendor__in=["intelycare", "kamana"]).update(is_active=True)  # Kamana: no shifts
    call_command("post_demo_shifts", stdout=out)
    assert "Posted 4 open shifts to IntelyCare (sandbox)" in out.getvalue()
    posted = ShiftRequest.objects.filter(connection=intelycare, status="open")
    assert posted.count() == 4 and {shift.status for shift in posted} == {"open"}
    assert min(shift.starts_at for shift in posted) > timezone.now()
    rows = OutboundRequest.objects.filter(connection=intelycare, operation="create_shift", state="pending")
    assert sorted(row.natural_key for row in rows) == sorted(shift.external_shift_id for shift in posted)

    call_command("post_demo_shifts", stdout=out)  # a second run of bin/demo posts nothing more
    assert posted.count() == 4 and OutboundRequest.objects.count() == 4
