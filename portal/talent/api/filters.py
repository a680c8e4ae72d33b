"""URL filters of the talent API (django-filter)."""

from __future__ import annotations

import django_filters

from portal.talent.models import AccountRelationship, CandidateStatus, TalentProfile, normalise_email

__all__ = ["AccountRelationshipFilter", "CandidateStatusFilter", "TalentProfileFilter"]


class NormalisedEmailFilter(django_filters.CharFilter):
    """Emails are stored normalised, so a lookup must be normalised the same way to find them."""

    def filter(self, qs, value):
        return super().filter(qs, normalise_email(value) if value else value)


class TalentProfileFilter(django_filters.FilterSet):
    email = NormalisedEmailFilter()
    name = django_filters.CharFilter(method="filter_name", label="First or last name contains")

    class Meta:
        model = TalentProfile
        fields = ["email", "profession", "specialty", "do_not_hire"]

    def filter_name(self, queryset, name, value):
        return queryset.filter(first_name__icontains=value) | queryset.filter(last_name__icontains=value)


class AccountRelationshipFilter(django_filters.FilterSet):
    class Meta:
        model = AccountRelationship
        fields = ["profile", "status", "account_ref", "do_not_hire", "connection"]


class CandidateStatusFilter(django_filters.FilterSet):
    candidate_email = NormalisedEmailFilter()
    status_date_after = django_filters.IsoDateTimeFilter(field_name="status_date", lookup_expr="gte")

    class Meta:
        model = CandidateStatus
        fields = ["profile", "account", "candidate_email", "status_level", "requisition_id", "vendor_key"]
