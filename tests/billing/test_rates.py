"""Rate cards: which card prices a shift, margins from the hours engine's buckets, and the page that lists them."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from portal.billing.models import RateCard
from portal.billing.rates import RateBook, period_margin, shift_kind
from portal.core.roles import Role
from tests.billing.factories import RateCardFactory
from tests.jobs.factories import ClientFactory, FacilityFactory, ProvinceFactory
from tests.shifts.factories import ShiftRequestFactory, TimecardFactory
from tests.talent.factories import TalentProfileFactory

pytestmark = pytest.mark.django_db

URL = "/billing/rates/"
LA = "America/Los_Angeles"


def utc(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("starts_at", "state", "kind"),
    [
        (utc(2026, 6, 2, 14), "CA", "day"),  # Tuesday 07:00 Pacific
        (utc(2026, 6, 3, 2), "CA", "night"),  # Tuesday 19:00 Pacific
        (utc(2026, 6, 6, 14), "CA", "weekend"),  # Saturday
        (utc(2026, 11, 27, 16), "CA", "holiday"),  # the day after Thanksgiving is a California holiday
        (utc(2026, 11, 27, 16), "NY", "day"),  # ... but not a New York one
    ],
)
def test_the_kind_of_a_shift_comes_from_its_local_start(starts_at, state, kind):
    assert shift_kind(starts_at, LA, state) == kind


def test_the_facilitys_card_wins_then_the_newest_in_effect_then_the_day_card():
    client = ClientFactory()
    facility = FacilityFactory(client=client)
    old = RateCardFactory(client=client, effective_from=dt.date(2026, 1, 1), effective_to=dt.date(2026, 5, 31))
    new = RateCardFactory(client=client, effective_from=dt.date(2026, 6, 1), bill_rate="64.00")
    own = RateCardFactory(client=None, facility=facility, profession="LPN", shift_kind="night")
    book = RateBook(RateCard.objects.all())
    assert book.find(facility.pk, client.pk, "RN", "day", dt.date(2026, 3, 1)) == old
    assert book.find(facility.pk, client.pk, "RN", "day", dt.date(2026, 6, 1)) == new
    assert book.find(facility.pk, client.pk, "RN", "holiday", dt.date(2026, 6, 1)) == new  # no holiday card
    assert book.find(facility.pk, client.pk, "LPN", "night", dt.date(2026, 6, 1)) == own
    assert book.find(facility.pk, client.pk, "LPN", "day", dt.date(2026, 6, 1)) is None
    assert book.find(facility.pk, client.pk, "RN", "day", dt.date(2025, 12, 31)) is None


def test_a_card_needs_a_place_and_an_order_of_dates():
    with pytest.raises(ValidationError, match="client or a facility"):
        RateCardFactory.build(client=None).clean()
    with transaction.atomic(), pytest.raises(IntegrityError):
        RateCardFactory(effective_from=dt.date(2026, 6, 1), effective_to=dt.date(2026, 5, 1))


def _california_shift(nurse, facility, day: int, hours: int, profession="RN"):
    starts = utc(2026, 6, day, 13)  # 06:00 Pacific
    shift = ShiftRequestFactory(
        facility=facility, starts_at=starts, ends_at=starts + dt.timedelta(hours=hours), professional_type=profession
    )
    return TimecardFactory(shift=shift, professional=nurse, break_minutes=0)


def test_margin_prices_overtime_and_double_time_at_the_cards_multipliers():
    facility = FacilityFactory(province=ProvinceFactory(abbreviation="CA"), time_zone=LA)
    RateCardFactory(client=facility.client, bill_rate="60.00", pay_rate="40.00")
    card = _california_shift(TalentProfileFactory(), facility, 2, 14)  # Tuesday: 8 regular, 4 overtime, 2 double
    _california_shift(TalentProfileFactory(), facility, 2, 8, profession="CNA")  # no CNA card
    result = period_margin(dt.date(2026, 6, 1), dt.date(2026, 6, 7))
    [row] = [r for r in result.shifts if r.timecard == card]
    assert row.hours == {"regular": 8, "overtime": 4, "double": 2}
    assert (row.bill, row.pay, row.margin) == (Decimal("1080.00"), Decimal("720.00"), Decimal("360.00"))
    assert result.money == {"USD": {"bill": Decimal("1080.00"), "pay": Decimal("720.00"), "margin": Decimal("360.00")}}
    assert result.unpriced == 1
    assert result.hours == {"regular": 16, "overtime": 4, "double": 2}


@pytest.mark.parametrize(("name", "url"), [("rates", URL), ("reconciliation", "/billing/reconciliation/")])
def test_only_coordinators_and_admins_see_rates_and_reconciliation(client, make_user, portal_admin, name, url):
    assert reverse(f"billing:{name}") == url
    assert "/login" in client.get(url)["Location"]
    client.force_login(make_user("machine", Role.API_CLIENT))
    assert client.get(url).status_code == 403
    client.force_login(portal_admin)
    assert client.get(url).status_code == 200


def test_the_page_lists_cards_and_margins_for_the_period_in_the_url(coordinator_client):
    facility = FacilityFactory(province=ProvinceFactory(abbreviation="CA"), time_zone=LA, name="Bayview")
    rate_card = RateCardFactory(client=facility.client)
    card = _california_shift(TalentProfileFactory(), facility, 2, 14)
    html = coordinator_client.get(URL, {"first": "2026-06-01", "last": "2026-06-07"}).content.decode()
    assert f'id="rate-card-{rate_card.pk}"' in html and f'id="timecard-{card.pk}"' in html
    assert "1,080.00 USD" in html and "360.00 USD" in html and "Bayview (CA)" in html
    refused = coordinator_client.get(URL, {"first": "2026-06-07", "last": "2026-01-01"})
    assert "Choose a period of 1 to 62 days" in refused.content.decode()


def test_an_empty_page_says_what_to_do(coordinator_client):
    html = coordinator_client.get(URL).content.decode()
    assert "No rate cards yet" in html and "No worked shifts in this period" in html


@pytest.mark.parametrize("count", [3, 30])
def test_the_page_costs_the_same_queries_for_3_or_30_shifts(coordinator_client, django_assert_max_num_queries, count):
    facility = FacilityFactory(province=ProvinceFactory(abbreviation="CA"), time_zone=LA)
    for n in range(count):
        RateCardFactory(client=facility.client, profession="RN", effective_from=dt.date(2026, 1, 1) + dt.timedelta(n))
        _california_shift(TalentProfileFactory(), facility, 1 + n % 7, 9)
    query = {"first": "2026-06-01", "last": "2026-06-07"}
    coordinator_client.get(URL, query)
    # Page chrome (session, user, nav), the engine's timecards and time logs, the period's cards, the rate cards,
    # the summary's client names.
    with django_assert_max_num_queries(11):
        response = coordinator_client.get(URL, query)
    assert len(response.context["shifts"]) == count
