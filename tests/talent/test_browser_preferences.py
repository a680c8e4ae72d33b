"""Issue 14, item 7, in chromium: a coordinator opens a person from the talent search and sees what they told
Kamana they are looking for, soonest start first."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from portal.talent.models import OpportunityPreference, TalentReference
from tests.jobs.factories import VendorConnectionFactory
from tests.talent.factories import TalentProfileFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db]


def test_a_coordinator_sees_what_a_person_is_looking_for(coordinator_page, live_server):
    maria = TalentProfileFactory(first_name="Maria", last_name="Lopez", email="maria.lopez@example.org")
    kamana = VendorConnectionFactory(vendor="kamana", name="Kamana (agency)")
    reference = TalentReference.objects.create(profile=maria, connection=kamana, external_id="k-1")
    OpportunityPreference.objects.create(
        reference=reference,
        connection=kamana,
        external_id="p-2",
        name="Nights, close to home",
        available_on=dt.date(2027, 3, 1),
        hours_per_week=36,
        minimum_weekly_gross_pay=Decimal("1850.00"),
        shift_nights=True,
    )
    OpportunityPreference.objects.create(
        reference=reference,
        connection=kamana,
        external_id="p-1",
        name="Next assignment",
        available_on=dt.date(2027, 1, 4),
    )
    page = coordinator_page
    page.goto(f"{live_server.url}/talent/?q=maria.lopez")
    page.click("#people >> text=Maria Lopez")
    page.wait_for_selector("#preferences .preference")

    rows = page.eval_on_selector_all("#preferences .preference", "rows => rows.map(row => row.innerText)")
    assert len(rows) == 2
    assert "Next assignment" in rows[0] and "Mon 4 Jan 2027" in rows[0], "soonest start first"
    assert "Nights, close to home" in rows[1] and "1,850.00 USD" in rows[1] and "Nights" in rows[1]
    assert "Kamana (agency)" in rows[1] and "36" in rows[1]
