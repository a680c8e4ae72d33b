"""The plots of Today (issue 18 item 2): the server computes every series; the page hands them to Chart.js
(static/vendor/chart.js-4.6.2, from npm) and shows the same numbers as a table where JavaScript does not run.

Colours are the Okabe-Ito palette, told apart by people with any common colour-vision deficiency; the lines also
differ by dash and the bars by order, so no series is known by its colour alone. No animation: the figures are
read, not watched (and people who asked their system for reduced motion get none).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from portal.dashboard.figures import TodayFigures

__all__ = ["OKABE_ITO", "Chart", "today_charts"]

OKABE_ITO = {"blue": "#0072B2", "orange": "#E69F00", "green": "#009E73", "vermillion": "#D55E00", "sky": "#56B4E9"}


@dataclass(frozen=True)
class Chart:
    """One plot: its Chart.js configuration and the table that says the same."""

    slug: str
    title: str
    summary: str
    config: dict[str, Any]
    columns: list[str]
    rows: list[list[Any]]

    @property
    def data_id(self) -> str:
        return f"{self.slug}-data"


def today_charts(figures: TodayFigures) -> list[Chart]:
    return [_fill_trend(figures), _open_shifts(figures)]


def _fill_trend(figures: TodayFigures) -> Chart:
    days = figures.fill_trend
    labels = [day.day.strftime("%d %b") for day in days]
    rate = figures.fill_rates[-1].rate if figures.fill_rates else None
    return Chart(
        slug="fill-trend",
        title="Fill rate, last 30 days",
        summary=f"Daily fill rate over 30 days; {rate if rate is not None else 'no'} % over the period.",
        config={
            "type": "bar",
            "data": {
                "labels": labels,
                "datasets": [
                    _line("Fill rate %", [day.rate for day in days], OKABE_ITO["blue"], axis="rate"),
                    _bar("Filled", [day.filled for day in days], OKABE_ITO["green"]),
                    _bar("Requested", [day.requested for day in days], OKABE_ITO["sky"]),
                    _bar("Cancelled", [day.cancelled for day in days], OKABE_ITO["vermillion"]),
                ],
            },
            "options": {
                "animation": False,
                "responsive": True,
                "maintainAspectRatio": False,
                "scales": {
                    "y": {"beginAtZero": True, "ticks": {"precision": 0}, "title": {"display": True, "text": "Shifts"}},
                    "rate": {
                        "position": "right",
                        "min": 0,
                        "max": 100,
                        "title": {"display": True, "text": "Fill rate %"},
                        "grid": {"drawOnChartArea": False},
                    },
                },
            },
        },
        columns=["Day", "Requested", "Filled", "Cancelled", "Fill rate %"],
        rows=[[label, d.requested, d.filled, d.cancelled, d.rate] for label, d in zip(labels, days, strict=True)],
    )


def _open_shifts(figures: TodayFigures) -> Chart:
    facilities = figures.shifts_by_facility
    labels = [row.facility for row in facilities]
    return Chart(
        slug="open-shifts",
        title="Open shifts in the next 48 hours, by facility",
        summary=f"{figures.open_shifts.value} open shifts, {figures.urgent_shifts.value} within 12 hours.",
        config={
            "type": "bar",
            "data": {
                "labels": labels,
                "datasets": [
                    _bar("Within 12 h", [row.urgent.value for row in facilities], OKABE_ITO["vermillion"], "open"),
                    _bar(
                        "12-48 h",
                        [row.open.value - row.urgent.value for row in facilities],
                        OKABE_ITO["orange"],
                        "open",
                    ),
                ],
            },
            "options": {
                "animation": False,
                "indexAxis": "y",
                "responsive": True,
                "maintainAspectRatio": False,
                "scales": {
                    "x": {"stacked": True, "beginAtZero": True, "ticks": {"precision": 0}},
                    "y": {"stacked": True},
                },
            },
        },
        columns=["Facility", "Open", "Within 12 h"],
        rows=[[row.facility, row.open.value, row.urgent.value] for row in facilities],
    )


def _bar(label: str, data: list, colour: str, stack: str | None = None) -> dict[str, Any]:
    dataset = {"type": "bar", "label": label, "data": data, "backgroundColor": colour, "borderColor": colour}
    if stack:
        dataset["stack"] = stack
    return dataset


def _line(label: str, data: list, colour: str, axis: str) -> dict[str, Any]:
    return {
        "type": "line",
        "label": label,
        "data": data,
        "borderColor": colour,
        "backgroundColor": colour,
        "borderDash": [6, 3],
        "yAxisID": axis,
        "spanGaps": True,
        "order": 0,
    }
