"""Integrations pages (Admin role)."""

from django.urls import path

from portal.integrations import views

app_name = "integrations"
urlpatterns = [
    path("", views.OverviewView.as_view(), name="overview"),
    path("runs/<int:pk>/", views.SyncRunView.as_view(), name="sync-run"),
    path("runs/<int:pk>/progress/", views.SyncProgressView.as_view(), name="sync-progress"),
    path("runs/<int:pk>/cancel/", views.CancelSyncView.as_view(), name="cancel-sync"),
    path("runs/running/", views.RunningSyncsView.as_view(), name="running-syncs"),
    path("connections/<int:pk>/", views.ConnectionView.as_view(), name="connection"),
    path(
        "connections/<int:pk>/settings/<slug:name>/",
        views.ConnectionSettingsFormView.as_view(),
        name="connection-form",
    ),
    path("connections/<int:pk>/panels/<slug:name>/", views.ConnectionPanelView.as_view(), name="connection-panel"),
    path("connections/<int:pk>/rotate-webhook/", views.RotateWebhookView.as_view(), name="rotate-webhook"),
    path("connections/<int:pk>/sync/", views.StartSyncView.as_view(), name="start-sync"),
    path("webhooks/", views.WebhookInboxView.as_view(), name="webhooks"),
    path("webhooks/<int:pk>/replay/", views.ReplayWebhookView.as_view(), name="replay-webhook"),
    path("outbox/", views.OutboxView.as_view(), name="outbox"),
    path("outbox/<int:pk>/retry/", views.RetryOutboundView.as_view(), name="retry-outbound"),
]
