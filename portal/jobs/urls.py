"""Pages of the jobs app (HTMX, Coordinator role; deleting a facility at its vendor is the Admin's)."""

from django.urls import path

from portal.jobs.views import clients, facilities, requisitions

app_name = "jobs"
CLIENT = "clients/<int:pk>/"
CONTACT = f"{CLIENT}contacts/<int:contact_pk>/"
FACILITY = "facilities/<int:pk>/"
urlpatterns = [
    path("", requisitions.RequisitionListView.as_view(), name="requisitions"),
    path("new/", requisitions.RequisitionCreateView.as_view(), name="requisition-new"),
    path("<int:pk>/", requisitions.RequisitionDetailView.as_view(), name="requisition"),
    path("<int:pk>/edit/", requisitions.RequisitionEditView.as_view(), name="requisition-edit"),
    path("<int:pk>/status/", requisitions.RequisitionStatusView.as_view(), name="requisition-status"),
    path("<int:pk>/sync/", requisitions.RequisitionSyncView.as_view(), name="requisition-sync"),
    path("<int:pk>/sync/<int:row_pk>/retry/", requisitions.RetryPushView.as_view(), name="requisition-retry"),
    path("clients/", clients.ClientListView.as_view(), name="clients"),
    path("clients/new/", clients.ClientCreateView.as_view(), name="client-new"),
    path(CLIENT, clients.ClientDetailView.as_view(), name="client"),
    path(f"{CLIENT}edit/", clients.ClientEditView.as_view(), name="client-edit"),
    path(f"{CLIENT}archive/", clients.ClientArchiveView.as_view(), name="client-archive"),
    path(f"{CLIENT}deliveries/", clients.ClientDeliveriesView.as_view(), name="client-deliveries"),
    path(f"{CLIENT}deliveries/<int:row_pk>/retry/", clients.ClientRetryView.as_view(), name="client-retry"),
    path(f"{CLIENT}contacts/", clients.ContactAddView.as_view(), name="contact-add"),
    path(CONTACT, clients.ContactView.as_view(), name="contact"),
    path(f"{CONTACT}remove/", clients.ContactRemoveView.as_view(), name="contact-remove"),
    path("facilities/", facilities.FacilityListView.as_view(), name="facilities"),
    path("facilities/new/", facilities.FacilityCreateView.as_view(), name="facility-new"),
    path(FACILITY, facilities.FacilityDetailView.as_view(), name="facility"),
    path(f"{FACILITY}edit/", facilities.FacilityEditView.as_view(), name="facility-edit"),
    path(f"{FACILITY}archive/", facilities.FacilityArchiveView.as_view(), name="facility-archive"),
    path(f"{FACILITY}delete/", facilities.FacilityDeleteView.as_view(), name="facility-delete"),
    path(f"{FACILITY}deliveries/", facilities.FacilityDeliveriesView.as_view(), name="facility-deliveries"),
    path(f"{FACILITY}deliveries/<int:row_pk>/retry/", facilities.FacilityRetryView.as_view(), name="facility-retry"),
]
