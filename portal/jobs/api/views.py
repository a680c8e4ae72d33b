"""Jobs resources. Clients, client contacts and facilities are also created, changed and removed here (issue 24),
through the same services as the pages and Django admin, so a change queues the same vendor write; the rest is
read-only (vendors own requisitions; staff change them in the pages)."""

from __future__ import annotations

from typing import Any

from rest_framework import mixins, viewsets
from rest_framework.exceptions import PermissionDenied

from portal.core.roles import Role, has_role
from portal.jobs import services
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


class ServiceWriteViewSet(
    mixins.CreateModelMixin, mixins.UpdateModelMixin, mixins.DestroyModelMixin, viewsets.ReadOnlyModelViewSet
):
    """Writes go through `save` (a jobs service); DELETE calls `remove` (nothing is destroyed)."""

    def save(self, record: Any, *, by: Any) -> None:
        raise NotImplementedError

    def remove(self, record: Any, *, by: Any) -> None:
        services.archive(record, by=by, source="api")

    def perform_create(self, serializer) -> None:
        serializer.instance = serializer.Meta.model(**serializer.validated_data)
        self.save(serializer.instance, by=self.request.user)

    def perform_update(self, serializer) -> None:
        for name, value in serializer.validated_data.items():
            setattr(serializer.instance, name, value)
        self.save(serializer.instance, by=self.request.user)

    def perform_destroy(self, instance: Any) -> None:
        self.remove(instance, by=self.request.user)


class ClientViewSet(ServiceWriteViewSet):
    """DELETE archives the client here: Kamana has no client delete, so its copy stays there."""

    queryset = Client.objects.all()
    serializer_class = serializers.ClientSerializer
    filterset_fields = ["kind", "connection", "external_id"]
    ordering_fields = ["id", "name"]

    def save(self, record: Client, *, by: Any) -> None:
        services.save_client(record, by=by, source="api")


class ClientContactViewSet(ServiceWriteViewSet):
    """DELETE removes the contact: archived here, deleted at its client's vendor."""

    queryset = ClientContact.objects.select_related("client__connection")
    serializer_class = serializers.ClientContactSerializer
    filterset_class = filters.ClientContactFilter
    ordering_fields = ["id", "last_name"]

    def save(self, record: ClientContact, *, by: Any) -> None:
        services.save_contact(record, by=by, source="api")

    def remove(self, record: ClientContact, *, by: Any) -> None:
        services.remove_contact(record, by=by, source="api")


class FacilityViewSet(ServiceWriteViewSet):
    """DELETE archives a portal-only facility; one a vendor holds is deleted there too, by the Admin role only."""

    queryset = Facility.objects.select_related("province", "connection")
    serializer_class = serializers.FacilitySerializer
    filterset_class = filters.FacilityFilter
    ordering_fields = ["id", "name"]

    def save(self, record: Facility, *, by: Any) -> None:
        services.save_facility(record, by=by, source="api")

    def remove(self, record: Facility, *, by: Any) -> None:
        if record.connection_id is None:
            return super().remove(record, by=by)
        if not has_role(by, Role.ADMIN):
            raise PermissionDenied("Only the Admin role may delete a facility at its vendor.")
        services.delete_facility_at_vendor(record, by=by, source="api")


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
