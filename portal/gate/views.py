"""The gate's pages (issue 19, Coordinator role): book a person on a shift through the gate, and the findings
list (open findings of upcoming work, with filters; acknowledge or resolve with a reason)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.views import View
from django.views.generic import TemplateView

from portal.core.audit import audit_context
from portal.core.htmx import HtmxTemplateMixin
from portal.core.paging import page_number
from portal.core.redirects import safe_next_url
from portal.core.roles import RoleRequiredMixin
from portal.gate.forms import BookingForm, DecideFindingForm, FindingFilterForm, people_matching
from portal.gate.models import Finding
from portal.shifts.models import ShiftRequest
from portal.shifts.services import assign_professional, shift_booking
from portal.talent.assignment_gate import AssignmentRefused, check

__all__ = ["BookShiftView", "DecideFindingView", "FindingListView"]

PAGE_SIZE = 50


class BookShiftView(RoleRequiredMixin, View):
    """Search a person, see what the gate says, book. A block lists its reasons and books nothing; warnings
    ask for a reason to go on, kept with the coordinator's name."""

    template_name = "gate/book_shift.html"

    def shift(self, pk: int) -> ShiftRequest:
        return get_object_or_404(ShiftRequest.objects.select_related("facility", "connection"), pk=pk)

    def render(self, request: HttpRequest, shift: ShiftRequest, **context: Any) -> HttpResponse:
        query = request.GET.get("q", "").strip()
        people = list(people_matching(query)) if query else []
        return TemplateResponse(
            request, self.template_name, {"shift": shift, "query": query, "people": people, **context}
        )

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        shift = self.shift(pk)
        form = BookingForm(request.GET if "profile" in request.GET else None)
        if form.is_bound and form.is_valid():
            profile = form.cleaned_data["profile"]
            booking = shift_booking(shift, profile)
            return self.render(request, shift, form=form, chosen=profile, verdict=check(booking))
        return self.render(request, shift, form=BookingForm())

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        shift = self.shift(pk)
        form = BookingForm(request.POST)
        if not form.is_valid():
            return self.render(request, shift, form=form)
        profile = form.cleaned_data["profile"]
        try:
            assign_professional(shift, profile, request.user, form.cleaned_data["override_reason"])
        except AssignmentRefused as refused:
            return self.render(request, shift, form=form, chosen=profile, verdict=refused.verdict, refused=True)
        except ValidationError as error:
            form.add_error(None, error)
            return self.render(request, shift, form=form, chosen=profile)
        messages.success(request, f"{profile} is booked on this shift.")
        return HttpResponseRedirect(reverse("shifts:detail", args=[shift.pk]))


class FindingListView(RoleRequiredMixin, HtmxTemplateMixin, TemplateView):
    """Findings of work not yet over, soonest first; filters in the URL. Two queries whatever the number of
    findings: one page (plus one row to know there is a next) with its people and facilities, nothing counted."""

    template_name = "gate/findings.html"
    htmx_template_name = "gate/htmx/findings.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        filters = FindingFilterForm(self.request.GET or None)
        findings = filters.filter(Finding.objects.filter(work_ends_at__gt=timezone.now()))
        page = page_number(self.request)
        rows = list(
            findings.select_related("profile", "facility", "decided_by").order_by("work_starts_at", "id")[
                (page - 1) * PAGE_SIZE : page * PAGE_SIZE + 1
            ]
        )
        kept = {key: value for key, value in self.request.GET.items() if key != "page" and value}
        return super().get_context_data(
            filters=filters,
            findings=rows[:PAGE_SIZE],
            filtered=bool(kept),
            page_number=page,
            previous_query=urlencode({**kept, "page": page - 1}) if page > 1 else "",
            next_query=urlencode({**kept, "page": page + 1}) if len(rows) > PAGE_SIZE else "",
            decide_form=DecideFindingForm(),
            **kwargs,
        )


class DecideFindingView(RoleRequiredMixin, View):
    """Acknowledge or resolve one finding with a reason (audited with the coordinator's name)."""

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        finding = get_object_or_404(Finding.objects.select_related("profile", "facility"), pk=pk)
        form = DecideFindingForm(request.POST)
        error = ""
        if form.is_valid():
            state = DecideFindingForm.DECISIONS[form.cleaned_data["decision"]]
            if state in Finding.status_transitions["state"].get(finding.state, set()):
                finding.state, finding.reason, finding.decided_by = state, form.cleaned_data["reason"], request.user
                with audit_context("user", user=request.user, detail="findings page"):
                    finding.save(update_fields=["state", "reason", "decided_by", "updated_at"])
            else:
                error = f"This finding is {finding.get_state_display().lower()}; it cannot be changed that way."
        else:
            error = " ".join(message for messages_ in form.errors.values() for message in messages_)
        if request.htmx:
            context = {"finding": finding, "decide_form": DecideFindingForm(), "row_error": error}
            return TemplateResponse(request, "gate/htmx/finding_row.html", context)
        if error:
            messages.error(request, error)
        return HttpResponseRedirect(safe_next_url(request, reverse("gate:findings")))
