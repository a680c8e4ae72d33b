"""Top-level routes. Each domain app and the integrations app mount their own pages and API here."""

from django.contrib import admin
from django.urls import include, path

from portal.core import views as core_views
from portal.dashboard.views.today import TodayView
from portal.integrations.metrics import serve_metrics

urlpatterns = [
    # First: Django tries patterns in order, and the webhook receiver is the busiest route (issue 16 item 8).
    path("webhooks/", include("portal.integrations.webhook_urls")),
    path("", TodayView.as_view(), name="home"),
    path("", include("portal.dashboard.urls")),
    path("healthz", core_views.healthz, name="healthz"),
    path("readyz", core_views.readyz, name="readyz"),
    path("metrics", serve_metrics, name="metrics"),
    path("accounts/", include("portal.core.account_urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", include("portal.api_urls")),
    path("shifts/", include("portal.shifts.urls")),
    path("jobs/", include("portal.jobs.urls")),
    # Before talent: the gate also serves /talent/duplicates/ (it sits above talent in the layers).
    path("", include("portal.gate.urls")),
    path("talent/", include("portal.talent.urls")),
    path("engagements/", include("portal.contracts.urls")),
    path("billing/", include("portal.billing.urls")),
    path("integrations/", include("portal.integrations.urls")),
]

handler403 = "portal.core.views.permission_denied"
