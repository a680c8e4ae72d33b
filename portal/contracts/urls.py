"""Pages of the contracts app (HTMX, Coordinator role): Kamana engagements at /engagements/."""

from django.urls import path

from portal.contracts import views

app_name = "contracts"
urlpatterns = [
    path("", views.EngagementListView.as_view(), name="engagements"),
    path("<int:pk>/", views.EngagementView.as_view(), name="engagement"),
    path("<int:pk>/sections/<slug:slug>/", views.EngagementSectionView.as_view(), name="engagement-section"),
    path("<int:pk>/start/", views.StartEngagementView.as_view(), name="engagement-start"),
    path("<int:pk>/sync/", views.SyncStateView.as_view(), name="engagement-sync"),
    path("<int:pk>/extensions/", views.ExtensionCreateView.as_view(), name="extension-create"),
    path("<int:pk>/extensions/<int:extension_pk>/sync/", views.SyncStateView.as_view(), name="extension-sync"),
    path("<int:pk>/deliveries/<int:row_pk>/retry/", views.RetryDeliveryView.as_view(), name="retry-delivery"),
]
