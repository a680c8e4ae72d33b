"""The facility pages (Coordinator role, issue 24): the list with search, a facility (address, province, IANA time
zone, what depends on it), create and edit; a portal-only facility is archived, one a vendor holds is deleted there
by an Admin after a confirmation that names what depends on it (requisitions, engagements, shifts).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db.models import Q
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.views import View
from django.views.generic import CreateView, DetailView, TemplateView, UpdateView

from portal.core.htmx import HtmxTemplateMixin
from portal.core.roles import Role, RoleRequiredMixin, has_role
from portal.core.timezones import zone_named
from portal.integrations import outbox
from portal.jobs import services
from portal.jobs.forms import FacilityCreateForm, FacilityDeleteForm, FacilityEditForm, SiteSearchForm
from portal.jobs.models import Facility
from portal.jobs.views.clients import paged
from portal.jobs.views.deliveries import deliveries_context, deliveries_response, retry_response

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


def _facilities():
    return Facility.objects.select_related("province", "client", "connection")


class FacilityListView(RoleRequiredMixin, HtmxTemplateMixin, TemplateView):
    template_name = "jobs/facilities.html"
    htmx_template_name = "jobs/htmx/facilities.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        search = SiteSearchForm(self.request.GET)
        facilities = _facilities().filter(archived_at=None)
        for word in search.words():
            named = Q(name__icontains=word) | Q(client__name__icontains=word)
            facilities = facilities.filter(named | Q(city__icontains=word) | Q(postal_code=word))
        page = paged(self.request, facilities.order_by("name", "id"))
        pushes = outbox.delivery_states(page["rows"])
        for facility in page["rows"]:
            facility.push = pushes.get(facility.pk)
        return super().get_context_data(
            search=search, searched=bool(search.words()), facilities=page.pop("rows"), **page, **kwargs
        )


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
    template_name = "jobs/facility_form.html"

    def form_valid(self, form: FacilityCreateForm) -> HttpResponse:
        self.object = form.facility()
        return _saved(self.request, self.object)


class FacilityEditView(RoleRequiredMixin, UpdateView):
    form_class = FacilityEditForm
    template_name = "jobs/facility_form.html"
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
