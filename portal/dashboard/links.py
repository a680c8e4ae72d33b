"""Where each figure of Today leads: the list page, filtered in its URL to the records the figure counts."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils.http import urlencode

__all__ = [
    "approvals",
    "credentials",
    "engagements",
    "findings",
    "idle_requisitions",
    "open_shifts",
    "shifts_between",
    "unassigned_visits",
    "urgent_shifts",
]


def _url(name: str, **query: object) -> str:
    params = {key: value for key, value in query.items() if value is not None}
    return f"{reverse(name)}?{urlencode(params)}" if params else reverse(name)


def open_shifts(facility: int | None = None) -> str:
    # An empty date_from shows every day: the 48-hour window is the filter, not the board's default start (today).
    return _url("shifts:board", attention="on", date_from="", facility=facility)


def urgent_shifts(facility: int | None = None) -> str:
    return _url("shifts:board", urgent="on", date_from="", facility=facility)


def shifts_between(first: dt.date, last: dt.date, status: str | None = None, outcome: str | None = None) -> str:
    return _url("shifts:board", date_from=first.isoformat(), date_to=last.isoformat(), status=status, outcome=outcome)


def unassigned_visits(day: dt.date) -> str:
    return _url("shifts:visits", day=day.isoformat(), unassigned="on")


def approvals(currency: str, until: dt.date | None = None) -> str:
    return _url("billing:approvals", currency=currency, occurred_to=until.isoformat() if until else None)


def engagements(starts: tuple[dt.date, dt.date] | None = None, ends: tuple[dt.date, dt.date] | None = None) -> str:
    window = {}
    if starts:
        window.update(starts_from=starts[0].isoformat(), starts_to=starts[1].isoformat())
    if ends:
        window.update(ends_from=ends[0].isoformat(), ends_to=ends[1].isoformat())
    return _url("contracts:engagements", **window)


def idle_requisitions() -> str:
    return _url("jobs:requisitions", idle="on")


def credentials() -> str:
    return _url("contracts:engagements", credentials="on")


def findings(severity: str) -> str:
    return _url("gate:findings", state="open", severity=severity)
