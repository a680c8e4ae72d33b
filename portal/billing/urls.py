"""Pages of the billing app (HTMX, Coordinator role)."""

from django.urls import path

from portal.billing import views

app_name = "billing"
urlpatterns = [
    path("approvals/", views.ApprovalsView.as_view(), name="approvals"),
    path("contracts/<int:pk>/", views.ContractBillingView.as_view(), name="contract"),
]
