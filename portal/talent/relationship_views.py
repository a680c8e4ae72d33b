"""A person's account relationships on their timeline page (issue #5, Coordinator role): status, sub-status and
reason changed inline, do-not-hire set and lifted, and whether each change has reached the account's vendor.

Every action answers with the relationship's table row, which HTMX swaps in place. Saving the row is all a view
does: the vendor package's post_save receiver writes the outbox row in the same transaction, and the row shows that
request's state (queued, sent, or not sent with the vendor's error and a retry), polling while it is under way.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views import View

from portal.core.audit import audit_context
from portal.core.roles import RoleRequiredMixin
from portal.core.timezones import user_zone
from portal.integrations import outbox
from portal.talent import services
from portal.talent.forms import RelationshipStatusForm
from portal.talent.models import AccountRelationship
from portal.talent.relationships import relationship_rows

__all__ = ["DoNotHireView", "RelationshipRowView", "RelationshipStatusView", "RetryRelationshipPushView"]


class RelationshipMixin(RoleRequiredMixin):
    """The relationship in the URL, which must belong to the person in the URL (404 otherwise), so a coordinator
    cannot act on one person's account relationship through another person's page."""

    def get_relationship(self) -> AccountRelationship:
        return get_object_or_404(
            AccountRelationship.objects.select_related("connection", "profile"),
            pk=self.kwargs["relationship_pk"],
            profile_id=self.kwargs["pk"],
            archived_at__isnull=True,
        )

    def timeline_url(self) -> str:
        return reverse("talent:timeline", args=[self.kwargs["pk"]])

    def row(self, done: str = "") -> HttpResponse:
        """The relationship's row, read afresh with its pushes, for HTMX to swap in; a plain form post goes back
        to the person's page instead, saying what was `done`."""
        relationship = self.get_relationship()
        if not self.request.htmx:
            if done:
                messages.success(self.request, done)
            return HttpResponseRedirect(self.timeline_url())
        [relationship] = relationship_rows([relationship], user_zone(self.request.user))
        return TemplateResponse(self.request, "talent/htmx/relationship_row.html", {"relationship": relationship})


class RelationshipRowView(RelationshipMixin, View):
    """The row alone: what Cancel shows again, and what the row polls while a push is under way."""

    def get(self, request, pk: int, relationship_pk: int) -> HttpResponse:
        return self.row()


class RelationshipStatusView(RelationshipMixin, View):
    """GET: the row as a form (the full page when not HTMX); POST: save the move and answer with the row."""

    def render_form(self, form: RelationshipStatusForm) -> HttpResponse:
        template = (
            "talent/htmx/relationship_status_row.html" if self.request.htmx else "talent/relationship_status.html"
        )
        return TemplateResponse(self.request, template, {"form": form, "relationship": form.relationship})

    def get(self, request, pk: int, relationship_pk: int) -> HttpResponse:
        return self.render_form(RelationshipStatusForm(relationship=self.get_relationship()))

    def post(self, request, pk: int, relationship_pk: int) -> HttpResponse:
        relationship = self.get_relationship()
        form = RelationshipStatusForm(request.POST, relationship=relationship)
        if not form.is_valid():
            return self.render_form(form)
        try:
            with audit_context("user", user=request.user, detail="status changed on the person's page"):
                services.change_relationship_status(relationship, **form.changes())
        except ValidationError as exc:  # the status moved since the form was read, to one this move cannot leave
            form.add_error(None, exc)
            return self.render_form(form)
        return self.row("Status changed.")


class DoNotHireView(RelationshipMixin, View):
    """POST `do_not_hire=true|false`: the value to hold, not a toggle, so a repeated click changes nothing."""

    def post(self, request, pk: int, relationship_pk: int) -> HttpResponse:
        relationship = self.get_relationship()
        wanted = request.POST.get("do_not_hire") == "true"
        done = "Do-not-hire set" if wanted else "Do-not-hire lifted"
        with audit_context("user", user=request.user, detail=f"{done.lower()} on the person's page"):
            services.set_relationship_do_not_hire(relationship, wanted)
        return self.row(f"{done}.")


class RetryRelationshipPushView(RelationshipMixin, View):
    """The retry beside a push the vendor refused or that ran out of attempts: back to pending, sent now."""

    def post(self, request, pk: int, relationship_pk: int, request_pk: int) -> HttpResponse:
        relationship = self.get_relationship()
        row = next((row for row in outbox.requests_about(relationship) if row.pk == request_pk), None)
        if row is None:
            raise Http404("That push is not about this relationship.")
        outbox.retry_request(row)
        return self.row(f"Sending to {row.connection.name} again.")
