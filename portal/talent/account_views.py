"""Adding a person to an account that does not know them yet ("Add to Kamana", issue 24), on their timeline page.

The panel holds the form and the state of each request to add them; it polls while one is under way, and once all
have settled it answers 286 with the relationships table out of band, so the new relationship appears with the
status the vendor gave it.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views import View

from portal.core.htmx import stop_polling
from portal.core.roles import RoleRequiredMixin
from portal.core.timezones import user_zone
from portal.integrations import outbox
from portal.talent.accounts import ADD_OPERATION, add_to_account
from portal.talent.forms import AddToAccountForm
from portal.talent.models import TalentProfile
from portal.talent.relationships import current_relationships, known_to

__all__ = ["AddToAccountView", "add_to_account_context"]

IN_FLIGHT = ("pending", "sending")


def add_to_account_context(profile: TalentProfile, form: AddToAccountForm | None = None) -> dict[str, Any]:
    requests = [row for row in outbox.requests_about(profile) if row.operation == ADD_OPERATION]
    form = form or AddToAccountForm(instance=profile, prefix="add")
    return {
        "add_form": form if form.connections else None,
        "add_requests": requests,
        "adding": any(row.state in IN_FLIGHT for row in requests),
    }


class AddToAccountView(RoleRequiredMixin, View):
    template_name = "talent/htmx/add_to_account.html"

    def _panel(self, request: HttpRequest, profile: TalentProfile, form: AddToAccountForm | None = None):
        context = {"profile": profile, **add_to_account_context(profile, form)}
        if not context["adding"]:
            context["relationships"] = current_relationships(profile, user_zone(request.user))
            context["time_zone"] = user_zone(request.user).key
            context["references"] = known_to(profile)
        return context

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        profile = get_object_or_404(TalentProfile, pk=pk)
        context = self._panel(request, profile)
        response = TemplateResponse(request, self.template_name, {**context, "oob": not context["adding"]})
        if context["adding"]:
            return response
        response.render()
        return stop_polling(response)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        profile = get_object_or_404(TalentProfile, pk=pk)
        form = AddToAccountForm(request.POST, instance=profile, prefix="add")
        if form.is_valid():
            try:
                row = add_to_account(form.save(), form.cleaned_data["connection"], by=request.user)
            except ValidationError as refused:
                form.add_error(None, refused.messages)
            else:
                where = row.connection.name if row is not None else form.cleaned_data["connection"].name
                messages.success(request, f"Adding {profile} to {where}: looked up by email first.")
                form = None
        if not request.htmx:
            if form is not None:
                messages.error(request, " ".join(m for errors in form.errors.values() for m in errors))
            return HttpResponseRedirect(reverse("talent:timeline", args=[pk]))
        return TemplateResponse(request, self.template_name, self._panel(request, profile, form))
