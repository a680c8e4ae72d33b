"""The exceptions queue of the three-way match (issue 20): `/billing/reconciliation/`, for coordinators.

A period in the URL (local days of the agency, at most 62) and an optional problem; counts per problem over the
whole period, the first `SHOWN` exceptions listed with their sources side by side, in a fixed number of queries.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.views.generic import TemplateView

from portal.billing.forms import period_from_query
from portal.billing.reconciliation import Problem, reconcile
from portal.core.roles import RoleRequiredMixin
from portal.core.timezones import agency_zone, local_midnight

__all__ = ["SHOWN", "ReconciliationView"]

SHOWN = 200


class ReconciliationView(RoleRequiredMixin, TemplateView):
    template_name = "billing/reconciliation.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        form, first, last = period_from_query(self.request.GET)
        zone = agency_zone()
        since = local_midnight(first, zone)
        until = local_midnight(last + dt.timedelta(days=1), zone)
        problem = self.request.GET.get("problem", "")
        problem = problem if problem in Problem.values else ""
        result = reconcile(since, until, keep=SHOWN, only=problem)
        return super().get_context_data(
            form=form,
            first=first,
            last=last,
            problems=[(value, label, result.counts[value]) for value, label in Problem.choices],
            chosen_problem=problem,
            exceptions=result.exceptions,
            more=result.listable - len(result.exceptions),
            **kwargs,
        )
