"""The shift pages (Coordinator role): the live board, create (single or pattern), edit, cancel, timecards.

Changes go through `services`, which announce them as domain signals; a vendor package turns them into outbox
rows. Each shift shows its delivery state from those rows (pending, sent, failed with the error and a retry).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse, HttpResponseRedirect, QueryDict
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.http import urlencode
from django.views import View
from django.views.generic import DetailView, FormView, TemplateView

from portal.core.htmx import HtmxTemplateMixin
from portal.core.paging import page_number
from portal.core.roles import RoleRequiredMixin
from portal.core.timezones import to_local
from portal.integrations import outbox
from portal.integrations.delivery import deliveries_of, delivery_panel, retry_shown
from portal.jobs.models import DEFAULT_TIME_ZONE
from portal.shifts import services
from portal.shifts.forms import BoardFilterForm, CancelShiftForm, ShiftCreateForm, ShiftEditForm, TimecardForm
from portal.shifts.models import ShiftRequest
from portal.talent import assignment_gate

__all__ = [
    "BoardView",
    "CancelShiftView",
    "DeliveryView",
    "RefusalMixin",
    "RetryDeliveryView",
    "ShiftCreateView",
    "ShiftDetailView",
    "ShiftEditView",
    "TimecardView",
    "gate_findings_context",
]

PAGE_SIZE = 100
Status = ShiftRequest.Status
EDITABLE = {Status.OPEN, Status.FILLED}


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


@dataclass
class DayCounts:
    """One board day's shifts that are to be worked (cancelled ones are not): open, filled (or done), fill %."""

    open: int = 0
    filled: int = 0

    @property
    def total(self) -> int:
        return self.open + self.filled

    @property
    def fill_percent(self) -> int:
        return round(100 * self.filled / self.total) if self.total else 0


def count_days(filters: BoardFilterForm, days: list[dt.date]) -> dict[dt.date, DayCounts]:
    """Counts for whole days (not just the page), by type and facility but whatever the status filters: one query
    of three columns, the local day worked out per shift as the page does."""
    counts = {day: DayCounts() for day in days}
    if not days:
        return counts
    rows = (
        filters.filter_days(filters.filter_kind(ShiftRequest.objects.all()), days[0], days[-1])
        .exclude(status=Status.CANCELLED)
        .values_list("starts_at", "time_zone", "status")
    )
    for starts_at, zone, status in rows:
        day = to_local(starts_at, zone or DEFAULT_TIME_ZONE).date()
        if day in counts:
            if status == Status.OPEN:
                counts[day].open += 1
            else:
                counts[day].filled += 1
    return counts


class BoardView(RoleRequiredMixin, HtmxTemplateMixin, TemplateView):
    """Shifts by day, from today in the coordinator's zone unless the URL names a day, with each day's counts.
    The partial polls itself every 2s, so a webhook's fill shows without a reload; its queries do not grow with
    the number of shifts (one page, related rows joined, deliveries and day counts in one query each)."""

    template_name = "shifts/board.html"
    htmx_template_name = "shifts/htmx/board.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        today = timezone.localdate()
        data = self.request.GET.copy()
        data.setdefault("date_from", today.isoformat())
        filters = BoardFilterForm(data)
        page = page_number(self.request)
        queryset = filters.filter(
            ShiftRequest.objects.select_related("facility", "assigned_professional"), timezone.now()
        )
        # One row past the page says whether there is a next page, without counting a million rows.
        rows = list(queryset.order_by("starts_at", "id")[(page - 1) * PAGE_SIZE : page * PAGE_SIZE + 1])
        shifts = [shift for shift in rows[:PAGE_SIZE] if filters.local_day_matches(shift)]
        deliveries = outbox.delivery_states(shifts)  # one query for the page
        for shift in shifts:
            shift.delivery = deliveries.get(shift.pk)
        days = group_by_day_and_unit(shifts)
        counts = count_days(filters, [day["day"] for day in days])
        for day in days:
            day["counts"], day["is_today"] = counts[day["day"]], day["day"] == today
        query = self.request.GET.copy()
        query.pop("page", None)
        return super().get_context_data(
            filters=filters,
            days=days,
            today=today,
            filtered=any(value for name, value in self.request.GET.items() if name != "page"),
            page_number=page,
            previous_page=page - 1,
            next_page=page + 1 if len(rows) > PAGE_SIZE else None,
            filter_query=query.urlencode(),
            earlier_query=_with(query, date_from=""),
            poll_url=self.request.get_full_path(),
            **kwargs,
        )


