"""Contract resources. Staff create and move engagements; the rest comes from Kamana and Ceki and is read here."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, viewsets

from portal.contracts.api import filters, serializers
from portal.contracts.models import (
    Contract,
    ContractEvent,
    ContractParticipant,
    CredentialingRequirement,
    Engagement,
    EngagementExtension,
    EngagementNote,
    TimeEntry,
)
from portal.talent.api.gate_refusal import GateRefusalSerializer

__all__ = [
    "ContractEventViewSet",
    "ContractParticipantViewSet",
    "ContractViewSet",
    "CredentialingRequirementViewSet",
    "EngagementExtensionViewSet",
    "EngagementNoteViewSet",
    "EngagementViewSet",
    "TimeEntryViewSet",
]


GATED = extend_schema(responses={200: serializers.EngagementSerializer, 409: GateRefusalSerializer})


@extend_schema_view(
    create=extend_schema(responses={201: serializers.EngagementSerializer, 409: GateRefusalSerializer}),
    update=GATED,
    partial_update=GATED,
)
class EngagementViewSet(mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Create an engagement or change it. Status moves forward through Kamana's pipeline (steps may be skipped)
    or to `complete` with a sub-status; a move back is refused with 400, as is changing a set client contract.
    A write that books the person (placed, started as `active`, new days or hours of a booked engagement) passes
    the assignment gate: 409 with `blocks` and `warnings` when refused; `override_reason` goes past warnings."""

    queryset = Engagement.objects.all()
    serializer_class = serializers.EngagementSerializer
    filterset_class = filters.EngagementFilter
    ordering_fields = ["id", "starts_on"]


class EngagementExtensionViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = EngagementExtension.objects.all()
    serializer_class = serializers.EngagementExtensionSerializer
    filterset_fields = ["engagement", "connection", "external_id"]
    ordering_fields = ["id", "starts_on"]


class EngagementNoteViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = EngagementNote.objects.all()
    serializer_class = serializers.EngagementNoteSerializer
    filterset_fields = ["engagement", "note_type", "connection", "external_id"]
    ordering_fields = ["id", "created_at"]


class CredentialingRequirementViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = CredentialingRequirement.objects.all()
    serializer_class = serializers.CredentialingRequirementSerializer
    filterset_class = filters.CredentialingRequirementFilter
    ordering_fields = ["id", "expires_at"]


class ContractViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Contract.objects.prefetch_related("participants")
    serializer_class = serializers.ContractSerializer
    filterset_fields = ["client", "engagement", "currency", "connection", "external_id"]
    ordering_fields = ["id", "label"]


class ContractParticipantViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = ContractParticipant.objects.all()
    serializer_class = serializers.ContractParticipantSerializer
    filterset_fields = ["contract", "talent", "accepted", "connection", "external_id"]
    ordering_fields = ["id"]


class ContractEventViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = ContractEvent.objects.all()
    serializer_class = serializers.ContractEventSerializer
    filterset_fields = ["contract", "beneficiary", "connection", "external_id"]
    ordering_fields = ["id", "starts_at"]


class TimeEntryViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = TimeEntry.objects.all()
    serializer_class = serializers.TimeEntrySerializer
    filterset_fields = ["contract", "participant", "connection", "external_id"]
    ordering_fields = ["id", "started_at"]
