"""The exceptions queue of the three-way match (issue 20): `/billing/reconciliation/`, for coordinators.

A period in the URL (local days of the agency, at most 62; the last `DEFAULT_DAYS` when none is given, long enough
to hold work whose grace period for billing has passed), an optional problem and which exceptions to show
(open by default, resolved with their reasons, or both); counts per problem over the whole period, the first
`SHOWN` exceptions listed with their sources side by side, their resolution and their disputes, in a fixed number
of queries. Resolving, reopening and disputing are HTMX posts (CSRF header from the base page) that answer with
the queue; the exception is looked up again on the server, so only an exception of the period can be acted on.
Coordinators and admins act; API clients see no page.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views import View
from django.views.generic import TemplateView

from portal.billing import disputes, resolutions
from portal.billing.forms import period_from_query
from portal.billing.models import ExceptionResolution, VendorDispute
from portal.billing.reconciliation import SHOW, MatchException, Problem, reconcile
from portal.billing.reconciliation_forms import CloseDisputeForm, DisputeForm, ExceptionKeyForm, ResolveForm
from portal.core.htmx import HtmxTemplateMixin
from portal.core.roles import RoleRequiredMixin
from portal.core.timezones import agency_zone, local_midnight

__all__ = [
    "DEFAULT_DAYS",
    "SHOWN",
    "CloseDisputeView",
    "DisputeView",
    "ReconciliationView",
    "ReopenView",
    "ResolveView",
]

SHOWN = 200
DEFAULT_DAYS = 28  # twice settings.BILLING_GRACE_DAYS' default: "worked, not billed" shows in the default period


@dataclass(frozen=True)
class QueueRow:
    """One listed exception with what was done about it."""

    exception: MatchException
    resolution: ExceptionResolution | None
    disputes: list[disputes.FiledDispute]
    target: disputes.DisputeTarget | None


def _period(query) -> tuple[Any, dt.date, dt.date, dt.datetime, dt.datetime]:
    form, first, last = period_from_query(query, DEFAULT_DAYS)
    zone = agency_zone()
    return form, first, last, local_midnight(first, zone), local_midnight(last + dt.timedelta(days=1), zone)


def queue_context(request: HttpRequest, message: str = "", errors: Any = None) -> dict[str, Any]:
    """The queue for the period, problem and `show` of the request's query string."""
    form, first, last, since, until = _period(request.GET)
    problem = request.GET.get("problem", "")
    problem = problem if problem in Problem.values else ""
    show = request.GET.get("show", "open")
    show = show if show in SHOW else "open"
    resolved = resolutions.resolutions_in(since, until)
    result = reconcile(since, until, keep=SHOWN, only=problem, show=show, resolved=resolved)
    targets = disputes.targets_for(result.exceptions)
    filed = disputes.disputes_for([e.key for e in result.exceptions])
    rows = [QueueRow(e, resolved.get(e.key), filed.get(e.key, []), targets.get(e.key)) for e in result.exceptions]
    query = urlencode({"first": first, "last": last, "problem": problem, "show": show})
    return {
        "form": form,
        "first": first,
        "last": last,
        "problems": [(v, label, result.counts[v], result.resolved_counts[v]) for v, label in Problem.choices],
        "chosen_problem": problem,
        "shows": SHOW.items(),
        "chosen_show": show,
        "rows": rows,
        "exceptions": result.exceptions,
        "more": result.listable - len(result.exceptions),
        "query": query,
        "message": message,
        "action_errors": errors,
    }


class ReconciliationView(RoleRequiredMixin, HtmxTemplateMixin, TemplateView):
    template_name = "billing/reconciliation.html"
    htmx_template_name = "billing/htmx/reconciliation_queue.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(**queue_context(self.request), **kwargs)


class QueueActionView(RoleRequiredMixin, View):
    """A post about one exception of the queue's period: HTMX gets the queue back, a plain post a redirect."""

    form_class: type = ResolveForm

    def post(self, request: HttpRequest) -> HttpResponse:
        form = self.form_class(request.POST)
        if not form.is_valid():
            return self.answer(request, "", form.errors)
        message = self.act(form, form.cleaned_data["key"])
        return self.answer(request, message, form.errors or None)

    def find(self, key: str) -> MatchException:
        _, _, _, since, until = _period(self.request.GET)
        found = next((e for e in reconcile(since, until, keep=10**9, show="all").exceptions if e.key == key), None)
        if found is None:
            raise Http404("No such exception in this period.")
        return found

    def act(self, form: Any, key: str) -> str:
        raise NotImplementedError

    def answer(self, request: HttpRequest, message: str, errors: Any) -> HttpResponse:
        if request.htmx:
            context = queue_context(request, message, errors)
            return TemplateResponse(request, "billing/htmx/reconciliation_queue.html", context)
        return HttpResponseRedirect(f"{reverse('billing:reconciliation')}?{request.GET.urlencode()}")


class ResolveView(QueueActionView):
    def act(self, form: ResolveForm, key: str) -> str:
        found = self.find(key)
        resolutions.resolve(found, form.cleaned_data["reason"], self.request.user)
        return f"Resolved: {found.label}, {found.subject}."


class ReopenView(QueueActionView):
    form_class = ExceptionKeyForm

    def act(self, form: Any, key: str) -> str:
        return "Reopened." if resolutions.reopen(key, self.request.user) else "It was not resolved."


class DisputeView(QueueActionView):
    form_class = DisputeForm

    def act(self, form: DisputeForm, key: str) -> str:
        found = self.find(key)
        target = disputes.targets_for([found]).get(key)
        if target is None:
            raise Http404("This exception cannot be disputed at its vendor.")
        times: dict[str, Any] = {}
        if target.kind == disputes.Kind.CORRECT_TIMECARD:
            times = form.corrected_times(found.zone)
            if not times:
                return ""
        disputes.raise_dispute(found, target, form.cleaned_data["note"], self.request.user, **times)
        return f"Dispute queued for {target.vendor}."


class CloseDisputeView(QueueActionView):
    """Withdraw or settle a dispute of this exception; a hold closed lets its charge be approved and paid."""

    form_class = CloseDisputeForm

    def act(self, form: CloseDisputeForm, key: str) -> str:
        data = form.cleaned_data
        dispute = VendorDispute.objects.filter(pk=data["dispute"], exception_key=key).first()
        if dispute is None:
            raise Http404("No such dispute of this exception.")
        if not disputes.close_dispute(dispute, data["closed_as"], data["reason"], self.request.user):
            return f"Dispute #{dispute.pk} was already closed."
        return f"Dispute #{dispute.pk} {VendorDispute.Closing(data['closed_as']).label.lower()}."
