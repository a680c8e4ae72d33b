"""Forms of the jobs pages: requisitions, clients with their contacts, facilities."""

from portal.jobs.forms.clients import ClientCreateForm, ClientEditForm, ContactForm
from portal.jobs.forms.facilities import FacilityCreateForm, FacilityDeleteForm, FacilityEditForm, SiteSearchForm
from portal.jobs.forms.requisitions import (
    RequisitionCreateForm,
    RequisitionEditForm,
    RequisitionForm,
    RequisitionStatusForm,
    status_choices,
)

__all__ = [
    "ClientCreateForm",
    "ClientEditForm",
    "ContactForm",
    "FacilityCreateForm",
    "FacilityDeleteForm",
    "FacilityEditForm",
    "RequisitionCreateForm",
    "RequisitionEditForm",
    "RequisitionForm",
    "RequisitionStatusForm",
    "SiteSearchForm",
    "status_choices",
]
