"""The Integrations pages (Admin role): connections and their settings, syncs with live progress, the webhook
inbox, the outbox."""

from __future__ import annotations

import datetime as dt
import time

from django import forms
from django.contrib import messages
from django.db.models import Count
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.views import View
from django.views.generic import DetailView, ListView, TemplateView

from portal.core.htmx import HtmxTemplateMixin, stop_polling
from portal.core.paging import page_number
from portal.core.queues import queue_status
from portal.core.redirects import redirect_to_next
from portal.core.roles import Role, RoleRequiredMixin
from portal.integrations import inbox, outbox
from portal.integrations.forms import ConnectionSettingsForm, CredentialsForm
from portal.integrations.models import OutboundRequest, RefusedDelivery, SyncRun, VendorConnection, WebhookEvent
from portal.integrations.panels import forget_panels, panel_context
from portal.integrations.provider import SettingsForm, VendorProvider
from portal.integrations.registry import all_providers
from portal.integrations.rotation import Rotation, previous_valid_until, rotate_webhook_proof, rotates_secret
from portal.integrations.sync import request_cancel

__all__ = [
    "CancelSyncView",
    "ConnectionPanelView",
    "ConnectionSettingsFormView",
    "ConnectionView",
    "OutboxView",
    "OverviewView",
    "ReplayWebhookView",
    "RetryOutboundView",
    "RotateWebhookView",
    "RunningSyncsView",
    "StartSyncView",
    "SyncProgressView",
    "SyncRunView",
    "WebhookInboxView",
]

PAGE_SIZE = 50
# The HTMX event a successful settings form sends: the connection's panels listen for it and load again.
PANELS_RELOAD = "connection-changed"


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
            recent_runs=SyncRun.objects.exclude(state=SyncRun.State.RUNNING)
            .select_related("connection")
            .defer("warnings")[:10],
            webhook_counts=_counts(WebhookEvent),
            refused_counts=refused_counts(),
            outbox_counts=_counts(OutboundRequest),
            queues=queue_status(),
            **kwargs,
        )


def _counts(model) -> dict[str, int]:
    return dict(model.objects.values_list("state").annotate(n=Count("id")).order_by())


REFUSED_WINDOW = dt.timedelta(days=7)


def refused_counts() -> dict[str, int]:
    """Webhook deliveries refused unread in the last week, by reason's label, in label order (one query)."""
    since = timezone.now() - REFUSED_WINDOW
    rows = RefusedDelivery.objects.filter(received_at__gte=since).values_list("reason").annotate(n=Count("id"))
    labels = dict(RefusedDelivery.Reason.choices)
    return dict(sorted((labels.get(reason, reason), n) for reason, n in rows.order_by()))


class ConnectionPage(AdminOnly, View):
    """A connection's settings page: its facts, its credentials form and the provider's extra forms."""

    template_name = "integrations/connection.html"
    form_template_name = "integrations/htmx/settings_form.html"

    def load(self, pk: int) -> None:
        """Called by the handlers, so only after the role check (a Coordinator gets 403, never a 404 hint)."""
        self.connection = get_object_or_404(VendorConnection, pk=pk)
        provider = all_providers().get(self.connection.vendor)
        if provider is None:
            raise Http404(f"No vendor named {self.connection.vendor!r} is registered.")
        self.provider: VendorProvider = provider
        self.extras: tuple[SettingsForm, ...] = provider.settings_forms()

    def credentials_form(self, data=None) -> CredentialsForm:
        owned = {name for extra in self.extras for name in extra.owns}
        fields = [spec for spec in self.provider.credential_fields if spec.name not in owned]
        return CredentialsForm(self.connection, fields, data, signing_secret=self.provider.webhook_secret_field)

    def extra_form(self, extra: SettingsForm, data=None) -> ConnectionSettingsForm:
        return extra.form_class(self.connection, data, prefix=extra.name)

    def page(
        self, *, credentials: CredentialsForm | None = None, bound: dict | None = None, rotated: Rotation | None = None
    ) -> HttpResponse:
        bound = bound or {}
        extras = [{"extra": extra, "form": bound.get(extra.name) or self.extra_form(extra)} for extra in self.extras]
        return render(
            self.request,
            self.template_name,
            {
                "connection": self.connection,
                "label": self.provider.label,
                "credentials_form": credentials or self.credentials_form(),
                "extras": extras,
                "panels": self.provider.connection_panels(),
                **self.rotation_context(rotated),
            },
        )

    def rotation_context(self, rotated: Rotation | None = None) -> dict:
        return {
            "rotates": "signing secret" if rotates_secret(self.provider) else "webhook URL",
            "previous_valid_until": previous_valid_until(self.connection),
            "rotated": rotated,
        }

    def back(self) -> HttpResponseRedirect:
        return HttpResponseRedirect(reverse("integrations:connection", args=[self.connection.pk]))


