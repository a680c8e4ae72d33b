"""The client and facility lists: search words from the URL, a page by offset without counting, each row with its
latest push. Each list names itself in `site` (what the shared `jobs/site_list.html` shows)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.views.generic import TemplateView

from portal.core.htmx import HtmxTemplateMixin
from portal.core.paging import page_number
from portal.core.roles import RoleRequiredMixin
from portal.integrations import outbox
from portal.jobs.forms.facilities import SiteSearchForm

__all__ = ["PAGE_SIZE", "SiteListView", "paged"]

PAGE_SIZE = 50


def paged(request: HttpRequest, queryset: QuerySet, size: int = PAGE_SIZE) -> dict[str, Any]:
    """One page by offset, one row past it saying whether another follows: nothing is counted."""
    page = page_number(request)
    rows = list(queryset[(page - 1) * size : page * size + 1])
    query = request.GET.copy()
    query.pop("page", None)
    return {
        "rows": rows[:size],
        "page_number": page,
        "previous_page": page - 1,
        "next_page": page + 1 if len(rows) > size else None,
        "filter_query": query.urlencode(),
    }


class SiteListView(RoleRequiredMixin, HtmxTemplateMixin, TemplateView):
    """A client or facility list: the search's words from the URL, a page without counting, each row with its
    latest push (one query for the page). `site` names the list; `matching` narrows and orders the rows."""

    template_name = "jobs/site_list.html"
    site: dict[str, str] = {}

    def matching(self, words: list[str]) -> QuerySet:
        raise NotImplementedError

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        search = SiteSearchForm(self.request.GET)
        page = paged(self.request, self.matching(search.words()))
        rows = page.pop("rows")
        pushes = outbox.delivery_states(rows)
        for row in rows:
            row.push = pushes.get(row.pk)
        context = {"search": search, "searched": bool(search.words()), "site": self.site, self.site["list_id"]: rows}
        return super().get_context_data(**context, **page, **kwargs)
