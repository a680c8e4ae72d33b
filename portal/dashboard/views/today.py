"""Today, the home page (issue 18 item 1): what needs the coordinator now, across every vendor, each figure a
link to the page that lists its records. A constant number of queries whatever the data's size."""

from __future__ import annotations

from typing import Any

from django.views.generic import TemplateView

from portal.core.roles import Role, RoleRequiredMixin, has_role
from portal.dashboard.charts import today_charts
from portal.dashboard.figures import today_figures
from portal.dashboard.preferences import coordinator_zone
from portal.dashboard.vendor_health import vendor_health

__all__ = ["TodayView"]


class TodayView(RoleRequiredMixin, TemplateView):
    template_name = "dashboard/today.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        figures = today_figures(coordinator_zone(self.request.user))
        figures.vendor_health = vendor_health()
        return super().get_context_data(
            figures=figures,
            charts=today_charts(figures),
            # Integrations pages are the Admin's; a coordinator sees the figures, not links they may not open.
            links_to_integrations=has_role(self.request.user, Role.ADMIN),
            **kwargs,
        )
