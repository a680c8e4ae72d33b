""" "Find on <vendor>" for an unfilled shift, an unfilled visit or an open requisition (issue 22): search a
vendor's specialists with criteria taken from the record, view a person (the page says first whether that costs),
and book a slot through the gate. Searches and views are the vendor's synchronous reads through its registered
channel (`sourcing`); a booking is written with its outbox row (`sourcing_bookings`), so it survives a worker
crash and is never sent twice; the record's page follows its state (`templatetags/sourcing.py`).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.functional import cached_property
from django.views import View

from portal.core.htmx import stop_polling
from portal.core.roles import RoleRequiredMixin
from portal.integrations.models import VendorConnection
from portal.shifts import sourcing
from portal.shifts.sourcing_bookings import book_slot
from portal.shifts.sourcing_forms import BookSlotForm, SourcingForm
from portal.shifts.sourcing_panel import panel_context
from portal.shifts.sourcing_records import Sourced, sourced
from portal.talent.assignment_gate import AssignmentRefused
from portal.talent.models import TalentProfile, TalentReference

__all__ = ["BookSlotView", "FindView", "SourcingPanelView", "ViewPersonView"]


class SourcingMixin(RoleRequiredMixin):
    """A record that may be sourced and an active connection whose vendor offers a sourcing channel; anything
    else is refused."""

    @cached_property
    def source(self) -> Sourced:
        return sourced(self.kwargs["kind"], self.kwargs["pk"])

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
        """A record that may not be sourced, or whose bookings fill it already, goes back to its page."""
        taken = "" if self.source.refusal else self.source.booked_already()
        if self.source.refusal or taken:
            messages.error(self.request, self.source.refusal or "A booking of this record is pending or confirmed.")
            return HttpResponseRedirect(self.source.detail_url)
        return None

    def context(self, **extra: Any) -> dict[str, Any]:
        return {"source": self.source, "record": self.source.record, "connection": self.connection, **extra}

    def url(self, name: str, *args: Any) -> str:
        return reverse(f"shifts:{name}", args=[self.source.kind, self.source.record.pk, self.connection.pk, *args])


class FindView(SourcingMixin, View):
    """GET: the form prefilled from the record. POST (HTMX): the search, its results or the vendor's refusal."""

    def get(self, request, kind: str, pk: int, connection_pk: int) -> HttpResponse:
        refused = self.refusal()
        if refused:
            return refused
        form = SourcingForm(initial=SourcingForm.initial_from(self.source.criteria()), zone=self.source.zone)
        cost = self.channel.search_cost(self.connection)
        return TemplateResponse(request, "shifts/source.html", self.context(form=form, search_cost=cost))

    def post(self, request, kind: str, pk: int, connection_pk: int) -> HttpResponse:
        refused = self.refusal()
        if refused:
            return refused
        form = SourcingForm(request.POST, zone=self.source.zone)
        context = self.context(form=form)
        if form.is_valid():
            try:
                offers = self.channel.search(self.connection, form.criteria())
                context["view_cost"] = self.channel.view_cost(self.connection)
            except sourcing.SourcingRefused as refusal:
                context["refusal"] = str(refusal)
            else:
                known = self.known_people(offers)
                context["rows"] = [(offer, known.get(offer.person)) for offer in offers]
        return TemplateResponse(request, "shifts/htmx/source_results.html", context)

    def known_people(self, offers: list[sourcing.Offer]) -> dict[int, TalentProfile]:
        """Who of the offers the portal knows already by the vendor's id (one query); anyone else shows as known
        once their profile is viewed, by the same e-mail."""
        ids = [str(offer.person) for offer in offers]
        references = TalentReference.objects.filter(connection=self.connection, external_id__in=ids)
        return {int(ref.external_id): ref.profile for ref in references.select_related("profile")}


class ViewPersonView(SourcingMixin, View):
    """POST, because the vendor may bill the view: the person's contact, and whether the portal knows them."""

    def post(self, request, kind: str, pk: int, connection_pk: int, person: int) -> HttpResponse:
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
    """Book the picked slot through the gate: a block lists its reasons, warnings ask for a reason to go on, the
    vendor's refusal to show the person (an empty wallet) is said on the form; once queued, back to the record,
    whose page follows the booking."""

    def post(self, request, kind: str, pk: int, connection_pk: int) -> HttpResponse:
        refused = self.refusal()
        if refused:
            return refused
        form = BookSlotForm(request.POST)
        if not form.is_valid():
            messages.error(request, "That slot could not be read; search again and pick it from the results.")
            return HttpResponseRedirect(self.url("find"))
        context = self.context(form=form, slot=form.slot(), name=form.cleaned_data["name"])
        try:
            booking = book_slot(
                self.source,
                self.connection,
                form.slot(),
                override_reason=form.cleaned_data["override_reason"],
                user=request.user,
            )
        except AssignmentRefused as gate:
            context.update(verdict=gate.verdict, refused=True)
        except (sourcing.SourcingRefused, ValidationError) as refusal:
            context["refusal"] = " ".join(getattr(refusal, "messages", [str(refusal)]))
        else:
            messages.success(request, f"Booking {booking.profile} on {self.connection.name}: its state shows below.")
            return HttpResponseRedirect(self.source.detail_url)
        return TemplateResponse(request, "shifts/source_book.html", context, status=200)


class SourcingPanelView(RoleRequiredMixin, View):
    """The record's sourcing panel, polled while a booking is pending; 286 stops the polling once none is."""

    def get(self, request, kind: str, pk: int) -> HttpResponse:
        context = panel_context(sourced(kind, pk))
        response = TemplateResponse(request, "shifts/htmx/sourcing_panel.html", context)
        if not context["pending"]:
            response.render()
            return stop_polling(response)
        return response
