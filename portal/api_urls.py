"""`/api/v1/`: the schema, its browsable docs, and each domain app's API routes."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("", include("portal.jobs.api.urls")),
    path("", include("portal.talent.api.urls")),
    path("", include("portal.shifts.api.urls")),
    path("", include("portal.contracts.api.urls")),
    path("", include("portal.billing.api.urls")),
    path("", include("portal.dashboard.api.urls")),
    path("", include("portal.gate.api.urls")),
]
