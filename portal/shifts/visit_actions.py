"""The pages that work one home-care visit (issue 23, Coordinator role): create (one or a weekly series), detail
with its delivery, change (this or this-and-following), staff, cancel, correct the punchcard.

Changes go through `visit_services`, which announce them as domain signals; a vendor package turns them into
outbox rows, and each visit shows their delivery state (queued, sent, not sent with the reason and a retry).
Forms first ask the visit's vendor what it would refuse (`visit_forms`), so nothing it would refuse is saved.
"""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.http import urlencode
from django.views import View
from django.views.generic import FormView, TemplateView

from portal.core.roles import RoleRequiredMixin
from portal.core.timezones import to_local
from portal.integrations.delivery import deliveries_of, delivery_panel, retry_shown
from portal.integrations.services import outbound_problems
from portal.shifts import services, visit_services
from portal.shifts.models import Timecard, Visit
from portal.shifts.views import RefusalMixin, gate_findings_context
from portal.shifts.visit_forms import (
    CancelVisitForm,
    PunchcardCorrectionForm,
    StaffVisitForm,
    VisitChangeForm,
    VisitCreateForm,
)
from portal.talent.assignment_gate import AssignmentRefused
from portal.talent.models import TalentProfile

__all__ = [
    "CancelVisitView",
    "PunchcardCorrectionView",
    "RetryVisitDeliveryView",
    "StaffVisitView",
    "VisitChangeView",
    "VisitCreateView",
    "VisitDeliveryView",
    "VisitDetailView",
]

CANCELLABLE = {Visit.Status.SCHEDULED, Visit.Status.IN_PROGRESS}


def _week_url(visit: Visit) -> str:
    return f"{reverse('shifts:visits')}?{urlencode({'week': to_local(visit.starts_at, visit.time_zone).date()})}"


def _refused(form: Any, exc: ValidationError) -> None:
    """A service's refusal (staffing checks, the model's rules) next to the field it names."""
    for field, errors in exc.message_dict.items() if hasattr(exc, "error_dict") else [(None, exc.messages)]:
        form.add_error(field if field in form.fields else None, errors)


def service_names() -> list[str]:
    """The services visits already use, offered as suggestions (a new name may be typed)."""
    return sorted(set(Visit.objects.exclude(service_name="").values_list("service_name", flat=True)[:500]))


class GateAttemptMixin:
    """A visit form whose save the gate may refuse (issue 19): `attempt()` runs the change and shows the gate's
    verdict (`htmx/gate_verdict.html`, as on the gate's booking page) above the form, with the reason field when
    warnings alone stood in the way, or a value the services refuse next to its field; nothing is saved then."""

    def attempt(self, form: Any, change: Callable[[], HttpResponse]) -> HttpResponse:
        try:
            return change()
        except AssignmentRefused as refused:
            return self.gate_refused(form, refused)
        except ValidationError as exc:
            _refused(form, exc)
            return self.form_invalid(form)

    def chosen(self, form: Any) -> TalentProfile | None:
        return form.cleaned_data.get("caregiver")

    def forget_refused(self) -> None:
        """Keep the refused values off the page's account of the record."""

    def gate_refused(self, form: Any, refused: AssignmentRefused) -> HttpResponse:
        chosen = self.chosen(form)
        self.forget_refused()
        if not refused.verdict.blocks:
            form.ask_override_reason()
        context = {"form": form, "verdict": refused.verdict, "refused": True, "chosen": chosen}
        return self.render_to_response(self.get_context_data(**context))


class VisitCreateView(RoleRequiredMixin, GateAttemptMixin, FormView):
    """Opened from an empty cell of the week: its day and the row's caregiver or patient come prefilled."""

    form_class = VisitCreateForm
    template_name = "shifts/visits/create.html"

    def get_initial(self) -> dict[str, Any]:
        initial = {"start_time": dt.time(9), "end_time": dt.time(11)}
        for name in ("day", "caregiver", "patient"):
            if value := self.request.GET.get(name):
                initial[name] = value
        return initial

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(service_names=service_names(), **kwargs)

    def form_valid(self, form: VisitCreateForm) -> HttpResponse:
        data = form.cleaned_data
        past_warnings = {"override_reason": data["override_reason"], "user": self.request.user}

        def create() -> HttpResponse:
            if form.group is not None:
                visits = visit_services.create_visit_series(
                    form.group, form.occurrences, notes=data["notes"], **past_warnings
                )
            else:
                visits = [
                    visit_services.create_visit(
                        patient=data["patient"],
                        client=data["client"],
                        caregiver=data["caregiver"],
                        starts_at=form.instance.starts_at,
                        ends_at=form.instance.ends_at,
                        time_zone=form.instance.time_zone,
                        service_name=data["service_name"],
                        notes=data["notes"],
                        connection=data["connection"],
                        **past_warnings,
                    )
                ]
            where = f" and queued for {data['connection'].name}" if data["connection"] else ""
            messages.success(self.request, f"{len(visits)} visit{'s' if len(visits) != 1 else ''} created{where}.")
            return HttpResponseRedirect(_week_url(visits[0]))

        return self.attempt(form, create)


