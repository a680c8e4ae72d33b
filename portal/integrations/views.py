"""The Integrations pages (Admin role): connections, syncs with live progress, the webhook inbox, the outbox."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.views import View
from django.views.generic import DetailView, ListView, TemplateView

from portal.core.htmx import HtmxTemplateMixin, stop_polling
from portal.core.roles import Role, RoleRequiredMixin
from portal.integrations import inbox, outbox
from portal.integrations.models import OutboundRequest, SyncRun, VendorConnection, WebhookEvent
from vendors.registry import all_providers

__all__ = [
    "OutboxView",
    "OverviewView",
    "ReplayWebhookView",
    "RetryOutboundView",
    "StartSyncView",
    "SyncProgressView",
    "WebhookInboxView",
]

PAGE_SIZE = 50


class AdminOnly(RoleRequiredMixin):
    roles = (Role.ADMIN,)


class OverviewView(AdminOnly, TemplateView):
    template_name = "integrations/overview.html"

    def get_context_data(self, **kwargs):
        providers = all_providers()
        connections = list(VendorConnection.objects.all())
        for connection in connections:
            provider = providers.get(connection.vendor)
            connection.label = provider.label if provider else connection.vendor
            connection.resource_names = sorted(provider.resources) if provider else []
        return super().get_context_data(
            connections=connections,
            running=SyncRun.objects.filter(state=SyncRun.State.RUNNING).select_related("connection"),
            recent_runs=SyncRun.objects.exclude(state=SyncRun.State.RUNNING).select_related("connection")[:10],
            webhook_counts=_counts(WebhookEvent),
            outbox_counts=_counts(OutboundRequest),
            **kwargs,
        )


def _counts(model) -> dict[str, int]:
    from django.db.models import Count

    return dict(model.objects.values_list("state").annotate(n=Count("id")).order_by())


class SyncProgressView(AdminOnly, DetailView):
    """Polled by the progress bar; answers 286 once the run finished so htmx stops polling."""

    model = SyncRun
    template_name = "integrations/htmx/sync_progress.html"

    def render_to_response(self, context, **kwargs):
        response = super().render_to_response(context, **kwargs)
        if self.object.state != SyncRun.State.RUNNING:
            response.render()
            return stop_polling(response)
        return response


class StartSyncView(AdminOnly, View):
    def post(self, request, pk: int) -> HttpResponse:
        from portal.integrations.tasks import sync_resource

        connection = get_object_or_404(VendorConnection, pk=pk)
        resource = request.POST.get("resource", "")
        sync_resource.delay(connection.pk, resource, request.POST.get("full") == "1")
        messages.info(request, f"Sync of {resource} for {connection.name} queued.")
        return HttpResponseRedirect(reverse("integrations:overview"))


class FilteredList(AdminOnly, HtmxTemplateMixin, ListView):
    """Filters come from the URL (shareable); paging shows next/previous without counting every row."""

    paginate_by = PAGE_SIZE
    filters: tuple[str, ...] = ()

    def get_queryset(self):
        queryset = super().get_queryset().select_related("connection")
        for name in self.filters:
            if value := self.request.GET.get(name):
                queryset = queryset.filter(**{name: value})
        return queryset

    def paginate_queryset(self, queryset, page_size):
        page = max(1, int(self.request.GET.get("page") or 1))
        rows = list(queryset[(page - 1) * page_size : page * page_size + 1])
        self.has_next = len(rows) > page_size
        return None, None, rows[:page_size], False

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.request.GET.copy()
        query.pop("page", None)
        page = max(1, int(self.request.GET.get("page") or 1))
        context.update(
            page_number=page,
            previous_page=page - 1,
            next_page=page + 1 if self.has_next else None,
            filter_query=query.urlencode(),
            current=dict(self.request.GET.items()),
            states=self.model.State.choices,
            vendors=sorted(all_providers()),
        )
        return context


class WebhookInboxView(FilteredList):
    model = WebhookEvent
    template_name = "integrations/webhooks.html"
    htmx_template_name = "integrations/htmx/webhook_rows.html"
    filters = ("state", "vendor", "event_type")


class OutboxView(FilteredList):
    model = OutboundRequest
    template_name = "integrations/outbox.html"
    htmx_template_name = "integrations/htmx/outbox_rows.html"
    filters = ("state", "connection__vendor", "operation")


class ReplayWebhookView(AdminOnly, View):
    def post(self, request, pk: int) -> HttpResponse:
        event = get_object_or_404(WebhookEvent, pk=pk)
        if event.can_replay:
            inbox.replay_event(event)
            messages.info(request, f"Webhook #{event.pk} queued again.")
        return HttpResponseRedirect(request.POST.get("next") or reverse("integrations:webhooks"))


class RetryOutboundView(AdminOnly, View):
    def post(self, request, pk: int) -> HttpResponse:
        row = get_object_or_404(OutboundRequest, pk=pk)
        outbox.retry_request(row)
        messages.info(request, f"{row.operation} {row.natural_key} queued to send again.")
        return HttpResponseRedirect(request.POST.get("next") or reverse("integrations:outbox"))
