"""The iCalendar feed (`/calendar/feed/<token>.ics`): no session, since calendar apps cannot sign in; the signed
token in the URL names the user and is revoked from their preferences page. `?person=` or `?facility=` narrow it
to one person's or one facility's work; without either it holds everything the calendar shows."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.views.decorators.http import require_GET

from portal.core.roles import Role, has_role
from portal.dashboard.calendar import calendar_entries
from portal.dashboard.calendar_forms import CalendarFilterForm
from portal.dashboard.ical import FEED_DAYS_AFTER, FEED_DAYS_BEFORE, to_ical
from portal.dashboard.preferences import coordinator_zone
from portal.dashboard.signing import user_of_feed_token

__all__ = ["calendar_feed"]


@login_not_required
@require_GET
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    user = user_of_feed_token(token)
    # A revoked token and a user who lost their role answer as an unknown URL would: nothing to learn from it.
    if user is None or not has_role(user, Role.COORDINATOR, Role.ADMIN):
        raise Http404("No such calendar.")
    zone = coordinator_zone(user)
    today = timezone.now().astimezone(zone).date()
    filters = CalendarFilterForm(request.GET or None).filters()
    entries = calendar_entries(
        today - dt.timedelta(days=FEED_DAYS_BEFORE), today + dt.timedelta(days=FEED_DAYS_AFTER), zone, filters
    )
    body = to_ical(entries, "Staffing Portal", settings.PORTAL_BASE_URL, timezone.now())
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="staffing-portal.ics"'
    response["Cache-Control"] = "private, max-age=300"
    return response
