"""Today over REST, in the requesting user's zone."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from portal.dashboard.api.serializers import TodaySerializer
from portal.dashboard.figures import today_figures
from portal.dashboard.preferences import coordinator_zone
from portal.dashboard.vendor_health import vendor_health

__all__ = ["TodayApiView"]


class TodayApiView(APIView):
    """The figures of the home page ("Today"), each with the page that lists its records."""

    @extend_schema(responses=TodaySerializer, operation_id="dashboard_today")
    def get(self, request):
        figures = today_figures(coordinator_zone(request.user))
        figures.vendor_health = vendor_health()
        return Response(TodaySerializer(figures).data)
