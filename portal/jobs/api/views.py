"""Read-only jobs resources: vendors own clients, facilities and requisitions; staff change them there."""

from __future__ import annotations

from rest_framework import viewsets

from portal.jobs.api import filters, serializers
from portal.jobs.models import (
    Client,
    ClientContact,
    Facility,
    JobRequisition,
    Patient,
    Profession,
    Province,
    Specialty,
)

__all__ = [
    "ClientContactViewSet",
    "ClientViewSet",
    "FacilityViewSet",
    "JobRequisitionViewSet",
    "PatientViewSet",
    "ProfessionViewSet",
    "ProvinceViewSet",
    "SpecialtyViewSet",
]


class ProvinceViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Province.objects.all()
    serializer_class = serializers.ProvinceSerializer
    filterset_fields = ["country", "abbreviation"]
    ordering_fields = ["id", "name"]


class ProfessionViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Profession.objects.all()
    serializer_class = serializers.ProfessionSerializer
    filterset_fields = ["abbreviation", "connection"]
    ordering_fields = ["id", "name"]


class SpecialtyViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Specialty.objects.all()
    serializer_class = serializers.SpecialtySerializer
    filterset_class = filters.SpecialtyFilter
    ordering_fields = ["id", "name"]


class ClientViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Client.objects.all()
    serializer_class = serializers.ClientSerializer
    filterset_fields = ["kind", "connection", "external_id"]
    ordering_fields = ["id", "name"]


class ClientContactViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = ClientContact.objects.all()
    serializer_class = serializers.ClientContactSerializer
    filterset_class = filters.ClientContactFilter
    ordering_fields = ["id", "last_name"]


class FacilityViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Facility.objects.all()
    serializer_class = serializers.FacilitySerializer
    filterset_class = filters.FacilityFilter
    ordering_fields = ["id", "name"]


class PatientViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Patient.objects.all()
    serializer_class = serializers.PatientSerializer
    filterset_class = filters.PatientFilter
    ordering_fields = ["id", "last_name"]


class JobRequisitionViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = JobRequisition.objects.select_related("facility")
    serializer_class = serializers.JobRequisitionSerializer
    filterset_class = filters.JobRequisitionFilter
    ordering_fields = ["id", "starts_on", "name"]
