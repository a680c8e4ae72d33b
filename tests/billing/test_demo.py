"""The shifts, contracts and billing demo seeders, run after the jobs and talent ones as `seed_demo` runs them."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from django.utils import timezone

from portal.billing import demo as billing_demo
from portal.billing.models import RateCard, Transaction
from portal.billing.rates import period_margin
from portal.billing.reconciliation import Problem, reconcile
from portal.contracts import demo as contracts_demo
from portal.contracts.models import Engagement
from portal.core.audit import audit_context
from portal.jobs import demo as jobs_demo
from portal.shifts import demo as shifts_demo
from portal.shifts.models import ShiftRequest, Visit
from portal.talent import demo as talent_demo

pytestmark = pytest.mark.django_db


def test_demo_covers_every_status_zone_overnight_and_dst():
    rng = random.Random(2026)
    with audit_context("system", detail="test"):
        for module in (jobs_demo, talent_demo, shifts_demo, contracts_demo, billing_demo):
            counts = module.seed(rng, 1)
            assert all(value >= 0 for value in counts.values())

    shifts = list(ShiftRequest.objects.all())
    assert len({shift.time_zone for shift in shifts}) >= 3
    assert any(shift.is_overnight for shift in shifts)
    # One night shift crosses a daylight-saving change: it lasts 7 or 9 real hours for 8 on the clock.
    assert any(shift.is_overnight and shift.duration.total_seconds() in {7 * 3600, 9 * 3600} for shift in shifts)
    assert {"open", "filled", "completed", "cancelled"} <= {shift.status for shift in shifts}
    assert all(shift.timecards.exists() for shift in shifts if shift.status == "completed")
    assert Visit.objects.filter(group__isnull=False).exists()

    assert set(Engagement.objects.values_list("status", flat=True)) == set(Engagement.Status.values)
    assert {"pending", "approved", "paid"} <= set(Transaction.objects.values_list("status", flat=True))


def test_demo_rate_cards_price_the_demo_shifts():
    rng = random.Random(2026)
    with audit_context("system", detail="test"):
        for module in (jobs_demo, talent_demo, shifts_demo, contracts_demo, billing_demo):
            module.seed(rng, 1)
    kinds = set(RateCard.objects.values_list("shift_kind", flat=True))
    assert kinds == set(RateCard.ShiftKind.values)
    assert RateCard.objects.filter(facility__isnull=False).exists()
    today = timezone.localdate()
    margin = period_margin(today - dt.timedelta(days=40), today + dt.timedelta(days=20))
    priced = [row for row in margin.shifts if row.card]
    assert priced and all(row.margin > 0 for row in priced)


def test_demo_holds_each_kind_of_reconciliation_exception():
    rng = random.Random(2026)
    with audit_context("system", detail="test"):
        for module in (jobs_demo, talent_demo, shifts_demo, contracts_demo, billing_demo):
            module.seed(rng, 1)
    now = timezone.now()
    result = reconcile(now - dt.timedelta(days=60), now)
    assert set(result.counts) == set(Problem.values)
    # Each kind is the planted one: the demo's vendors otherwise bill what was worked, at the cards.
    assert result.counts[Problem.RATE_DIFFERS] == 1
    assert result.counts[Problem.BILLED_NOT_WORKED] == 1
    assert result.counts[Problem.BILLED_TWICE] == 1
    assert result.counts[Problem.WORKED_NOT_BILLED] >= 1


def test_the_queue_shows_each_kind_of_the_demo_in_its_default_period(coordinator_client):
    rng = random.Random(2026)
    with audit_context("system", detail="test"):
        for module in (jobs_demo, talent_demo, shifts_demo, contracts_demo, billing_demo):
            module.seed(rng, 1)
    response = coordinator_client.get("/billing/reconciliation/")
    counts = {value: count for value, _, count, _ in response.context["problems"]}
    assert all(counts[value] >= 1 for value in Problem.values), counts
    listed = {row.exception.problem for row in response.context["rows"]}
    assert listed == set(Problem.values)
    html = response.content.decode()
    assert all(f'<tr data-problem="{value}"' in html for value in Problem.values)
