"""Talent resources. Staff change only a relationship's status here; everything else comes from vendors."""

from __future__ import annotations

from django.db.models import Prefetch
from rest_framework import mixins, viewsets

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
        return serializers.TalentProfileSerializer


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
