"""The who-is-who review queue (`/talent/duplicates/`, Coordinator role): suggested pairs best first, each
with a preview of what would move either way; merge, reject for good, and undo a merge. Never automatic."""

from __future__ import annotations

from typing import Any

from celery import current_app
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.views import View
from django.views.generic import TemplateView

from portal.core.roles import RoleRequiredMixin
from portal.gate import merges
from portal.gate.models import DuplicateSuggestion, Merge

__all__ = ["DuplicateListView", "DuplicateReviewView", "RefreshDuplicatesView", "UnmergeView"]

PAGE_SIZE = 50
SUGGEST_DUPLICATES = "gate.suggest_duplicates"


class DuplicateListView(RoleRequiredMixin, TemplateView):
    """Open suggestions, best first (one query), and the latest merges, which can be undone (one query)."""

    template_name = "gate/duplicates.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        suggestions = DuplicateSuggestion.objects.filter(state=DuplicateSuggestion.State.OPEN)
        recent = Merge.objects.filter(undone_at__isnull=True).select_related("kept", "merged", "by")
        return super().get_context_data(
            suggestions=list(suggestions.select_related("first", "second")[:PAGE_SIZE]),
            merges=list(recent[:20]),
            **kwargs,
        )


class DuplicateReviewView(RoleRequiredMixin, TemplateView):
    """Both people side by side, what moves if either is kept, and the decision."""

    template_name = "gate/duplicate_review.html"

    def suggestion(self) -> DuplicateSuggestion:
        return get_object_or_404(DuplicateSuggestion.objects.select_related("first", "second"), pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        suggestion = self.suggestion()
        first, second = suggestion.first, suggestion.second
        return super().get_context_data(
            suggestion=suggestion,
            sides=[
                {"keep": first, "merge": second, "moves": merges.preview(second, first)},
                {"keep": second, "merge": first, "moves": merges.preview(first, second)},
            ],
            **kwargs,
        )

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        suggestion = self.suggestion()
        if suggestion.state not in (DuplicateSuggestion.State.OPEN, DuplicateSuggestion.State.UNMERGED):
            messages.error(request, f"This suggestion is already {suggestion.get_state_display().lower()}.")
            return HttpResponseRedirect(reverse("gate:duplicates"))
        try:
            if request.POST.get("decision") == "reject":
                merges.reject(suggestion, request.user)
                messages.success(request, f"{suggestion.first} and {suggestion.second}: not the same person.")
            else:
                keep = {str(suggestion.first_id): suggestion.first, str(suggestion.second_id): suggestion.second}
                kept = keep.get(request.POST.get("keep", ""))
                if kept is None:
                    raise ValidationError("Choose whom to keep.")
                done = merges.merge(suggestion, kept, request.user)
                messages.success(request, f"Merged {done.merged} into {done.kept}.")
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return HttpResponseRedirect(reverse("gate:duplicate", args=[pk]))
        return HttpResponseRedirect(reverse("gate:duplicates"))


class UnmergeView(RoleRequiredMixin, View):
    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        done = get_object_or_404(Merge.objects.select_related("kept", "merged", "suggestion"), pk=pk)
        try:
            merges.unmerge(done, request.user)
            messages.success(request, f"Undone: {done.merged} is their own person again.")
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return HttpResponseRedirect(reverse("gate:duplicates"))


class RefreshDuplicatesView(RoleRequiredMixin, View):
    """Look for new suggestions now (on the worker; the page shows them once it is done)."""

    def post(self, request: HttpRequest) -> HttpResponse:
        current_app.send_task(SUGGEST_DUPLICATES)
        messages.success(request, "Looking for people held twice; new suggestions appear here in a minute.")
        return HttpResponseRedirect(reverse("gate:duplicates"))
