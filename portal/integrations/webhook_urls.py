"""Webhook receivers: `/webhooks/<vendor>/<token>/`."""

from django.urls import path

from portal.integrations import webhook_views

app_name = "webhooks"
urlpatterns = [
    path("<slug:vendor>/<str:token>/", webhook_views.receive, name="receive"),
]
