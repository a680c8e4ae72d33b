"""Issue 17 in chromium, on a portal-only engagement: a negative rate cannot be sent, the pay section says how
weekly gross compares with rate x hours as it is saved in place, and the page no longer claims its status is
"changed in the vendor" beside "Vendor: Local only"."""

from __future__ import annotations

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from portal.contracts.models import Engagement
from tests.contracts.factories import EngagementFactory

# serialized_rollback: an earlier transactional test flushed the roles that migrations create.
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_the_pay_section_refuses_a_negative_rate_and_explains_gross(coordinator_page, live_server):
    page = coordinator_page
    engagement = EngagementFactory(
        connection=None, hours_per_week=36, regular_hourly_rate=Decimal("62.50"), weekly_gross_pay=Decimal("2250.00")
    )
    page.goto(f"{live_server.url}/engagements/{engagement.pk}/")
    expect(page.locator("#engagement-status")).not_to_contain_text("changed in")
    pay = page.locator("#section-pay")
    expect(pay.locator("#gross-check")).to_have_text(
        "Weekly gross matches rate \u00d7 hours: 62.50 USD/h \u00d7 36 h = 2,250.00 USD."
    )
    page.evaluate("window.__sameDocument = true")

    rate = pay.get_by_label("Regular hourly rate (USD/h)")
    rate.fill("-5.00")
    pay.get_by_role("button", name="Save pay package").click()
    assert rate.evaluate("field => field.validity.rangeUnderflow") is True, "the browser will not send it"
    assert Engagement.objects.get(pk=engagement.pk).regular_hourly_rate == Decimal("62.50")

    rate.fill("80.00")
    pay.get_by_role("button", name="Save pay package").click()
    expect(page.locator("#section-pay .saved")).to_have_text("Saved.")
    expect(page.locator("#gross-check")).to_have_attribute("data-warn", "true")
    expect(page.locator("#gross-check")).to_contain_text(
        "Weekly gross 2,250.00 USD is 630.00 USD less than rate \u00d7 hours (80.00 USD/h \u00d7 36 h = 2,880.00 USD)"
    )
    assert page.evaluate("window.__sameDocument") is True, "swapped in place"
    assert Engagement.objects.get(pk=engagement.pk).regular_hourly_rate == Decimal("80.00"), "a warning, not a refusal"
