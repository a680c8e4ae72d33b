"""Pages of the billing app (HTMX, Coordinator role)."""

from django.urls import path

from portal.billing import views

app_name = "billing"
urlpatterns = [
    path("approvals/", views.ApprovalsView.as_view(), name="approvals"),
    path("contracts/<int:pk>/", views.ContractBillingView.as_view(), name="contract"),
    path("contracts/<int:pk>/deliveries/<int:row_pk>/retry/", views.RetryDeliveryView.as_view(), name="retry-delivery"),
]

# Alaunus invoices and payroll periods (issue 9); their view lives in its own module.
from portal.billing import ledger_views  # noqa: E402

urlpatterns += [path("ledger/", ledger_views.LedgerView.as_view(), name="ledger")]

# Rate cards and margins (issue 20).
from portal.billing import rate_views  # noqa: E402

urlpatterns += [path("rates/", rate_views.RatesView.as_view(), name="rates")]

# The three-way match's exceptions queue (issue 20).
from portal.billing import reconciliation_views  # noqa: E402

urlpatterns += [
    path("reconciliation/", reconciliation_views.ReconciliationView.as_view(), name="reconciliation"),
    path("reconciliation/resolve/", reconciliation_views.ResolveView.as_view(), name="reconciliation-resolve"),
    path("reconciliation/reopen/", reconciliation_views.ReopenView.as_view(), name="reconciliation-reopen"),
    path("reconciliation/dispute/", reconciliation_views.DisputeView.as_view(), name="reconciliation-dispute"),
    path("reconciliation/close/", reconciliation_views.CloseDisputeView.as_view(), name="reconciliation-close"),
]

# Exports of hours, billing and exceptions as CSV or XLSX (issue 20).
from portal.billing import export_views  # noqa: E402

urlpatterns += [
    path("exports/", export_views.ExportsView.as_view(), name="exports"),
    path("exports/<slug:name>.<slug:fmt>", export_views.ExportDownloadView.as_view(), name="export-download"),
]
