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

__all__ = ["SHOWN_SHIFTS", "RatesView"]

SHOWN_SHIFTS = 200  # the totals cover every shift of the period; the table shows the first ones


class RatesView(RoleRequiredMixin, TemplateView):
    template_name = "billing/rates/rates.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        form, first, last = period_from_query(self.request.GET)
        group = self.request.GET.get("group") if self.request.GET.get("group") in GROUPS else "client"
        step = self.request.GET.get("step") if self.request.GET.get("step") in STEPS else "week"
        margin = period_margin(first, last)
        cards = RateCard.objects.filter(Q(effective_to__isnull=True) | Q(effective_to__gte=first)).select_related(
            "client", "facility"
        )
        return super().get_context_data(
            form=form,
            first=first,
            last=last,
            cards=cards,
            margin=margin,
            summary=summarize(margin, group, step),
            groups=GROUPS.items(),
            steps=STEPS.items(),
            chosen_group=group,
            chosen_step=step,
            shifts=margin.shifts[:SHOWN_SHIFTS],
            more_shifts=max(0, len(margin.shifts) - SHOWN_SHIFTS),
            **kwargs,
        )
