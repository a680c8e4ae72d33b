"""How shift records look in `/api/v1/`: UTC instants plus the facility-local times they mean."""

from __future__ import annotations

from rest_framework import serializers

from portal.core.api.serializers import VENDOR_RECORD_FIELDS, LocalDateTimeField, ModelCleanMixin
from portal.shifts.models import RecurringVisitGroup, ShiftRequest, Timecard, Visit

__all__ = [
    "LocalDateTimeField",
    "ModelCleanMixin",
    "OccurrenceSerializer",
    "RecurringVisitGroupSerializer",
    "ShiftRequestSerializer",
    "TimecardSerializer",
    "VisitSerializer",
]


class ShiftRequestSerializer(ModelCleanMixin, serializers.ModelSerializer):
    facility_name = serializers.CharField(source="facility.name", read_only=True)
    local_starts_at = LocalDateTimeField(help_text="Start on the facility's wall clock.")
    local_ends_at = LocalDateTimeField(help_text="End on the facility's wall clock.")

    class Meta:
        model = ShiftRequest
        fields = [
            "id",
            "external_shift_id",
            "facility",
            "facility_name",
            "unit",
            "professional_type",
            "starts_at",
            "ends_at",
            "time_zone",
            "local_starts_at",
            "local_ends_at",
            "boost_percentage",
            "status",
            "assigned_professional",
            "status_changed_at",
            "source",
            *VENDOR_RECORD_FIELDS,
        ]
        read_only_fields = [
            "external_shift_id",
            "time_zone",
            "assigned_professional",
            "status_changed_at",
            *VENDOR_RECORD_FIELDS,
        ]

    def validate_status(self, value: str) -> str:
        if self.instance is None and value != ShiftRequest.Status.OPEN:
            raise serializers.ValidationError("A new shift starts open; the vendor fills it.")
        return value


class TimecardSerializer(serializers.ModelSerializer):
    worked_minutes = serializers.IntegerField(read_only=True, allow_null=True)

    class Meta:
        model = Timecard
        fields = [
            "id",
            "shift",
            "visit",
            "professional",
            "check_in",
            "check_out",
            "break_minutes",
            "worked_minutes",
            "pay_rate",
            "pay_total",
            "bill_rate",
            "bill_total",
            "currency",
            "vendor_errors",
            *VENDOR_RECORD_FIELDS,
        ]


class VisitSerializer(serializers.ModelSerializer):
    local_starts_at = LocalDateTimeField(help_text="Start on the visit's wall clock.")
    local_ends_at = LocalDateTimeField(help_text="End on the visit's wall clock.")

    class Meta:
        model = Visit
        fields = [
            "id",
            "group",
            "client",
            "patient",
            "caregiver",
            "service_name",
            "address",
            "starts_at",
            "ends_at",
            "time_zone",
            "local_starts_at",
            "local_ends_at",
            "status",
            "pay_rate",
            "bill_rate",
            "currency",
            "stat_holiday",
            "notes",
            *VENDOR_RECORD_FIELDS,
        ]


class RecurringVisitGroupSerializer(serializers.ModelSerializer):
    rule_text = serializers.CharField(read_only=True, help_text="The rule in RFC 5545 RRULE notation.")

    class Meta:
        model = RecurringVisitGroup
        fields = [
            "id",
            "client",
            "patient",
            "caregiver",
            "service_name",
            "time_zone",
            "starts_at",
            "ends_at",
            "freq",
            "interval",
            "byweekday",
            "bymonthday",
            "count",
            "until",
            "wkst",
            "rule_text",
            *VENDOR_RECORD_FIELDS,
        ]


class OccurrenceSerializer(serializers.Serializer):
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
