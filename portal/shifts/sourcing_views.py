""" "Find on <vendor>" for an unfilled shift (issue 22): search a vendor's specialists with criteria taken from the
shift, view a person (the page says first whether that costs), and book a slot. Searches and views are the
vendor's synchronous reads through its registered channel (`sourcing`); a booking leaves as a domain signal the
vendor turns into an outbox row, so it survives a worker crash and is never sent twice.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.functional import cached_property
from django.views import View

from portal.integrations.models import VendorConnection
from portal.shifts import signals, sourcing
from portal.shifts.models import ShiftRequest
from portal.shifts.sourcing_forms import BookSlotForm, SourcingForm
from portal.shifts.views import ShiftObjectMixin
from portal.talent.models import TalentProfile

__all__ = ["BookSlotView", "FindView", "ViewPersonView"]


class SourcingMixin(ShiftObjectMixin):
    """An open shift and an active connection whose vendor offers a sourcing channel; anything else is refused."""

    @cached_property
    def shift(self) -> ShiftRequest:
        return self.get_shift()

    @cached_property
    def connection(self) -> VendorConnection:
        connection = get_object_or_404(VendorConnection, pk=self.kwargs["connection_pk"], is_active=True)
        if sourcing.channel_for(connection) is None:
            raise Http404("This connection's vendor offers no specialists to source from.")
        return connection

    @property
    def channel(self) -> sourcing.Channel:
        return sourcing.channel_for(self.connection)

    def refusal(self) -> HttpResponse | None:
        if self.shift.status != ShiftRequest.Status.OPEN:
            messages.error(self.request, "Only an open shift is sourced: this one is not open.")
            return HttpResponseRedirect(reverse("shifts:detail", args=[self.shift.pk]))
        return None

    def context(self, **extra: Any) -> dict[str, Any]:
        return {"shift": self.shift, "connection": self.connection, **extra}


class FindView(SourcingMixin, View):
    """GET: the form prefilled from the shift. POST (HTMX): the search, its results or the vendor's refusal."""

    def get(self, request, pk: int, connection_pk: int) -> HttpResponse:
        refused = self.refusal()
        if refused:
            return refused
        initial = SourcingForm.initial_from(sourcing.criteria_for(self.shift))
        form = SourcingForm(initial=initial, zone=str(self.shift.zone))
        cost = self.channel.search_cost(self.connection)
        return TemplateResponse(request, "shifts/source.html", self.context(form=form, search_cost=cost))

    def post(self, request, pk: int, connection_pk: int) -> HttpResponse:
        refused = self.refusal()
        if refused:
            return refused
        form = SourcingForm(request.POST, zone=str(self.shift.zone))
        context = self.context(form=form)
        if form.is_valid():
            try:
                context["offers"] = self.channel.search(self.connection, form.criteria())
                context["view_cost"] = self.channel.view_cost(self.connection)
            except sourcing.SourcingRefused as refusal:
                context["refusal"] = str(refusal)
        return TemplateResponse(request, "shifts/htmx/source_results.html", context)


class ViewPersonView(SourcingMixin, View):
    """POST, because the vendor may bill the view: the person's contact, and whether the portal knows them."""

    def post(self, request, pk: int, connection_pk: int, person: int) -> HttpResponse:
        refused = self.refusal()
        if refused:
            return refused
        context = self.context()
        try:
            found = self.channel.view(self.connection, person)
            context["person"] = found
            if found.email:
                context["known"] = TalentProfile.objects.filter(email__iexact=found.email).first()
        except sourcing.SourcingRefused as refusal:
            context["refusal"] = str(refusal)
        return TemplateResponse(request, "shifts/htmx/source_person.html", context)


class BookSlotView(SourcingMixin, View):
    """Queue the booking of the picked slot (the vendor's receiver writes one outbox row per slot), then back to
    the shift, whose delivery panel follows the booking."""

    def post(self, request, pk: int, connection_pk: int) -> HttpResponse:
        refused = self.refusal()
        if refused:
            return refused
        form = BookSlotForm(request.POST)
        if not form.is_valid():
            messages.error(request, "That slot could not be read; search again and pick it from the results.")
            return HttpResponseRedirect(reverse("shifts:find", args=[pk, connection_pk]))
        data = form.cleaned_data
        with transaction.atomic():
            signals.slot_booking_requested.send(
                sender=ShiftRequest,
                shift=self.shift,
                connection=self.connection,
                schedule=data["schedule"],
                start=data["start"],
                person=data["person"],
                name=data["name"],
            )
        messages.success(request, f"Booking {data['name']} on {self.connection.name}: follow it under Delivery.")
        return HttpResponseRedirect(reverse("shifts:detail", args=[pk]))
