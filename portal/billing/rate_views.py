"""Rate cards and the margin they make on a period's worked hours (issue 20), for coordinators.

The period is in the URL (`first`, `last`, local days; `forms.PeriodForm`), at most 62 days so the hours engine
reads a bounded set of timecards; the page costs the same number of queries whatever the number of shifts in it.
The summary sums the margin per client or facility (`group`) and per week or month (`step`), also in the URL.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.views.generic import TemplateView

from portal.billing.forms import period_from_query
from portal.billing.margins import GROUPS, STEPS, summarize
from portal.billing.models import RateCard
from portal.billing.rates import period_margin
from portal.core.roles import RoleRequiredMixin

__all__ = ["SHOWN_SHIFTS", "RatesView", "margin_context"]

SHOWN_SHIFTS = 200  # the totals cover every shift of the period; the table shows the first ones


def margin_context(query) -> dict[str, Any]:
    """The period of `query`, its margin and the summary it asks for: the rates page's and the admin's."""
    form, first, last = period_from_query(query)
    group = query.get("group") if query.get("group") in GROUPS else "client"
    step = query.get("step") if query.get("step") in STEPS else "week"
    margin = period_margin(first, last)
    return {
        "form": form,
        "first": first,
        "last": last,
        "margin": margin,
        "summary": summarize(margin, group, step),
        "groups": GROUPS.items(),
        "steps": STEPS.items(),
        "chosen_group": group,
        "chosen_step": step,
    }


class RatesView(RoleRequiredMixin, TemplateView):
    template_name = "billing/rates/rates.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = margin_context(self.request.GET)
        cards = RateCard.objects.filter(Q(effective_to__isnull=True) | Q(effective_to__gte=context["first"]))
        shifts = context["margin"].shifts
        return super().get_context_data(
            **context,
            cards=cards.select_related("client", "facility"),
            shifts=shifts[:SHOWN_SHIFTS],
            more_shifts=max(0, len(shifts) - SHOWN_SHIFTS),
            **kwargs,
        )