class VisitMixin(RoleRequiredMixin):
    @cached_property
    def visit(self) -> Visit:
        return get_object_or_404(
            Visit.objects.select_related("patient", "caregiver", "client", "group", "connection"),
            pk=self.kwargs["pk"],
        )


def delivery_context(visit: Visit) -> dict[str, Any]:
    """Every request about the visit (its own, its series', its punchcard's), newest first, and whether any is
    still under way."""
    card = visit.timecards.filter(archived_at__isnull=True).order_by("check_in").first()
    connection = visit.connection if visit.connection_id else None
    return {"visit": visit, "timecard": card, **deliveries_of(connection, visit, *([card] if card else []))}


class VisitDetailView(VisitMixin, TemplateView):
    template_name = "shifts/visits/detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        visit = self.visit
        cancelled = visit.status == Visit.Status.CANCELLED
        return super().get_context_data(
            changeable=visit.status in visit_services.CHANGEABLE,
            cancellable=visit.status in CANCELLABLE,
            cancellation_reason=services.cancellation_reason(visit) if cancelled else "",
            week_url=_week_url(visit),
            **delivery_context(visit),
            **gate_findings_context(("shifts.visit", visit.pk)),
            **kwargs,
        )


class VisitDeliveryView(VisitMixin, View):
    """The delivery panel, polled while a request is under way; 286 stops the polling once all have settled."""

    def get(self, request, pk: int) -> HttpResponse:
        return delivery_panel(request, "shifts/visits/htmx/delivery.html", delivery_context(self.visit))


class RetryVisitDeliveryView(VisitMixin, View):
    """The retry button beside a failed request of this visit (only rows its page shows)."""

    def post(self, request, pk: int, row_pk: int) -> HttpResponse:
        shown = delivery_context(self.visit)["deliveries"]
        return retry_shown(request, row_pk, shown, reverse("shifts:visit", args=[pk]))


class _ChangeMixin(VisitMixin, RefusalMixin, GateAttemptMixin):
    """A form about one visit that some statuses refuse (`refusal`), checked after the role check."""

    allowed = visit_services.CHANGEABLE

    def refusal(self) -> HttpResponse | None:
        if self.visit.status in self.allowed:
            return None
        messages.error(self.request, f"A {self.visit.get_status_display().lower()} visit cannot be changed.")
        return HttpResponseRedirect(reverse("shifts:visit", args=[self.visit.pk]))

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "instance": self.visit}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(visit=self.visit, service_names=service_names(), **kwargs)

    def done(self, message: str) -> HttpResponse:
        messages.success(self.request, message)
        return HttpResponseRedirect(reverse("shifts:visit", args=[self.visit.pk]))

    def chosen(self, form: VisitChangeForm) -> TalentProfile | None:
        return form.cleaned_data.get("caregiver") or self.visit.caregiver

    def forget_refused(self) -> None:
        self.visit.refresh_from_db()


class VisitChangeView(_ChangeMixin, FormView):
    form_class = VisitChangeForm
    template_name = "shifts/visits/change.html"

    def form_valid(self, form: VisitChangeForm) -> HttpResponse:
        data, visit = form.cleaned_data, self.visit
        starts_at, ends_at = form.instance.starts_at, form.instance.ends_at
        visit.refresh_from_db()  # the form placed its values on the visit; the services compare with the stored ones

        def change() -> HttpResponse:
            if form.following:
                moved = visit_services.change_following(
                    visit,
                    start=data["start_time"],
                    end=data["end_time"],
                    caregiver=data["caregiver"],
                    service_name=data["service_name"],
                    override_reason=data["override_reason"],
                    user=self.request.user,
                )
                return self.done(f"This and {len(moved) - 1} following visits changed.")
            changed = visit_services.change_visit(
                visit,
                starts_at=starts_at,
                ends_at=ends_at,
                caregiver=data["caregiver"],
                service_name=data["service_name"],
                notes=data["notes"],
                override_reason=data["override_reason"],
                user=self.request.user,
            )
            return self.done("Visit changed." if changed else "Nothing changed.")

        return self.attempt(form, change)


