"""Pages of the jobs app (HTMX, Coordinator role)."""

from django.urls import path

from portal.jobs import views

app_name = "jobs"
urlpatterns = [
    path("", views.RequisitionListView.as_view(), name="requisitions"),
    path("new/", views.RequisitionCreateView.as_view(), name="requisition-new"),
    path("<int:pk>/", views.RequisitionDetailView.as_view(), name="requisition"),
    path("<int:pk>/edit/", views.RequisitionEditView.as_view(), name="requisition-edit"),
    path("<int:pk>/status/", views.RequisitionStatusView.as_view(), name="requisition-status"),
    path("<int:pk>/sync/", views.RequisitionSyncView.as_view(), name="requisition-sync"),
    path("<int:pk>/sync/<int:row_pk>/retry/", views.RetryPushView.as_view(), name="requisition-retry"),
]
