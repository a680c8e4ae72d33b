"""Routes of the dashboard API."""

from django.urls import path

from portal.dashboard.api import views

urlpatterns = [path("dashboard/", views.TodayApiView.as_view(), name="api-dashboard")]