def _applied(form: ConnectionSettingsForm) -> str:
    """Validate and save; a vendor's refusal raised by `save()` lands on the form. Returns the message or ""."""
    if not form.is_valid():
        return ""
    try:
        return form.save()
    except forms.ValidationError as refused:
        form.add_error(None, refused)
        return ""


class ConnectionView(ConnectionPage):
    def get(self, request, pk: int) -> HttpResponse:
        self.load(pk)
        return self.page()

    def post(self, request, pk: int) -> HttpResponse:
        self.load(pk)
        form = self.credentials_form(request.POST)
        if done := _applied(form):
            forget_panels(self.connection)
            messages.success(request, done)
            return self.back()
        return self.page(credentials=form)


class ConnectionSettingsFormView(ConnectionPage):
    """Posts of one extra form. HTMX swaps just that form (with its message or errors); without HTMX the whole
    page comes back, redirected on success so a reload does not post again."""

    def post(self, request, pk: int, name: str) -> HttpResponse:
        self.load(pk)
        extra = next((extra for extra in self.extras if extra.name == name), None)
        if extra is None:
            raise Http404(f"{self.provider.label} has no settings form {name!r}.")
        form = self.extra_form(extra, request.POST)
        done = _applied(form)
        if done:
            forget_panels(self.connection)
        if request.htmx:
            context = {"connection": self.connection, "extra": extra, "done": done}
            context["form"] = self.extra_form(extra) if done else form
            response = render(request, self.form_template_name, context)
            if done:
                response["HX-Trigger"] = PANELS_RELOAD  # the page's panels show what the change did
            return response
        if done:
            messages.success(request, done)
            return self.back()
        return self.page(bound={name: form})


class ConnectionPanelView(ConnectionPage):
    """One of the vendor's read-only panels, asked for by HTMX once the page is shown (`panels`): from the cache
    unless the Admin pressed its Refresh button."""

    template_name = "integrations/htmx/connection_panel.html"

    def get(self, request, pk: int, name: str) -> HttpResponse:
        self.load(pk)
        panel = next((panel for panel in self.provider.connection_panels() if panel.name == name), None)
        if panel is None:
            raise Http404(f"{self.provider.label} has no panel {name!r}.")
        shown = panel_context(self.connection, panel, request.GET, fresh=bool(request.GET.get("fresh")))
        return render(request, self.template_name, {"connection": self.connection, "panel": panel, **shown})


class RotateWebhookView(ConnectionPage):
    """One click rotates the webhook signing secret (or URL token): the answer shows the new one, once, and when the
    old one stops working. Never a redirect: the new secret is not kept anywhere it could be shown again."""

    rotation_template_name = "integrations/htmx/webhook_rotation.html"

    def post(self, request, pk: int) -> HttpResponse:
        self.load(pk)
        rotated = rotate_webhook_proof(self.connection)
        if request.htmx:
            context = {"connection": self.connection, "label": self.provider.label, **self.rotation_context(rotated)}
            response = render(request, self.rotation_template_name, context)
        else:
            response = self.page(rotated=rotated)
        response["Cache-Control"] = "no-store"
        return response


class SyncProgressView(AdminOnly, View):
    """Polled by the progress bar; answers 286 once the run finished so htmx stops polling."""

    template_name = "integrations/htmx/sync_progress.html"

    def get(self, request, pk: int) -> HttpResponse:
        run = get_object_or_404(SyncRun.objects.select_related("connection", "cancelled_by").defer("warnings"), pk=pk)
        return self.respond(request, run)

    @classmethod
    def respond(cls, request, run: SyncRun, *, note: str = "") -> HttpResponse:
        response = render(request, cls.template_name, {"object": run, "note": note})
        return response if run.state == SyncRun.State.RUNNING else stop_polling(response)


class SyncRunView(AdminOnly, DetailView):
    """One run: its counts (live while it runs) and the records it stored with values it could not read."""

    model = SyncRun
    template_name = "integrations/sync_run.html"
    queryset = SyncRun.objects.select_related("connection")


