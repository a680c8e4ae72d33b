"""URL filters of the contracts API."""

from __future__ import annotations

import django_filters

from portal.contracts.models import CredentialingRequirement, Engagement

__all__ = ["CredentialingRequirementFilter", "EngagementFilter"]


class EngagementFilter(django_filters.FilterSet):
    starts_on_after = django_filters.DateFilter(field_name="starts_on", lookup_expr="gte")
    starts_on_before = django_filters.DateFilter(field_name="starts_on", lookup_expr="lte")

    class Meta:
        model = Engagement
        fields = ["talent", "job_requisition", "facility", "status", "sub_status", "connection", "external_id"]


class CredentialingRequirementFilter(django_filters.FilterSet):
    expires_before = django_filters.IsoDateTimeFilter(field_name="expires_at", lookup_expr="lt")
    expiry = django_filters.ChoiceFilter(
        choices=[("expired", "Expired"), ("expiring", "Expiring within 30 days")],
        method="filter_expiry",
        help_text="What needs chasing now.",
    )

    class Meta:
        model = CredentialingRequirement
        fields = ["engagement", "status", "kind", "connection", "external_id"]

    def filter_expiry(self, queryset, name, value):
        return queryset.expired() if value == "expired" else queryset.expiring()
