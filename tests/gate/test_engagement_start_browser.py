"""Issue 19 in chromium: an engagement's Start is blocked with its reasons, and a warning is gone past with a
reason that the gate keeps."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from portal.contracts.models import Engagement
from portal.gate.models import Finding
from tests.contracts.factories import EngagementFactory
from tests.jobs.factories import FacilityFactory
from tests.shifts.factories import ShiftRequestFactory, VisitFactory
from tests.talent.factories import TalentProfileFactory

# serialized_rollback: an earlier transactional test flushed the roles that migrations create.
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_a_start_is_blocked_with_its_reasons_and_a_warning_is_gone_past_with_one(coordinator_page, live_server):
    page = coordinator_page
    ward = FacilityFactory(name="Harbor View", time_zone="UTC")
    busy = TalentProfileFactory(first_name="Ana", last_name="Reyes")
    tired = TalentProfileFactory(first_name="Ben", last_name="Okafor")
    day = timezone.now().date() + dt.timedelta(days=1)
    midnight = dt.datetime.combine(day, dt.time(), tzinfo=dt.UTC)
    placement = {"facility": ward, "status": Engagement.Status.CLEARED, "starts_on": day, "ends_on": day}
    hours = {"shift_start_time": 7, "shift_end_time": 19}
    blocked = EngagementFactory(talent=busy, **placement, **hours)
    warned = EngagementFactory(talent=tired, **placement, **hours)
    ShiftRequestFactory(
        assigned_professional=busy, status="filled", starts_at=midnight + dt.timedelta(hours=9),
        ends_at=midnight + dt.timedelta(hours=13), unit="ICU",
    )  # fmt: skip
    VisitFactory(
        caregiver=tired, service_name="Night sit", starts_at=midnight + dt.timedelta(hours=2),
        ends_at=midnight + dt.timedelta(hours=4),
    )  # fmt: skip

    page.goto(f"{live_server.url}/engagements/{blocked.pk}/")
    page.get_by_role("button", name="Start engagement").click()
    blocks = page.locator("#section-start #gate-blocks")
    expect(blocks).to_contain_text("Overlapping work")
    expect(blocks).to_contain_text("ICU")
    expect(page.locator("#start-form")).to_have_count(0)
    expect(page.locator("#engagement-status")).to_contain_text("Cleared")

    page.goto(f"{live_server.url}/engagements/{warned.pk}/")
    page.get_by_role("button", name="Start engagement").click()
    expect(page.locator("#section-start #gate-warnings")).to_contain_text("Too little rest between work")
    page.get_by_label("Reason to go on past the warnings").fill("She asked for the day shift")
    page.get_by_role("button", name="Start anyway").click()
    expect(page).to_have_url(re.compile(rf"/engagements/{warned.pk}/$"))
    expect(page.locator("#engagement-status")).to_contain_text("Active")
    expect(page.locator("#section-start")).to_have_count(0)
    # The override only: a re-check queued by an earlier test's worker may raise findings of its own here.
    kept = Finding.objects.get(profile=tired, state=Finding.State.OVERRIDDEN)
    assert (kept.rule, kept.reason) == ("rest", "She asked for the day shift")