class StartSyncView(AdminOnly, View):
    """Queues a sync. With HTMX the answer is the running-syncs box, polling from this moment, swapped in at once;
    without, the overview with a message (its box polls the same way)."""

    def post(self, request, pk: int) -> HttpResponse:
        from portal.integrations.tasks import sync_resource

        connection = get_object_or_404(VendorConnection, pk=pk)
        resource = request.POST.get("resource", "")
        sync_resource.delay(connection.pk, resource, request.POST.get("full") == "1")
        since = str(int(time.time()))
        if request.htmx:
            return render(request, "integrations/htmx/running_syncs_box.html", {"since": since, "waiting": True})
        messages.info(request, f"Sync of {resource} for {connection.name} queued.")
        return HttpResponseRedirect(f"{reverse('integrations:overview')}?since={since}")


class CancelSyncView(AdminOnly, View):
    """Asks a running run to stop after its current page. With HTMX the answer is the run's progress (it polls on
    until the run says cancelled); without, back to where the Admin was."""

    def post(self, request, pk: int) -> HttpResponse:
        run = get_object_or_404(SyncRun, pk=pk)
        if request_cancel(run.pk, request.user):
            note = "Cancelling: the run stops after the page it is writing."
        else:
            note = "This run has already ended or is being cancelled."
        if request.htmx:
            run = SyncRun.objects.select_related("connection", "cancelled_by").defer("warnings").get(pk=pk)
            return SyncProgressView.respond(request, run, note=note)
        messages.info(request, note)
        return redirect_to_next(request, reverse("integrations:sync-run", args=[run.pk]))


# How long a queued sync is waited for: a run not started by then (no worker?) stops the polling.
QUEUED_WAIT = dt.timedelta(minutes=5)


class RunningSyncsView(AdminOnly, TemplateView):
    """The overview's running syncs, polled; 286 once nothing runs. `?since=` (an epoch second: when a sync was
    queued, or when the oldest run the page showed started) keeps the runs started since then on show once they
    ended, and waits for one to start when none has yet (a sync just queued)."""

    template_name = "integrations/htmx/running_syncs.html"

    def get_context_data(self, **kwargs):
        running = list(SyncRun.objects.filter(state=SyncRun.State.RUNNING).select_related("connection"))
        finished, waiting = [], False
        try:
            since = dt.datetime.fromtimestamp(int(self.request.GET.get("since", "")), tz=dt.UTC)
        except (ValueError, OverflowError, OSError):
            since = None
        if since is not None:
            started = SyncRun.objects.filter(started_at__gte=since - dt.timedelta(seconds=1))
            latest = started.select_related("connection", "cancelled_by").order_by("-started_at")[:10]
            finished = [run for run in latest if run.state != SyncRun.State.RUNNING]
            waiting = not running and not finished and timezone.now() - since < QUEUED_WAIT
        return super().get_context_data(running=running, finished=finished, waiting=waiting, **kwargs)

    def render_to_response(self, context, **kwargs):
        response = super().render_to_response(context, **kwargs)
        if not context["running"] and not context["waiting"]:
            response.render()
            return stop_polling(response)
        return response


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
        page = page_number(self.request)
        rows = list(queryset[(page - 1) * page_size : page * page_size + 1])
        self.has_next = len(rows) > page_size
        return None, None, rows[:page_size], False

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.request.GET.copy()
        query.pop("page", None)
        page = page_number(self.request)
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

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if not self.request.htmx:
            context["refused_counts"] = refused_counts()
        return context


class OutboxView(FilteredList):
    model = OutboundRequest
    template_name = "integrations/outbox.html"
    htmx_template_name = "integrations/htmx/outbox_rows.html"
    filters = ("state", "connection__vendor", "operation")


class ReplayWebhookView(AdminOnly, View):
    def post(self, request, pk: int) -> HttpResponse:
        event = get_object_or_404(WebhookEvent.objects.select_related("connection"), pk=pk)
        try:
            inbox.replay_event(event)
            messages.info(request, f"Webhook #{event.pk} queued again.")
        except inbox.ReplayRefused as refused:
            messages.error(request, str(refused))
        return redirect_to_next(request, reverse("integrations:webhooks"))


class RetryOutboundView(AdminOnly, View):
    def post(self, request, pk: int) -> HttpResponse:
        row = get_object_or_404(OutboundRequest, pk=pk)
        outbox.retry_request(row)
        messages.info(request, f"{row.operation} {row.natural_key} queued to send again.")
        return redirect_to_next(request, reverse("integrations:outbox"))
