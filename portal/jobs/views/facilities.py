"""The facility pages (Coordinator role, issue 24): the list with search, a facility (address, province, IANA time
zone, what depends on it), create and edit; a portal-only facility is archived, one a vendor holds is deleted there
by an Admin after a confirmation that names what depends on it (requisitions, engagements, shifts).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.views import View
from django.views.generic import CreateView, DetailView, UpdateView

from portal.core.roles import Role, RoleRequiredMixin, has_role
from portal.core.timezones import zone_named
from portal.jobs import services
from portal.jobs.forms.facilities import FacilityCreateForm, FacilityDeleteForm, FacilityEditForm
from portal.jobs.models import Facility
from portal.jobs.views.deliveries import deliveries_context, deliveries_response, retry_response
from portal.jobs.views.lists import SiteListView

__all__ = [
    "FacilityArchiveView",
    "FacilityCreateView",
    "FacilityDeleteView",
    "FacilityDeliveriesView",
    "FacilityDetailView",
    "FacilityEditView",
    "FacilityListView",
    "FacilityRetryView",
]


# What the shared list and form templates (`jobs/site_list.html`, `jobs/site_form.html`) say of facilities.
SITE = {
    "kind": "facility",
    "title": "Facilities",
    "list_id": "facilities",
    "partial": "jobs/htmx/facilities.html",
    "list_url": "jobs:facilities",
    "detail_url": "jobs:facility",
    "new_url": "jobs:facility-new",
    "new_label": "New facility",
    "other_url": "jobs:clients",
    "other_label": "Clients",
}


def _facilities():
    return Facility.objects.select_related("province", "client", "connection")


class FacilityListView(SiteListView):
    htmx_template_name = "jobs/htmx/facilities.html"
    site = SITE

    def matching(self, words: list[str]) -> QuerySet[Facility]:
        facilities = _facilities().filter(archived_at=None)
        for word in words:
            named = Q(name__icontains=word) | Q(client__name__icontains=word)
            facilities = facilities.filter(named | Q(city__icontains=word) | Q(postal_code=word))
        return facilities.order_by("name", "id")


def facility_context(facility: Facility) -> dict[str, Any]:
    return deliveries_context(
        reverse("jobs:facility-deliveries", args=[facility.pk]), "jobs:facility-retry", facility.pk, facility
    )


class FacilityDetailView(RoleRequiredMixin, DetailView):
    template_name = "jobs/facility.html"
    queryset = _facilities()

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        facility = self.object
        zone = zone_named(facility.time_zone)
        return super().get_context_data(
            dependents=services.dependents(facility),
            local_now=timezone.localtime(timezone.now(), zone) if zone else None,
            can_delete_at_vendor=has_role(self.request.user, Role.ADMIN),
            **facility_context(facility),
            **kwargs,
        )


class FacilityDeliveriesView(RoleRequiredMixin, View):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return deliveries_response(request, facility_context(get_object_or_404(Facility, pk=pk)))


class FacilityRetryView(RoleRequiredMixin, View):
    def post(self, request: HttpRequest, pk: int, row_pk: int) -> HttpResponse:
        facility = get_object_or_404(Facility, pk=pk)
        return retry_response(request, reverse("jobs:facility", args=[pk]), row_pk, facility)


def _saved(request: HttpRequest, facility: Facility) -> HttpResponse:
    pushed = services.save_facility(facility, by=request.user)
    where = f"; queued for {pushed.connection.name}" if pushed is not None else ""
    messages.success(request, f"Facility saved{where}.")
    return HttpResponseRedirect(reverse("jobs:facility", args=[facility.pk]))


class FacilityCreateView(RoleRequiredMixin, CreateView):
    form_class = FacilityCreateForm
    template_name = "jobs/site_form.html"
    extra_context = {"site": SITE}

    def form_valid(self, form: FacilityCreateForm) -> HttpResponse:
        self.object = form.unsaved()
        return _saved(self.request, self.object)


class FacilityEditView(RoleRequiredMixin, UpdateView):
    form_class = FacilityEditForm
    template_name = "jobs/site_form.html"
    extra_context = {"site": SITE}
    queryset = _facilities().filter(archived_at=None)

    def form_valid(self, form: FacilityEditForm) -> HttpResponse:
        if not form.has_changed():
            messages.info(self.request, "Nothing changed.")
            return HttpResponseRedirect(reverse("jobs:facility", args=[form.instance.pk]))
        return _saved(self.request, form.instance)


class FacilityArchiveView(RoleRequiredMixin, View):
    """A facility kept in the portal only is archived; one a vendor holds is deleted there instead (below)."""

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        facility = get_object_or_404(Facility, pk=pk, archived_at=None, connection=None)
        services.archive(facility, by=request.user)
        messages.success(request, f"{facility.name} archived: it no longer appears in lists here.")
        return HttpResponseRedirect(reverse("jobs:facilities"))


class FacilityDeleteView(RoleRequiredMixin, View):
    """Delete at the vendor (Admin): a confirmation naming what depends on the facility, then the delete, refused
    on the page when the vendor would refuse it (Kamana: a "linked" facility)."""

    roles = (Role.ADMIN,)
    template_name = "jobs/facility_delete.html"

    def _facility(self, pk: int) -> Facility:
        return get_object_or_404(_facilities().exclude(connection=None), pk=pk, archived_at=None)

    def _page(self, request: HttpRequest, facility: Facility, form: FacilityDeleteForm) -> HttpResponse:
        context = {"facility": facility, "form": form, "dependents": services.dependents(facility)}
        return TemplateResponse(request, self.template_name, context)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        facility = self._facility(pk)
        return self._page(request, facility, FacilityDeleteForm(instance=facility))

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        facility = self._facility(pk)
        form = FacilityDeleteForm(request.POST, instance=facility)
        if not form.is_valid():
            return self._page(request, facility, form)
        pushed = services.delete_facility_at_vendor(facility, by=request.user)
        where = f"; deleting it at {pushed.connection.name}" if pushed is not None else ""
        messages.success(request, f"{facility.name} archived here{where}.")
        return HttpResponseRedirect(reverse("jobs:facility", args=[facility.pk]))
