"""The job requisition pages (Coordinator role, issue 5): the list, a requisition, create and edit, and the detail
page's inline status change.

A page saves the requisition (`services.save_requisition`); the vendor package turns the save into an outbox row in
the same transaction, and each page shows that row's state: queued, sent, or not sent with the vendor's reason and
a retry. The list and the sync panel are served whole or as their HTMX partial by the same view.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.functional import cached_property
from django.views import View
from django.views.generic import CreateView, DetailView, TemplateView, UpdateView

from portal.core.htmx import HtmxTemplateMixin, stop_polling
from portal.core.roles import RoleRequiredMixin
from portal.integrations import outbox
from portal.integrations.delivery import back_to
from portal.integrations.models import OutboundRequest
from portal.jobs import services
from portal.jobs.filters import RequisitionFilterForm, read_cursor
from portal.jobs.forms.requisitions import (
    RequisitionCreateForm,
    RequisitionEditForm,
    RequisitionForm,
    RequisitionStatusForm,
)
from portal.jobs.models import JobRequisition

__all__ = [
    "PAGE_SIZE",
    "RequisitionCreateView",
    "RequisitionDetailView",
    "RequisitionEditView",
    "RequisitionListView",
    "RequisitionStatusView",
    "RequisitionSyncView",
    "RetryPushView",
]

PAGE_SIZE = 50
IN_FLIGHT = {OutboundRequest.State.PENDING, OutboundRequest.State.SENDING}
ENGAGEMENTS_SHOWN = 100


def _requisitions():
    return JobRequisition.objects.select_related("facility", "profession", "specialty", "connection")


class RequisitionListView(RoleRequiredMixin, HtmxTemplateMixin, TemplateView):
    """Newest first, 50 a page by keyset (`after` = the last id shown; see `filters`), without counting."""

    template_name = "jobs/requisitions.html"
    htmx_template_name = "jobs/htmx/requisitions.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        filters = RequisitionFilterForm(self.request.GET)
        after = read_cursor(self.request.GET.get("after"))
        rows_query = filters.filter(_requisitions().filter(archived_at=None)).order_by("-id")
        if after:
            rows_query = rows_query.filter(id__lt=after)
        rows = list(rows_query[: PAGE_SIZE + 1])
        page = rows[:PAGE_SIZE]
        pushes = outbox.delivery_states(page)  # one query for the page
        for requisition in page:
            requisition.push = pushes.get(requisition.pk)
        query = self.request.GET.copy()
        query.pop("after", None)
        filter_query = query.urlencode()
        if len(rows) > PAGE_SIZE:
            query["after"] = str(page[-1].pk)
        return super().get_context_data(
            filters=filters,
            requisitions=page,
            filtered=bool(filters.values()),
            is_first_page=after is None,
            first_page_query=filter_query,
            next_page_query=query.urlencode() if len(rows) > PAGE_SIZE else "",
            **kwargs,
        )


def sync_context(requisition: JobRequisition) -> dict[str, Any]:
    """Every push of the requisition, newest first, and whether one is still under way (the panel polls then)."""
    pushes = outbox.requests_about(requisition)
    return {
        "requisition": requisition,
        "pushes": pushes,
        "latest_push": pushes[0] if pushes else None,
        "in_flight": any(push.state in IN_FLIGHT for push in pushes),
    }


class RequisitionDetailView(RoleRequiredMixin, DetailView):
    template_name = "jobs/requisition.html"
    context_object_name = "requisition"

    def get_queryset(self):
        return _requisitions().select_related("facility__province")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        requisition = self.object
        engagements = requisition.engagements.select_related("talent").order_by("-starts_on", "-id")
        return super().get_context_data(
            engagements=engagements[:ENGAGEMENTS_SHOWN],
            engagement_count=engagements.count(),
            status_form=RequisitionStatusForm(instance=requisition),
            **sync_context(requisition),
            **kwargs,
        )


class RequisitionSyncView(RoleRequiredMixin, View):
    """The sync panel, polled while a push is under way; 286 stops the polling once every push has settled."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        context = sync_context(get_object_or_404(JobRequisition, pk=pk))
        response = TemplateResponse(request, "jobs/htmx/sync.html", context)
        if context["in_flight"]:
            return response
        response.render()
        return stop_polling(response)


