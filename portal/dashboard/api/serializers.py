"""How Today's figures look in `/api/v1/dashboard/`: each count with `href`, the page listing its records."""

from __future__ import annotations

from rest_framework import serializers

__all__ = ["TodaySerializer"]


class FigureSerializer(serializers.Serializer):
    value = serializers.IntegerField()
    href = serializers.CharField(help_text="The portal page listing the records counted.")


class FacilityShiftsSerializer(serializers.Serializer):
    facility_id = serializers.IntegerField()
    facility = serializers.CharField()
    open = FigureSerializer()
    urgent = FigureSerializer(help_text="Of those, starting within 12 hours.")
    portal_only = serializers.IntegerField(help_text="Of those, not sent to any vendor.")


class FillRateSerializer(serializers.Serializer):
    days = serializers.IntegerField()
    requested = FigureSerializer(help_text="Shifts that started in the window, cancellations excluded.")
    filled = FigureSerializer(help_text="Of those, filled or completed.")
    cancelled = FigureSerializer()
    rate = serializers.FloatField(allow_null=True, help_text="filled / requested, in percent.")


class DayFillSerializer(serializers.Serializer):
    day = serializers.DateField()
    requested = serializers.IntegerField()
    filled = serializers.IntegerField()
    cancelled = serializers.IntegerField()
    rate = serializers.FloatField(allow_null=True)


class CurrencyWaitingSerializer(serializers.Serializer):
    currency = serializers.CharField()
    count = FigureSerializer()
    amount = serializers.DecimalField(max_digits=14, decimal_places=2)
    oldest = serializers.DateTimeField()
    oldest_href = serializers.CharField()


class ConnectionHealthSerializer(serializers.Serializer):
    pk = serializers.IntegerField()
    name = serializers.CharField()
    vendor = serializers.CharField()
    last_sync_status = serializers.CharField()
    last_success = serializers.DictField(child=serializers.DateTimeField(), help_text="Resource -> last good sync.")
    deliveries_waiting = serializers.IntegerField()
    deliveries_failed = serializers.IntegerField()
    inbox_failed = serializers.IntegerField()


class TodaySerializer(serializers.Serializer):
    zone = serializers.CharField(help_text="The IANA zone the day is read in (the user's, else the agency's).")
    today = serializers.DateField()
    now = serializers.DateTimeField()
    open_shifts = FigureSerializer(help_text="Open shifts starting within 48 hours.")
    urgent_shifts = FigureSerializer(help_text="Open shifts starting within 12 hours.")
    shifts_by_facility = FacilityShiftsSerializer(many=True)
    visits_without_caregiver_today = FigureSerializer()
    visits_without_caregiver_tomorrow = FigureSerializer()
    fill_rates = FillRateSerializer(many=True)
    fill_trend = DayFillSerializer(many=True)
    median_time_to_fill_seconds = serializers.SerializerMethodField()
    approvals = CurrencyWaitingSerializer(many=True)
    engagements_starting = FigureSerializer(help_text="Not complete, starting within 30 days.")
    engagements_ending = FigureSerializer(help_text="Not complete, ending within 30 days.")
    idle_requisitions = FigureSerializer(help_text="Open, no candidate activity for 5 days.")
    credentials_expired = FigureSerializer()
    credentials_expiring = FigureSerializer(help_text="Expiring within 30 days, of people with work ahead.")
    findings_blocking = FigureSerializer(help_text="The gate's open findings that block, of work not yet over.")
    findings_warning = FigureSerializer(help_text="The gate's open findings that warn, of work not yet over.")
    vendor_health = ConnectionHealthSerializer(many=True)

    def get_median_time_to_fill_seconds(self, figures) -> int | None:
        median = figures.median_time_to_fill
        return None if median is None else round(median.total_seconds())
