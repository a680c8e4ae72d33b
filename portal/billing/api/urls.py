"""Routes of the billing API."""

from rest_framework.routers import SimpleRouter

from portal.billing.api import views

router = SimpleRouter()
router.register("transactions", views.TransactionViewSet)
router.register("bills", views.BillViewSet)
router.register("invoices", views.InvoiceViewSet)
router.register("payrolls", views.PayrollViewSet)
urlpatterns = router.urls
