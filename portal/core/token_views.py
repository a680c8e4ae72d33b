"""The API tokens page: a user allowed to hold tokens lists their own, creates one (shown once, on the answer
to that POST, never stored or cached) and revokes one. Only the user's own tokens are ever looked up."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.views import View

from portal.core.api.tokens import (
    MAX_LIFETIME_DAYS,
    TOKEN_HOLDER_ROLES,
    default_lifetime_days,
    issue_api_token,
    revoke_api_token,
)
from portal.core.models import ApiToken
from portal.core.roles import RoleRequiredMixin

__all__ = ["ApiTokensView", "RevokeApiTokenView"]


class NewApiTokenForm(forms.Form):
    name = forms.CharField(max_length=100, required=False, help_text="What the token is for, e.g. “payroll export”.")
    lifetime_days = forms.IntegerField(
        label="Expires in (days)", min_value=1, max_value=MAX_LIFETIME_DAYS, initial=default_lifetime_days
    )


class ApiTokensView(RoleRequiredMixin, View):
    roles = TOKEN_HOLDER_ROLES

    def get(self, request: HttpRequest) -> HttpResponse:
        return self._page(request, NewApiTokenForm())

    def post(self, request: HttpRequest) -> HttpResponse:
        form = NewApiTokenForm(request.POST)
        if not form.is_valid():
            return self._page(request, form, status=400)
        row, token = issue_api_token(
            request.user, name=form.cleaned_data["name"], lifetime_days=form.cleaned_data["lifetime_days"]
        )
        return self._page(request, NewApiTokenForm(), new_token=token, new_row=row, status=201)

    def _page(self, request: HttpRequest, form: NewApiTokenForm, status: int = 200, **extra) -> HttpResponse:
        tokens = ApiToken.objects.filter(user=request.user).order_by("-created")
        response = render(request, "core/api_tokens.html", {"form": form, "tokens": tokens, **extra}, status=status)
        add_never_cache_headers(response)
        return response


class RevokeApiTokenView(RoleRequiredMixin, View):
    roles = TOKEN_HOLDER_ROLES

    def post(self, request: HttpRequest) -> HttpResponse:
        if not revoke_api_token(request.user, request.POST.get("token", "")):
            raise Http404("No such token of yours.")
        messages.success(request, "Token revoked: it no longer opens the API.")
        return HttpResponseRedirect(reverse("api-tokens"))
