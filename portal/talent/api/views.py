"""Talent resources. Staff change a relationship's status and add a person to an account here (issue 24);
everything else comes from vendors."""

from __future__ import annotations

from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from portal.talent.accounts import add_to_account
from portal.talent.api import filters, serializers
from portal.talent.models import AccountRelationship, CandidateStatus, Skill, TalentProfile, TalentReference

__all__ = [
    "AccountRelationshipViewSet",
    "CandidateStatusViewSet",
    "SkillViewSet",
    "TalentProfileViewSet",
    "TalentReferenceViewSet",
]


class SkillViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Skill.objects.all()
    serializer_class = serializers.SkillSerializer
    filterset_fields = ["title", "connection"]
    ordering_fields = ["id", "title"]


class TalentProfileViewSet(mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet):
    """PATCH changes what staff keep locally about a person (phone, profession, specialty, do-not-hire)."""

    queryset = TalentProfile.objects.prefetch_related(
        "skills", Prefetch("references", queryset=TalentReference.objects.select_related("connection"))
    )
    filterset_class = filters.TalentProfileFilter
    ordering_fields = ["id", "last_name"]

    def get_serializer_class(self):
        if self.action in {"update", "partial_update"}:
            return serializers.TalentProfileUpdateSerializer
        if self.action == "add_to_account":
            return serializers.AddToAccountSerializer
        return serializers.TalentProfileSerializer

    @extend_schema(responses={202: serializers.OutboundRequestSerializer})
    @action(detail=True, methods=["post"], url_path="add-to-account")
    def add_to_account(self, request, pk=None):
        """Add the person to the connection's account, as "Add to Kamana" on their page does: the request is
        queued (202) and sent by the outbox; the relationship appears once the vendor answers."""
        profile = self.get_object()
        serializer = serializers.AddToAccountSerializer(data=request.data, context={"profile": profile})
        serializer.is_valid(raise_exception=True)
        row = add_to_account(profile, serializer.validated_data["connection"], by=request.user, source="api")
        return Response(serializers.OutboundRequestSerializer(row).data, status=status.HTTP_202_ACCEPTED)


class TalentReferenceViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = TalentReference.objects.all()
    serializer_class = serializers.TalentReferenceSerializer
    filterset_fields = ["profile", "connection", "external_id"]
    ordering_fields = ["id"]


class AccountRelationshipViewSet(mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet):
    """PATCH (or PUT) `{status, sub_status, status_reason}` moves a person along the account's pipeline."""

    queryset = AccountRelationship.objects.all()
    filterset_class = filters.AccountRelationshipFilter
    ordering_fields = ["id", "status_changed_at"]

    def get_serializer_class(self):
        if self.action in {"update", "partial_update"}:
            return serializers.RelationshipStatusSerializer
        return serializers.AccountRelationshipSerializer


class CandidateStatusViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = CandidateStatus.objects.all()
    serializer_class = serializers.CandidateStatusSerializer
    filterset_class = filters.CandidateStatusFilter
    ordering_fields = ["id", "status_date"]
