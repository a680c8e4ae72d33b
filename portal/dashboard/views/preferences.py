"""The coordinator's own settings for Today: their zone, the daily digest, and their calendar feed URLs (shown
only here, to their owner; "Revoke" makes every URL handed out before stop working)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.db.models import F
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views import View
from django.views.decorators.csrf import csrf_exempt
from django.views.generic import FormView

from portal.core.roles import RoleRequiredMixin
from portal.dashboard.forms import PreferencesForm
from portal.dashboard.models import CoordinatorPreferences
from portal.dashboard.preferences import preferences_of
from portal.dashboard.signing import feed_token, user_of_unsubscribe_token

__all__ = ["PreferencesView", "RevokeFeedsView", "feed_url", "unsubscribe"]


def feed_url(request: HttpRequest, query: str = "") -> str:
    """The absolute feed URL of the signed-in user, narrowed by `query` (person=, facility=)."""
    path = reverse("dashboard:calendar-feed", args=[feed_token(request.user)])
    return request.build_absolute_uri(f"{path}?{query}" if query else path)


class PreferencesView(RoleRequiredMixin, FormView):
    form_class = PreferencesForm
    template_name = "dashboard/preferences.html"

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "instance": preferences_of(self.request.user)}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(feed_url=feed_url(self.request), **kwargs)

    def form_valid(self, form: PreferencesForm) -> HttpResponse:
        form.save()
        messages.success(self.request, "Saved.")
        return HttpResponseRedirect(reverse("dashboard:preferences"))


class RevokeFeedsView(RoleRequiredMixin, View):
    def post(self, request: HttpRequest) -> HttpResponse:
        preferences, _ = CoordinatorPreferences.objects.get_or_create(user=request.user)
        CoordinatorPreferences.objects.filter(pk=preferences.pk).update(feed_generation=F("feed_generation") + 1)
        request.user.__dict__.pop("_dashboard_preferences", None)
        messages.success(request, "Every calendar feed URL you had is revoked; the one below is new.")
        return HttpResponseRedirect(reverse("dashboard:preferences"))


@login_not_required
@csrf_exempt  # the signed token is the proof; mail clients POST here without a session (RFC 8058 one-click)
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """One click from the digest, no sign-in: the digest stops. Answering GET too is deliberate (the link in the
    mail); it only ever turns the digest off, so a prefetching scanner can do no worse."""
    user = user_of_unsubscribe_token(token)
    if user is None:
        raise Http404("No such subscription.")
    CoordinatorPreferences.objects.update_or_create(user=user, defaults={"digest_opt_in": False})
    return render(request, "dashboard/unsubscribed.html", {"subscriber": user})