def staffing_candidates(visit: Visit):
    """Who could take the visit: people known to its connection (any vendor's people for a portal-only visit)."""
    people = TalentProfile.objects.order_by("first_name", "last_name")
    if visit.connection_id:
        people = people.filter(references__connection_id=visit.connection_id, references__archived_at=None)
    return people.filter(~Q(pk=visit.caregiver_id) if visit.caregiver_id else Q()).distinct()[:200]


def vendor_refusals(visit: Visit, people: list[TalentProfile]) -> dict[int, list[str]]:
    """What the visit's vendor would refuse of each person as its caregiver (its `update_visit` check, one
    question each), so the list marks them before anyone is picked."""
    connection = visit.connection if visit.connection_id else None
    if connection is None or not connection.is_active:
        return {}
    refused = {}
    for person in people:
        candidate = copy.copy(visit)
        candidate.caregiver = person
        if problems := outbound_problems(connection, "update_visit", candidate).get("caregiver"):
            refused[person.pk] = problems
    return refused


class StaffVisitView(_ChangeMixin, FormView):
    """Assign or swap the caregiver from a list that shows who is free at the visit's time across every vendor's
    work the portal knows (IntelyCare shifts, visits, Ceki contract events); the choice passes the gate."""

    form_class = StaffVisitForm
    template_name = "shifts/visits/staff.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        people = list(staffing_candidates(self.visit))
        options = visit_services.caregiver_options(self.visit, people, vendor_refusals(self.visit, people))
        return super().get_context_data(options=options, **kwargs)

    def form_valid(self, form: StaffVisitForm) -> HttpResponse:
        caregiver = form.cleaned_data["caregiver"]
        self.visit.refresh_from_db()

        def change() -> HttpResponse:
            visit_services.change_visit(
                self.visit,
                caregiver=caregiver,
                override_reason=form.cleaned_data["override_reason"],
                user=self.request.user,
            )
            return self.done(f"{caregiver} now has this visit." if caregiver else "The visit is unassigned.")

        return self.attempt(form, change)


class CancelVisitView(_ChangeMixin, FormView):
    """A confirmation that names the caregiver and the patient, and asks why."""

    form_class = CancelVisitForm
    template_name = "shifts/visits/cancel.html"
    allowed = CANCELLABLE

    def get_form_kwargs(self) -> dict[str, Any]:
        return FormView.get_form_kwargs(self)

    def form_valid(self, form: CancelVisitForm) -> HttpResponse:
        try:
            visit_services.cancel_visit(self.visit, form.cleaned_data["reason"])
        except ValidationError as exc:
            messages.error(self.request, " ".join(exc.messages))
            return HttpResponseRedirect(reverse("shifts:visit", args=[self.visit.pk]))
        return self.done("Visit cancelled.")


class PunchcardCorrectionView(_ChangeMixin, FormView):
    """Corrected actual times of the visit's punchcard, with a reason; they go to the vendor the card came from."""

    form_class = PunchcardCorrectionForm
    template_name = "shifts/visits/punchcard.html"

    @cached_property
    def card(self) -> Timecard | None:
        return self.visit.timecards.filter(archived_at__isnull=True).select_related("visit", "connection").first()

    def refusal(self) -> HttpResponse | None:
        if self.card is not None:
            return None
        messages.error(self.request, "This visit has no punchcard to correct.")
        return HttpResponseRedirect(reverse("shifts:visit", args=[self.visit.pk]))

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**FormView.get_form_kwargs(self), "instance": self.card}

    def form_valid(self, form: PunchcardCorrectionForm) -> HttpResponse:
        data = form.cleaned_data
        try:
            visit_services.correct_punchcard(
                self.card, check_in=data["check_in"], check_out=data["check_out"], reason=data["reason"]
            )
        except ValidationError as exc:
            _refused(form, exc)
            return self.form_invalid(form)
        sends_to = delivery_context(self.visit)["sends_to"]
        return self.done(f"Punchcard corrected; sending to {sends_to.name}." if sends_to else "Punchcard corrected.")
