"""The one formatting layer of the pages (issue 17): money, hours, durations, dates and times.

Every template that shows one of these loads `portal_format`, so a figure reads the same on every page: money with
its currency and that currency's decimals, hours without float noise, durations without microseconds, and times
labelled with the zone they are shown in. The functions are plain Python too, for messages and commands.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django import template
from django.utils import timezone
from django.utils.dateformat import format as date_format

from portal.core.timezones import zone_named

__all__ = [
    "clock",
    "currency_decimals",
    "duration",
    "hours",
    "in_zone",
    "money",
    "money_amount",
    "since",
    "when",
    "when_day",
    "when_time",
    "zone_label",
]

register = template.Library()
EMPTY = "—"

# ISO 4217 minor units where they are not 2 (the currencies a US staffing portal may meet, and the 0/3 cases).
MINOR_UNITS: dict[str, int] = {"JPY": 0, "KRW": 0, "VND": 0, "CLP": 0, "ISK": 0, "BHD": 3, "KWD": 3, "OMR": 3}


def currency_decimals(currency: str | None) -> int:
    return MINOR_UNITS.get((currency or "").upper(), 2)


def _decimal(value: object) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() else None


def money_amount(value: object, currency: str | None) -> str:
    """The amount alone, grouped, with exactly the currency's decimals: "3,485.51"; "" when not a number."""
    number = _decimal(value)
    if number is None:
        return ""
    places = currency_decimals(currency)
    rounded = number.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    return f"{rounded:,.{places}f}"


@register.filter
def money(value: object, currency: str | None = "") -> str:
    """`{{ payroll.total_pay|money:payroll.currency }}` -> "3,485.51 USD"; "—" when there is no amount."""
    amount = money_amount(value, currency)
    if not amount:
        return EMPTY
    return f"{amount} {currency.upper()}" if currency else amount


@register.filter
def hours(value: object) -> str:
    """Hours as people write them: 117.230000000000 -> "117.23 h", 36.00 -> "36 h" (at most two decimals)."""
    number = _decimal(value)
    if number is None:
        return EMPTY
    text = f"{number.quantize(Decimal('0.01'), rounding=ROUND_HALF_UP):,.2f}".rstrip("0").rstrip(".")
    return f"{text} h"


@register.filter
def duration(value: dt.timedelta | float | int | None, unit: str = "s") -> str:
    """A length of time to the second at most: "8 h 30 min", "4 min 5 s", "12 s"; never microseconds.
    A number is read in `unit` ("s" or "min"): `{{ event.duration_minutes|duration:"min" }}`."""
    if value is None or value == "":
        return EMPTY
    if isinstance(value, dt.timedelta):
        seconds = round(value.total_seconds())
    else:
        seconds = round(float(value) * (60 if unit == "min" else 1))
    sign, seconds = ("-" if seconds < 0 else ""), abs(seconds)
    h, rest = divmod(seconds, 3600)
    m, s = divmod(rest, 60)
    if h:
        parts = [f"{h} h", f"{m} min" if m else ""]
    elif m:
        parts = [f"{m} min", f"{s} s" if s else ""]
    else:
        parts = [f"{s} s"]
    return sign + " ".join(part for part in parts if part)


@register.filter
def since(value: dt.datetime | None) -> str:
    """How long ago an instant was, as a duration: "2 h 5 min"."""
    return duration(timezone.now() - value) if isinstance(value, dt.datetime) else EMPTY


def _zone(zone: object) -> dt.tzinfo:
    """The named IANA zone (a facility's, a contract's), or the zone the page is shown in when none is given."""
    if isinstance(zone, dt.tzinfo):
        return zone
    return zone_named(str(zone or "")) or timezone.get_current_timezone()


@register.filter
def in_zone(value: dt.datetime | None, zone: object = None) -> dt.datetime | None:
    """The instant on the wall clock of `zone` (aware, so a `date:"T"` still names the zone)."""
    if not isinstance(value, dt.datetime):
        return value
    if timezone.is_naive(value):
        value = timezone.make_aware(value, dt.UTC)
    return value.astimezone(_zone(zone))


def _format(value: object, zone: object, pattern: str) -> str:
    if isinstance(value, dt.datetime):
        return date_format(in_zone(value, zone), pattern)
    if isinstance(value, dt.date):
        return date_format(value, pattern.removesuffix(" H:i T").removesuffix(" T"))
    return EMPTY


@register.filter
def when(value: dt.datetime | None, zone: object = None) -> str:
    """`{{ run.started_at|when }}` -> "Sun 6 Dec 2026 09:14 EST": the label is the zone the value is shown in."""
    return _format(value, zone, "D j M Y H:i T")


@register.filter
def when_time(value: dt.datetime | None, zone: object = None) -> str:
    """The clock time alone, labelled: "07:00 EST"."""
    return _format(value, zone, "H:i T") if isinstance(value, dt.datetime) else EMPTY


@register.filter
def clock(value: dt.datetime | None, zone: object = None) -> str:
    """The bare clock time on the wall clock of `zone`, "07:00", for a range whose end carries the label."""
    return _format(value, zone, "H:i") if isinstance(value, dt.datetime) else EMPTY


@register.filter
def when_day(value: dt.date | dt.datetime | None, zone: object = None) -> str:
    """A calendar day, "Mon 2 Mar 2026"; an instant is first put on the wall clock of `zone`."""
    return _format(value, zone, "D j M Y")


@register.simple_tag
def zone_label(zone: object = None, at: dt.datetime | None = None) -> str:
    """A column heading's zone: its abbreviation now (or at `at`) and its name, e.g. "EST · America/New_York"."""
    tz = _zone(zone)
    moment = (at or timezone.now()).astimezone(tz)
    name = str(getattr(tz, "key", tz))
    abbreviation = moment.tzname() or name
    return abbreviation if abbreviation == name else f"{abbreviation} · {name}"
