"""URL filters of the jobs API (django-filter): the same names as the fields they filter."""

from __future__ import annotations

import django_filters

from portal.jobs.models import ClientContact, Facility, JobRequisition, Patient, Specialty

__all__ = [
    "ClientContactFilter",
    "FacilityFilter",
    "JobRequisitionFilter",
    "PatientFilter",
    "SpecialtyFilter",
]


class SpecialtyFilter(django_filters.FilterSet):
    class Meta:
        model = Specialty
        fields = ["profession", "connection"]


class ClientContactFilter(django_filters.FilterSet):
    class Meta:
        model = ClientContact
        fields = ["client", "connection"]


class FacilityFilter(django_filters.FilterSet):
    name = django_filters.CharFilter(lookup_expr="icontains")

    class Meta:
        model = Facility
        fields = ["name", "client", "province", "time_zone", "connection", "external_id"]


class PatientFilter(django_filters.FilterSet):
    class Meta:
        model = Patient
        fields = ["client", "chart_id", "connection", "external_id"]


class JobRequisitionFilter(django_filters.FilterSet):
    name = django_filters.CharFilter(lookup_expr="icontains")
    starts_on_after = django_filters.DateFilter(field_name="starts_on", lookup_expr="gte")
    starts_on_before = django_filters.DateFilter(field_name="starts_on", lookup_expr="lte")
    province = django_filters.NumberFilter(field_name="facility__province")

    class Meta:
        model = JobRequisition
        fields = [
            "name",
            "status",
            "job_type",
            "facility",
            "profession",
            "specialty",
            "province",
            "asap",
            "connection",
            "external_id",
        ]
