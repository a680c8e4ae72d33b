"""The talent pages (Coordinator role): search people by name or email, and one person's merged timeline.

Both serve the full page and their HTMX partial from one view. Lists page without counting: one row past the
page says whether another follows; the timeline pages by a keyset cursor (`before`), loaded on scroll.
"""

from __future__ import annotations

from typing import Any

from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.http import urlencode
from django.views.generic import TemplateView

from portal.core.htmx import HtmxTemplateMixin
from portal.core.paging import page_number
from portal.core.roles import RoleRequiredMixin
from portal.core.timezones import user_zone
from portal.talent.account_views import add_to_account_context
from portal.talent.forms import PeopleSearchForm, TimelineFilterForm
from portal.talent.models import OpportunityPreference, TalentProfile
from portal.talent.relationships import current_relationships, known_to
from portal.talent.timeline import build_timeline

__all__ = ["PeopleView", "TimelineView"]

PEOPLE_PAGE_SIZE = 50
TIMELINE_PAGE_SIZE = 50


class PeopleView(RoleRequiredMixin, HtmxTemplateMixin, TemplateView):
    template_name = "talent/people.html"
    htmx_template_name = "talent/htmx/people.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        search = PeopleSearchForm(self.request.GET or None)
        page = page_number(self.request)
        queryset = search.filter(TalentProfile.objects.order_by("last_name", "first_name", "id"))
        rows = list(queryset[(page - 1) * PEOPLE_PAGE_SIZE : page * PEOPLE_PAGE_SIZE + 1])
        query = self.request.GET.copy()
        query.pop("page", None)
        return super().get_context_data(
            search=search,
            people=rows[:PEOPLE_PAGE_SIZE],
            searched=bool(self.request.GET.get("q", "").strip()),
            page_number=page,
            previous_page=page - 1,
            next_page=page + 1 if len(rows) > PEOPLE_PAGE_SIZE else None,
            filter_query=query.urlencode(),
            **kwargs,
        )


def _flagged_records(profile: TalentProfile) -> list[Any]:
    """The person's vendor records whose last vendor data had unreadable values, for the page's notices."""
    return [
        *profile.references.exclude(vendor_problems={}),
        *profile.relationships.exclude(vendor_problems={}),
    ]


class TimelineView(RoleRequiredMixin, HtmxTemplateMixin, TemplateView):
    """The full page (the person, their account relationships, their history), the filtered history (HTMX, from
    the filter form) and each next page of it (HTMX, on scroll)."""

    template_name = "talent/timeline.html"
    htmx_template_name = "talent/htmx/timeline.html"

    def get_template_names(self) -> list[str]:
        if self.request.htmx and self.request.GET.get("before"):
            return ["talent/htmx/timeline_entries.html"]
        return super().get_template_names()

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        profile = get_object_or_404(TalentProfile, pk=self.kwargs["pk"])
        filters = TimelineFilterForm(self.request.GET)
        values = filters.values()
        timeline = build_timeline(profile, limit=TIMELINE_PAGE_SIZE, **values)
        zone = user_zone(self.request.user)
        shown = {"source": values["source"], "requisition": values["requisition"]}
        shown = {name: value for name, value in shown.items() if value}
        next_query = urlencode({**shown, "before": timeline.next_before.isoformat()}) if timeline.next_before else ""
        full_page = self.get_template_names() == [self.template_name]
        return super().get_context_data(
            profile=profile,
            relationships=current_relationships(profile, zone) if full_page else [],
            references=known_to(profile) if full_page else [],
            **(add_to_account_context(profile) if full_page else {}),
            preferences=opportunity_preferences(profile) if full_page else [],
            flagged_records=_flagged_records(profile) if full_page else [],
            filters=filters,
            filtered=bool(shown),
            entries=[(entry, timezone.localtime(entry.at, zone)) for entry in timeline.entries],
            next_query=next_query,
            time_zone=zone.key,
            **kwargs,
        )


def opportunity_preferences(profile: TalentProfile) -> list[OpportunityPreference]:
    """What the person told each vendor they are looking for (not archived), soonest start first. One query."""
    return list(
        OpportunityPreference.objects.filter(reference__profile=profile, archived_at__isnull=True)
        .select_related("reference__connection")
        .order_by("available_on", "id")
    )