class RetryPushView(RoleRequiredMixin, View):
    """The retry button beside a failed push of this requisition (only its own pushes)."""

    def post(self, request: HttpRequest, pk: int, row_pk: int) -> HttpResponse:
        requisition = get_object_or_404(JobRequisition, pk=pk)
        row = services.retry_request(requisition, row_pk)
        if row is not None:
            messages.info(request, f"Sending to {row.connection.name} again.")
        return HttpResponseRedirect(back_to(request, reverse("jobs:requisition", args=[pk])))


def save_or_show_errors(request: HttpRequest, form: RequisitionForm | RequisitionStatusForm, requisition) -> bool:
    """Save through the service and say where the change was queued. The model has the last word: a save it
    refuses (a status move outside `status_transitions`) lands on the form as an error, not in a 500."""
    try:
        pushed = services.save_requisition(requisition, by=request.user)
    except ValidationError as exc:
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
        return False
    where = f"; queued for {pushed.connection.name}" if pushed is not None else ""
    messages.success(request, f"Saved{where}.")
    return True


class RequisitionCreateView(RoleRequiredMixin, CreateView):
    form_class = RequisitionCreateForm
    template_name = "jobs/form.html"

    def form_valid(self, form: RequisitionCreateForm) -> HttpResponse:
        self.object = form.unsaved()
        if not save_or_show_errors(self.request, form, self.object):
            return self.form_invalid(form)
        return HttpResponseRedirect(reverse("jobs:requisition", args=[self.object.pk]))


class RequisitionEditView(RoleRequiredMixin, UpdateView):
    """Edit a requisition. One the vendor deleted (archived) is read-only: an update could only be refused."""

    form_class = RequisitionEditForm
    template_name = "jobs/form.html"
    context_object_name = "requisition"

    def get_queryset(self):
        return _requisitions()

    @cached_property
    def requisition(self) -> JobRequisition:
        return super().get_object()

    def get_object(self, queryset=None) -> JobRequisition:
        return self.requisition

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return self._refusal() or super().get(request, *args, **kwargs)

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return self._refusal() or super().post(request, *args, **kwargs)

    def _refusal(self) -> HttpResponse | None:
        if self.requisition.archived_at is None:
            return None
        messages.error(self.request, "This requisition was deleted in the vendor's system; it can no longer be edited.")
        return HttpResponseRedirect(reverse("jobs:requisition", args=[self.requisition.pk]))

    def form_valid(self, form: RequisitionEditForm) -> HttpResponse:
        if not form.has_changed():
            messages.info(self.request, "Nothing changed.")
        elif not save_or_show_errors(self.request, form, form.instance):
            return self.form_invalid(form)
        return HttpResponseRedirect(reverse("jobs:requisition", args=[form.instance.pk]))


class RequisitionStatusView(RoleRequiredMixin, View):
    """The inline status change: answers HTMX with the status block, the sync panel and the messages (out of
    band); without JavaScript it redirects to the detail page."""

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        requisition = get_object_or_404(_requisitions(), pk=pk)
        form = RequisitionStatusForm(request.POST, instance=requisition)
        saved = form.is_valid() and save_or_show_errors(request, form, requisition)
        if not saved:
            requisition.refresh_from_db()  # the form set the refused status on the instance
            if not request.htmx:
                messages.error(request, " ".join(message for errors in form.errors.values() for message in errors))
        if not request.htmx:
            return HttpResponseRedirect(reverse("jobs:requisition", args=[pk]))
        context = {"status_form": RequisitionStatusForm(instance=requisition) if saved else form}
        return TemplateResponse(request, "jobs/htmx/status.html", {**context, **sync_context(requisition)})
