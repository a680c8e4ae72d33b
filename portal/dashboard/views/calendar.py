"""The calendar page (`/calendar/`): day, week or month of every vendor's work in the coordinator's zone, with
HTMX navigation (the partial swaps itself and the URL follows). Twelve queries whatever the data's size."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.http import urlencode
from django.views.generic import TemplateView

from portal.core.htmx import HtmxTemplateMixin
from portal.core.roles import RoleRequiredMixin
from portal.dashboard.calendar import DAY_CAP, calendar_days
from portal.dashboard.calendar_forms import VIEWS, CalendarFilterForm, view_range
from portal.dashboard.preferences import coordinator_zone
from portal.dashboard.views.preferences import feed_url
from portal.talent.models import TalentProfile

__all__ = ["CalendarView"]

# Entries shown a day before "+K more": one day alone has room for many (past them, "+K more" leads to that day's
# shift board), a month's small cells for three (as calendar apps do), a week's for DAY_CAP.
CAPS = {"day": 40, "month": 3}
FEED_FILTERS = ("person", "facility", "vendor")


class CalendarView(RoleRequiredMixin, HtmxTemplateMixin, TemplateView):
    template_name = "dashboard/calendar.html"
    htmx_template_name = "dashboard/htmx/calendar.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        zone = coordinator_zone(self.request.user)
        today = dt.datetime.now(zone).date()
        form = CalendarFilterForm(self.request.GET or None)
        view = form.value("view", "week")
        anchor = form.value("date", today)
        form.fields["date"].initial = anchor
        first, last, previous, following = view_range(view, anchor)
        filters = form.filters()
        days = calendar_days(first, last, zone, filters, cap=CAPS.get(view, DAY_CAP))
        for day in days:
            day.in_range = view != "month" or day.day.month == anchor.month
        kept = {name: value for name, value in self.request.GET.items() if name not in ("date", "view") and value}
        person = TalentProfile.objects.filter(pk=filters.person).first() if filters.person else None
        return super().get_context_data(
            form=form,
            view=view,
            views=[
                (value, label, urlencode({**kept, "view": value, "date": anchor.isoformat()})) for value, label in VIEWS
            ],
            days=days,
            weeks=[days[n : n + 7] for n in range(0, len(days), 7)] if view != "day" else [days],
            zone=zone,
            today=today,
            anchor=anchor,
            first=first,
            last=last,
            person=person,
            previous_query=urlencode({**kept, "view": view, "date": previous.isoformat()}),
            next_query=urlencode({**kept, "view": view, "date": following.isoformat()}),
            today_query=urlencode({**kept, "view": view, "date": today.isoformat()}),
            kept_query=urlencode(kept),
            view_feed_url=feed_url(self.request, urlencode({k: v for k, v in kept.items() if k in FEED_FILTERS})),
            clock_changes=_clock_changes(first, last, zone),
            **kwargs,
        )


def _clock_changes(first: dt.date, last: dt.date, zone: dt.tzinfo) -> list[tuple[dt.date, int]]:
    """The days whose length is not 24 hours on this clock (daylight saving starts or ends), and their hours."""
    changes = []
    day = first
    while day <= last:
        start = dt.datetime.combine(day, dt.time(), tzinfo=zone)
        end = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(), tzinfo=zone)
        if start.utcoffset() != end.utcoffset():
            changes.append((day, round((end.astimezone(dt.UTC) - start.astimezone(dt.UTC)).total_seconds() / 3600)))
        day += dt.timedelta(days=1)
    return changes
