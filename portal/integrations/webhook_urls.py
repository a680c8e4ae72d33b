"""Webhook receivers: `/webhooks/<vendor>/<token>/`."""
app_name = "webhooks"
urlpatterns: list = []
