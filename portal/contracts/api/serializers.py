"""How engagements and Ceki contracts look in `/api/v1/`."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

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
from portal.contracts.services import save_gated
from portal.core.api.serializers import VENDOR_RECORD_FIELDS, ModelCleanMixin
from portal.talent.api.gate_refusal import GateRefused
from portal.talent.assignment_gate import AssignmentRefused

__all__ = [
    "ContractEventSerializer",
    "ContractParticipantSerializer",
    "ContractSerializer",
    "CredentialingRequirementSerializer",
    "EngagementExtensionSerializer",
    "EngagementNoteSerializer",
    "EngagementSerializer",
    "TimeEntrySerializer",
]


class EngagementSerializer(ModelCleanMixin, serializers.ModelSerializer):
    """A write that books the person (moved to placed or a later booked status, started as `active`, or new days
    or hours of a booked engagement) passes the assignment gate: refused with 409 and the verdict, or saved past
    warnings with `override_reason`, which the gate keeps in the audit."""

    override_reason = serializers.CharField(
        write_only=True,
        required=False,
        allow_blank=True,
        max_length=255,
        help_text="Why to go on past the assignment gate's warnings (kept in the audit); blocks cannot be overridden.",
    )

    class Meta:
        model = Engagement
        fields = [
            "id",
            "talent",
            "job_requisition",
            "facility",
            "status",
            "sub_status",
            "status_reason",
            "starts_on",
            "ends_on",
            "contract_length",
            "hours_per_week",
            "shift_start_time",
            "shift_end_time",
            "regular_hourly_rate",
            "weekly_gross_pay",
            "weekly_housing_stipend",
            "weekly_per_diem",
            "travel_reimbursement",
            "currency",
            "compensation_comments",
            "client_contract_id",
            "override_reason",
            *VENDOR_RECORD_FIELDS,
        ]
        read_only_fields = VENDOR_RECORD_FIELDS
        extra_kwargs = {
            "shift_start_time": {"max_value": 23},
            "shift_end_time": {"max_value": 23},
            "contract_length": {"min_value": 1, "max_value": 26},
        }

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        reason = attrs.pop("override_reason", "")
        return {**super().validate(attrs), "override_reason": reason}

    def create(self, validated_data: dict[str, Any]) -> Engagement:
        reason = validated_data.pop("override_reason", "")
        return self._save(Engagement(**validated_data), reason)

    def update(self, instance: Engagement, validated_data: dict[str, Any]) -> Engagement:
        reason = validated_data.pop("override_reason", "")
        for name, value in validated_data.items():
            setattr(instance, name, value)
        return self._save(instance, reason)

    def _save(self, engagement: Engagement, reason: str) -> Engagement:
        try:
            save_gated(engagement, override_reason=reason, user=self.context["request"].user)
        except AssignmentRefused as refused:
            raise GateRefused(refused.verdict) from refused
        return engagement


class EngagementExtensionSerializer(serializers.ModelSerializer):
    class Meta:
        model = EngagementExtension
        fields = ["id", "engagement", "starts_on", "ends_on", *VENDOR_RECORD_FIELDS]


class EngagementNoteSerializer(serializers.ModelSerializer):
    class Meta:
        model = EngagementNote
        fields = ["id", "engagement", "content", "note_type", "creator_external_id", "author", *VENDOR_RECORD_FIELDS]


class CredentialingRequirementSerializer(serializers.ModelSerializer):
    expiry_state = serializers.SerializerMethodField(help_text="expired, expiring (within 30 days), valid, or ''.")

    class Meta:
        model = CredentialingRequirement
        fields = [
            "id",
            "engagement",
            "name",
            "kind",
            "status",
            "due_on",
            "expires_at",
            "expires_on_time_zone",
            "expiry_state",
            "verified_at",
            "dismissed_at",
            "comments",
            *VENDOR_RECORD_FIELDS,
        ]

    def get_expiry_state(self, obj: CredentialingRequirement) -> str:
        return obj.expiry_state()


class ContractParticipantSerializer(serializers.ModelSerializer):
    class Meta:
        model = ContractParticipant
        fields = [
            "id",
            "contract",
            "talent",
            "email",
            "role",
            "role_id",
            "accepted",
            "rate",
            "currency",
            "is_working",
            *VENDOR_RECORD_FIELDS,
        ]


class ContractSerializer(serializers.ModelSerializer):
    participants = ContractParticipantSerializer(many=True, read_only=True)

    class Meta:
        model = Contract
        fields = [
            "id",
            "label",
            "description",
            "client",
            "engagement",
            "parent",
            "starts_at",
            "ends_at",
            "time_zone",
            "budget",
            "currency",
            "is_private",
            "vendor_status_id",
            "participants",
            *VENDOR_RECORD_FIELDS,
        ]


class ContractEventSerializer(serializers.ModelSerializer):
    ends_at = serializers.DateTimeField(read_only=True)

    class Meta:
        model = ContractEvent
        fields = [
            "id",
            "contract",
            "beneficiary",
            "label",
            "description",
            "starts_at",
            "duration_minutes",
            "ends_at",
            "time_zone",
            "amount",
            "currency",
            "vendor_status_id",
            "vendor_payment_status_id",
            *VENDOR_RECORD_FIELDS,
        ]


class TimeEntrySerializer(serializers.ModelSerializer):
    is_running = serializers.BooleanField(read_only=True)
    hours = serializers.FloatField(read_only=True, allow_null=True)

    class Meta:
        model = TimeEntry
        fields = [
            "id",
            "contract",
            "participant",
            "label",
            "started_at",
            "stopped_at",
            "time_zone",
            "is_running",
            "hours",
            *VENDOR_RECORD_FIELDS,
        ]