def _with(query: QueryDict, **values: str) -> str:
    changed = query.copy()
    for name, value in values.items():
        changed[name] = value
    return changed.urlencode()


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


class RefusalMixin:
    """A form page that some states of its record refuse (`refusal`: a redirect with the reason), checked after
    the role check (put it after `RoleRequiredMixin`)."""

    def refusal(self) -> HttpResponse | None:
        return None

    def get(self, request, *args: Any, **kwargs: Any) -> HttpResponse:
        return self.refusal() or super().get(request, *args, **kwargs)

    def post(self, request, *args: Any, **kwargs: Any) -> HttpResponse:
        return self.refusal() or super().post(request, *args, **kwargs)


class ShiftFormMixin(ShiftObjectMixin, RefusalMixin):
    """A form about one shift that some statuses refuse (`refusal`), checked after the role check."""

    @cached_property
    def shift(self) -> ShiftRequest:
        return self.get_shift()

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "shift": self.shift}


def delivery_context(shift: ShiftRequest) -> dict[str, Any]:
    """Every request of the shift and of its timecard, newest first, and whether any is still under way."""
    card = shift.timecards.first()
    connection = shift.connection if shift.connection_id else None
    return {"shift": shift, "timecard": card, **deliveries_of(connection, shift, *([card] if card else []))}


def gate_findings_context(about: tuple[str, int]) -> dict[str, Any]:
    """A record's open findings of the gate for `htmx/gate_findings.html`: one query, whatever their number."""
    return {
        "gate_findings": assignment_gate.open_findings(about),
        "gate_findings_about": assignment_gate.ref_text(about),
    }


class ShiftDetailView(ShiftObjectMixin, DetailView):
    template_name = "shifts/detail.html"

    def get_object(self, queryset=None) -> ShiftRequest:
        return self.get_shift()

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        cancelled = self.object.status == Status.CANCELLED
        return super().get_context_data(
            editable=self.object.status in EDITABLE,
            cancellation_reason=services.cancellation_reason(self.object) if cancelled else "",
            **delivery_context(self.object),
            **gate_findings_context(("shifts.shiftrequest", self.object.pk)),
            **kwargs,
        )


class DeliveryView(ShiftObjectMixin, View):
    """The delivery panel, polled while a request is under way; 286 stops the polling once all have settled."""

    def get(self, request, pk: int) -> HttpResponse:
        return delivery_panel(request, "shifts/htmx/delivery.html", delivery_context(self.get_shift()))


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


class CancelShiftView(ShiftFormMixin, FormView):
    """A confirmation page first: it names the booked professional and asks why (required for a filled shift);
    the reason is kept in the shift's audit history. Works as a plain form, without JavaScript."""

    form_class = CancelShiftForm
    template_name = "shifts/cancel.html"

    def refusal(self) -> HttpResponse | None:
        if self.shift.status in EDITABLE:
            return None
        messages.error(self.request, f"A {self.shift.get_status_display().lower()} shift cannot be cancelled.")
        return HttpResponseRedirect(reverse("shifts:detail", args=[self.shift.pk]))

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(shift=self.shift, **kwargs)

    def form_valid(self, form: CancelShiftForm) -> HttpResponse:
        try:
            services.cancel_shift_request(self.shift, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            messages.error(self.request, " ".join(exc.messages))
        else:
            messages.success(self.request, "Shift cancelled.")
        return HttpResponseRedirect(reverse("shifts:detail", args=[self.shift.pk]))


class RetryDeliveryView(ShiftObjectMixin, View):
    """The retry button beside a failed request: back to pending and dispatched now (the outbox retry)."""

    def post(self, request, pk: int, row_pk: int) -> HttpResponse:
        shown = delivery_context(self.get_shift())["deliveries"]
        return retry_shown(request, row_pk, shown, reverse("shifts:detail", args=[pk]))


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
