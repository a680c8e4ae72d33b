"""The shift pages (Coordinator role): the live board, create (single or pattern), edit, cancel, timecards.

Changes go through `services`, which announce them as domain signals; a vendor package turns them into outbox
rows. Each shift shows its delivery state from those rows (pending, sent, failed with the error and a retry).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.http import urlencode
from django.views import View
from django.views.generic import DetailView, FormView, TemplateView

from portal.core.htmx import HtmxTemplateMixin, stop_polling
from portal.core.roles import RoleRequiredMixin
from portal.integrations import outbox
from portal.integrations.delivery import back_to
from portal.integrations.models import OutboundRequest
from portal.shifts import services
from portal.shifts.forms import BoardFilterForm, ShiftCreateForm, ShiftEditForm, TimecardForm
from portal.shifts.models import ShiftRequest

__all__ = [
    "BoardView",
    "CancelShiftView",
    "DeliveryView",
    "RetryDeliveryView",
    "ShiftCreateView",
    "ShiftDetailView",
    "ShiftEditView",
    "TimecardView",
]

PAGE_SIZE = 100
State = OutboundRequest.State
EDITABLE = {ShiftRequest.Status.OPEN, ShiftRequest.Status.FILLED}


def group_by_day_and_unit(shifts: list[ShiftRequest]) -> list[dict[str, Any]]:
    """[{day, units: [{facility, unit, zone, shifts}]}] by the facility-local day each shift starts on."""
    units: dict[tuple, dict[str, Any]] = {}
    for shift in shifts:
        day = shift.local_starts_at.date()
        key = (day, shift.facility.name, shift.facility_id, shift.unit)
        units.setdefault(key, {"facility": shift.facility, "unit": shift.unit, "zone": shift.zone, "shifts": []})
        units[key]["shifts"].append(shift)
    days: dict[Any, list[dict[str, Any]]] = {}
    for key in sorted(units):  # (day, facility name, facility id, unit)
        days.setdefault(key[0], []).append(units[key])
    return [{"day": day, "units": day_units} for day, day_units in days.items()]


def _page_number(request) -> int:
    try:
        return max(1, int(request.GET.get("page") or 1))
    except ValueError:
        return 1


class BoardView(RoleRequiredMixin, HtmxTemplateMixin, TemplateView):
    """Shifts by day and unit. The partial polls itself every 2s, so a webhook's fill shows without a reload;
    its queries do not grow with the number of shifts (one page, related rows joined, deliveries in one query)."""

    template_name = "shifts/board.html"
    htmx_template_name = "shifts/htmx/board.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        filters = BoardFilterForm(self.request.GET or None)
        page = _page_number(self.request)
        queryset = filters.filter(ShiftRequest.objects.select_related("facility", "assigned_professional"))
        # One row past the page says whether there is a next page, without counting a million rows.
        rows = list(queryset.order_by("starts_at", "id")[(page - 1) * PAGE_SIZE : page * PAGE_SIZE + 1])
        shifts = [shift for shift in rows[:PAGE_SIZE] if filters.local_day_matches(shift)]
        deliveries = outbox.delivery_states(shifts)  # one query for the page
        for shift in shifts:
            shift.delivery = deliveries.get(shift.pk)
        query = self.request.GET.copy()
        query.pop("page", None)
        return super().get_context_data(
            filters=filters,
            days=group_by_day_and_unit(shifts),
            filtered=any(value for name, value in self.request.GET.items() if name != "page"),
            page_number=page,
            previous_page=page - 1,
            next_page=page + 1 if len(rows) > PAGE_SIZE else None,
            filter_query=query.urlencode(),
            poll_url=self.request.get_full_path(),
            **kwargs,
        )


class ShiftCreateView(RoleRequiredMixin, FormView):
    form_class = ShiftCreateForm
    template_name = "shifts/create.html"

    def form_valid(self, form: ShiftCreateForm) -> HttpResponse:
        data = form.cleaned_data
        shifts = services.create_shift_requests(
            facility=data["facility"],
            unit=data["unit"],
            professional_type=data["professional_type"],
            occurrences=data["occurrences"],
            connection=data["connection"],
            boost_percentage=data["boost_percentage"],
        )
        where = f" and queued for {data['connection'].name}" if data["connection"] else ""
        messages.success(self.request, f"{len(shifts)} shift{'s' if len(shifts) != 1 else ''} created{where}.")
        query = urlencode({"facility": data["facility"].pk, "date_from": data["first_day"].isoformat()})
        return HttpResponseRedirect(f"{reverse('shifts:board')}?{query}")


class ShiftObjectMixin(RoleRequiredMixin):
    def get_shift(self) -> ShiftRequest:
        return get_object_or_404(
            ShiftRequest.objects.select_related("facility", "assigned_professional", "connection"), pk=self.kwargs["pk"]
        )


class ShiftFormMixin(ShiftObjectMixin):
    """A form about one shift that some statuses refuse (`refusal`), checked after the role check."""

    @cached_property
    def shift(self) -> ShiftRequest:
        return self.get_shift()

    def refusal(self) -> HttpResponse | None:
        return None

    def get(self, request, *args: Any, **kwargs: Any) -> HttpResponse:
        return self.refusal() or super().get(request, *args, **kwargs)

    def post(self, request, *args: Any, **kwargs: Any) -> HttpResponse:
        return self.refusal() or super().post(request, *args, **kwargs)

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "shift": self.shift}


def delivery_context(shift: ShiftRequest) -> dict[str, Any]:
    """Every request of the shift and of its timecard, newest first, and whether any is still under way."""
    card = shift.timecards.first()
    rows = outbox.requests_about(shift, *([card] if card is not None else []))
    return {
        "shift": shift,
        "timecard": card,
        "deliveries": rows,
        "in_flight": any(row.state in (State.PENDING, State.SENDING) for row in rows),
        # Where the shift's changes go: its active connection, or nowhere (a portal-only shift keeps them here).
        "sends_to": shift.connection if shift.connection_id and shift.connection.is_active else None,
    }


class ShiftDetailView(ShiftObjectMixin, DetailView):
    template_name = "shifts/detail.html"

    def get_object(self, queryset=None) -> ShiftRequest:
        return self.get_shift()

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(
            editable=self.object.status in EDITABLE, **delivery_context(self.object), **kwargs
        )


class DeliveryView(ShiftObjectMixin, View):
    """The delivery panel, polled while a request is under way; 286 stops the polling once all have settled."""

    def get(self, request, pk: int) -> HttpResponse:
        context = delivery_context(self.get_shift())
        response = TemplateResponse(request, "shifts/htmx/delivery.html", context)
        if not context["in_flight"]:
            response.render()
            return stop_polling(response)
        return response


class ShiftEditView(ShiftFormMixin, FormView):
    form_class = ShiftEditForm
    template_name = "shifts/edit.html"

    def refusal(self) -> HttpResponse | None:
        if self.shift.status in EDITABLE:
            return None
        messages.error(self.request, f"A {self.shift.get_status_display().lower()} shift cannot be edited.")
        return HttpResponseRedirect(reverse("shifts:detail", args=[self.shift.pk]))

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(shift=self.shift, **kwargs)

    def form_valid(self, form: ShiftEditForm) -> HttpResponse:
        try:
            changed = services.update_shift_request(self.shift, **form.changes())
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
            return self.form_invalid(form)
        messages.success(self.request, "Shift saved." if changed else "Nothing changed.")
        return HttpResponseRedirect(reverse("shifts:detail", args=[self.shift.pk]))


class CancelShiftView(ShiftObjectMixin, View):
    def post(self, request, pk: int) -> HttpResponse:
        shift = self.get_shift()
        try:
            services.cancel_shift_request(shift)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, "Shift cancelled.")
        return HttpResponseRedirect(reverse("shifts:detail", args=[pk]))


class RetryDeliveryView(ShiftObjectMixin, View):
    """The retry button beside a failed request: back to pending and dispatched now (the outbox retry)."""

    def post(self, request, pk: int, row_pk: int) -> HttpResponse:
        shift = self.get_shift()
        row = get_object_or_404(OutboundRequest, pk=row_pk)
        if row.pk in {r.pk for r in delivery_context(shift)["deliveries"]}:
            outbox.retry_request(row)
            messages.info(request, f"Sending to {row.connection.name} again.")
        return HttpResponseRedirect(back_to(request, reverse("shifts:detail", args=[pk])))


class TimecardView(ShiftFormMixin, FormView):
    """Check-in, check-out and break of a completed shift; shows the vendor's `errors` from the last send."""

    form_class = TimecardForm
    template_name = "shifts/timecard.html"

    def refusal(self) -> HttpResponse | None:
        if self.shift.status == ShiftRequest.Status.COMPLETED:
            return None
        messages.error(self.request, "Timecards are entered once the shift is completed.")
        return HttpResponseRedirect(reverse("shifts:detail", args=[self.shift.pk]))

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(**delivery_context(self.shift), **kwargs)

    def form_valid(self, form: TimecardForm) -> HttpResponse:
        data = form.cleaned_data
        try:
            services.submit_timecard(
                self.shift, check_in=data["check_in"], check_out=data["check_out"], break_minutes=data["break_minutes"]
            )
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.form_invalid(form)
        sends_to = delivery_context(self.shift)["sends_to"]
        messages.success(
            self.request,
            f"Timecard saved; sending to {sends_to.name}." if sends_to else "Timecard saved in the portal.",
        )
        return HttpResponseRedirect(reverse("shifts:timecard", args=[self.shift.pk]))
