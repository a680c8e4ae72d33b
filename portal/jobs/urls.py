"""Pages of the jobs app (HTMX, Coordinator role; deleting a facility at its vendor is the Admin's)."""

from django.urls import path

from portal.jobs import views

app_name = "jobs"
CLIENT = "clients/<int:pk>/"
CONTACT = f"{CLIENT}contacts/<int:contact_pk>/"
FACILITY = "facilities/<int:pk>/"
urlpatterns = [
    path("", views.RequisitionListView.as_view(), name="requisitions"),
    path("new/", views.RequisitionCreateView.as_view(), name="requisition-new"),
    path("<int:pk>/", views.RequisitionDetailView.as_view(), name="requisition"),
    path("<int:pk>/edit/", views.RequisitionEditView.as_view(), name="requisition-edit"),
    path("<int:pk>/status/", views.RequisitionStatusView.as_view(), name="requisition-status"),
    path("<int:pk>/sync/", views.RequisitionSyncView.as_view(), name="requisition-sync"),
    path("<int:pk>/sync/<int:row_pk>/retry/", views.RetryPushView.as_view(), name="requisition-retry"),
    path("clients/", views.ClientListView.as_view(), name="clients"),
    path("clients/new/", views.ClientCreateView.as_view(), name="client-new"),
    path(CLIENT, views.ClientDetailView.as_view(), name="client"),
    path(f"{CLIENT}edit/", views.ClientEditView.as_view(), name="client-edit"),
    path(f"{CLIENT}archive/", views.ClientArchiveView.as_view(), name="client-archive"),
    path(f"{CLIENT}deliveries/", views.ClientDeliveriesView.as_view(), name="client-deliveries"),
    path(f"{CLIENT}deliveries/<int:row_pk>/retry/", views.ClientRetryView.as_view(), name="client-retry"),
    path(f"{CLIENT}contacts/", views.ContactAddView.as_view(), name="contact-add"),
    path(CONTACT, views.ContactView.as_view(), name="contact"),
    path(f"{CONTACT}remove/", views.ContactRemoveView.as_view(), name="contact-remove"),
    path("facilities/", views.FacilityListView.as_view(), name="facilities"),
    path("facilities/new/", views.FacilityCreateView.as_view(), name="facility-new"),
    path(FACILITY, views.FacilityDetailView.as_view(), name="facility"),
    path(f"{FACILITY}edit/", views.FacilityEditView.as_view(), name="facility-edit"),
    path(f"{FACILITY}archive/", views.FacilityArchiveView.as_view(), name="facility-archive"),
    path(f"{FACILITY}delete/", views.FacilityDeleteView.as_view(), name="facility-delete"),
    path(f"{FACILITY}deliveries/", views.FacilityDeliveriesView.as_view(), name="facility-deliveries"),
    path(f"{FACILITY}deliveries/<int:row_pk>/retry/", views.FacilityRetryView.as_view(), name="facility-retry"),
]
