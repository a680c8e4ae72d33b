"""The formatting layer (issue 17 item 5): money with its currency's decimals, hours, durations, zoned times."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.template import Context, Template
from hypothesis import given
from hypothesis import strategies as st

from portal.core.templatetags.portal_format import (
    currency_decimals,
    duration,
    hours,
    money,
    when,
    when_day,
    when_time,
    zone_label,
)

CURRENCIES = ["USD", "EUR", "CAD", "JPY", "KWD"]


def test_money_shows_the_currency_and_its_decimals():
    assert money(Decimal("3485.51000000000"), "USD") == "3,485.51 USD"
    assert money(Decimal("-5"), "USD") == "-5.00 USD"
    assert money(Decimal("1234.5"), "JPY") == "1,235 JPY"
    assert money(Decimal("1.2345"), "kwd") == "1.235 KWD"
    assert money(None, "USD") == "\u2014" and money("not a number", "USD") == "\u2014"


@given(
    currency=st.sampled_from(CURRENCIES),
    amount=st.decimals(min_value=-(10**9), max_value=10**9, allow_nan=False, allow_infinity=False, places=3),
)
def test_money_always_has_the_currency_decimals_and_round_trips(currency, amount):
    places = currency_decimals(currency)
    shown = money(amount, currency)
    number, code = shown.rsplit(" ", 1)
    assert code == currency
    fraction = number.partition(".")[2]
    assert len(fraction) == places
    expected = amount.quantize(Decimal(1).scaleb(-places), rounding="ROUND_HALF_UP")
    assert Decimal(number.replace(",", "")) == expected
    if amount == expected:
        assert Decimal(number.replace(",", "")) == amount, "an amount already in the currency's unit is exact"


def test_hours_drop_float_noise():
    assert hours(Decimal("117.230000000000")) == "117.23 h"
    assert hours(Decimal("36.00")) == "36 h"
    assert hours(7.5) == "7.5 h"
    assert hours(None) == "\u2014"


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (dt.timedelta(hours=8, minutes=30, microseconds=123456), "8 h 30 min"),
        (dt.timedelta(hours=2), "2 h"),
        (dt.timedelta(minutes=4, seconds=5, microseconds=999), "4 min 5 s"),
        (dt.timedelta(seconds=12.4), "12 s"),
        (dt.timedelta(0), "0 s"),
        (None, "\u2014"),
    ],
)
def test_durations_never_show_microseconds(value, shown):
    assert duration(value) == shown


@given(st.timedeltas(min_value=dt.timedelta(0), max_value=dt.timedelta(days=30)))
def test_a_duration_reads_back_within_its_least_unit(value):
    units = {"h": 3600, "min": 60, "s": 1}
    words = duration(value).split()
    total = sum(int(number) * units[unit] for number, unit in zip(words[::2], words[1::2], strict=True))
    # Under an hour it is exact to the second; from an hour up the seconds are dropped, never more.
    allowed = 60 if value >= dt.timedelta(hours=1) else 0.5
    assert abs(total - value.total_seconds()) < allowed


def test_times_are_labelled_with_the_zone_they_are_shown_in(settings):
    instant = dt.datetime(2026, 3, 2, 12, 0, tzinfo=dt.UTC)
    assert when(instant, "America/Los_Angeles") == "Mon 2 Mar 2026 04:00 PST"
    assert when_time(instant, "America/New_York") == "07:00 EST"
    assert when(instant) == "Mon 2 Mar 2026 07:00 EST", "no zone given: the portal's zone (America/New_York)"
    assert when_day(instant, "Pacific/Kiritimati") == "Tue 3 Mar 2026"
    assert when_day(dt.date(2026, 3, 2)) == "Mon 2 Mar 2026"
    assert when(None) == "\u2014"
    assert zone_label("America/Chicago", instant) == "CST \u00b7 America/Chicago"
    assert zone_label("UTC", instant) == "UTC"
    assert when(instant.astimezone(ZoneInfo("Asia/Tokyo")), "UTC") == "Mon 2 Mar 2026 12:00 UTC"


def test_templates_load_the_filters_from_one_library():
    rendered = Template(
        "{% load portal_format %}{{ total|money:'USD' }} · {{ worked|hours }} · {{ took|duration }}"
    ).render(
        Context({"total": Decimal("3485.51000000000"), "worked": Decimal("117.23"), "took": dt.timedelta(minutes=90)})
    )
    assert rendered == "3,485.51 USD · 117.23 h · 1 h 30 min"
