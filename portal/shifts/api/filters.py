"""URL filters of the shifts API: a day's shifts at a facility, by status and professional type."""

from __future__ import annotations

import django_filters

from portal.shifts.models import ShiftRequest, Timecard, Visit

__all__ = ["ShiftRequestFilter", "TimecardFilter", "VisitFilter"]


class ShiftRequestFilter(django_filters.FilterSet):
    starts_after = django_filters.IsoDateTimeFilter(field_name="starts_at", lookup_expr="gte")
    starts_before = django_filters.IsoDateTimeFilter(field_name="starts_at", lookup_expr="lt")

    class Meta:
        model = ShiftRequest
        fields = [
            "facility",
            "unit",
            "professional_type",
            "status",
            "assigned_professional",
            "external_shift_id",
            "connection",
            "external_id",
        ]


class VisitFilter(django_filters.FilterSet):
    starts_after = django_filters.IsoDateTimeFilter(field_name="starts_at", lookup_expr="gte")
    starts_before = django_filters.IsoDateTimeFilter(field_name="starts_at", lookup_expr="lt")

    class Meta:
        model = Visit
        fields = ["group", "client", "patient", "caregiver", "status", "connection", "external_id"]


class TimecardFilter(django_filters.FilterSet):
    class Meta:
        model = Timecard
        fields = ["shift", "visit", "professional", "connection", "external_id"]
