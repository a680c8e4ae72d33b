"""Routes of the billing API."""

from rest_framework.routers import SimpleRouter

from portal.billing.api import views

router = SimpleRouter()
router.register("transactions", views.TransactionViewSet)
router.register("bills", views.BillViewSet)
router.register("invoices", views.InvoiceViewSet)
router.register("payrolls", views.PayrollViewSet)
urlpatterns = router.urls

# Exports of hours, billing and exceptions (issue 20): computed rows, so views of their own, not a router's.
from django.urls import path  # noqa: E402

from portal.billing.api import exports  # noqa: E402

urlpatterns += [
    path("exports/payroll-hours/", exports.PayrollHoursExportView.as_view(), name="export-payroll-hours"),
    path("exports/billing/", exports.BillingExportView.as_view(), name="export-billing"),
    path("exports/exceptions/", exports.ExceptionExportView.as_view(), name="export-exceptions"),
]
