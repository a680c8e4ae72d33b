"""Shift resources. Staff create and edit shift requests (the vendor fills them); visits, recurring groups and
timecards come from vendors and are read here."""

from __future__ import annotations

from django.utils.dateparse import parse_datetime
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from portal.shifts.api import filters, serializers
from portal.shifts.models import RecurringVisitGroup, ShiftRequest, Timecard, Visit

__all__ = ["RecurringVisitGroupViewSet", "ShiftRequestViewSet", "TimecardViewSet", "VisitViewSet"]

MAX_OCCURRENCE_WINDOW_DAYS = 366


class ShiftRequestViewSet(mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Create a shift (it starts open) or change it; a status move outside open -> filled -> completed, or to
    cancelled, is refused with 400."""

    queryset = ShiftRequest.objects.select_related("facility")
    serializer_class = serializers.ShiftRequestSerializer
    filterset_class = filters.ShiftRequestFilter
    ordering_fields = ["id", "starts_at"]


class TimecardViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Timecard.objects.all()
    serializer_class = serializers.TimecardSerializer
    filterset_class = filters.TimecardFilter
    ordering_fields = ["id", "check_in"]


class VisitViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Visit.objects.all()
    serializer_class = serializers.VisitSerializer
    filterset_class = filters.VisitFilter
    ordering_fields = ["id", "starts_at"]


class RecurringVisitGroupViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = RecurringVisitGroup.objects.all()
    serializer_class = serializers.RecurringVisitGroupSerializer
    filterset_fields = ["client", "patient", "caregiver", "freq", "connection", "external_id"]
    ordering_fields = ["id", "starts_at"]

    @extend_schema(
        parameters=[
            OpenApiParameter("after", OpenApiTypes.DATETIME, required=True),
            OpenApiParameter("before", OpenApiTypes.DATETIME, required=True),
        ],
        responses=serializers.OccurrenceSerializer(many=True),
    )
    @action(detail=True, pagination_class=None, filter_backends=[])
    def occurrences(self, request, pk=None):
        """The group's visits starting between `after` and `before` (at most a year), expanded from its rule."""
        window = [_aware(request.query_params.get(name), name) for name in ("after", "before")]
        if window[1] <= window[0] or (window[1] - window[0]).days > MAX_OCCURRENCE_WINDOW_DAYS:
            raise ValidationError({"before": "Must be after `after`, at most a year later."})
        occurrences = self.get_object().occurrences((window[0], window[1]))
        return Response(serializers.OccurrenceSerializer(occurrences, many=True).data)


def _aware(value: str | None, name: str):
    parsed = parse_datetime(value or "") if value else None
    if parsed is None or parsed.tzinfo is None:
        raise ValidationError({name: "An ISO 8601 date-time with an offset, e.g. 2026-03-01T00:00Z."})
    return parsed
