"""Routes of Today's pages: the calendar and its feed, preferences, the digest's unsubscribe link. Today itself
is the home page (portal/urls.py)."""

from django.urls import path

from portal.dashboard.views import calendar, feeds, preferences

app_name = "dashboard"

urlpatterns = [
    path("calendar/", calendar.CalendarView.as_view(), name="calendar"),
    path("calendar/feed/<str:token>.ics", feeds.calendar_feed, name="calendar-feed"),
    path("today/preferences/", preferences.PreferencesView.as_view(), name="preferences"),
    path("today/preferences/revoke-feeds/", preferences.RevokeFeedsView.as_view(), name="revoke-feeds"),
    path("today/unsubscribe/<str:token>/", preferences.unsubscribe, name="unsubscribe"),
]
