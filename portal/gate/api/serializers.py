"""The assignment check's request and answer (issue 19, REST): the same gate the pages run, for other systems."""

from __future__ import annotations

from typing import Any

from django.apps import apps
from rest_framework import serializers

from portal.gate.work import WorkRef
from portal.jobs.models import Facility
from portal.talent.models import TalentProfile

__all__ = ["AssignmentCheckSerializer", "VerdictSerializer"]

# The records a check may be about (they are not checked against themselves).
ABOUT_MODELS = ("shifts.shiftrequest", "shifts.visit", "contracts.engagement", "contracts.contractevent")
LONGEST_CHECK_DAYS = 62
EARLIEST_YEAR, LATEST_YEAR = 2000, 2100  # room for the rules' look-around either side


class AboutSerializer(serializers.Serializer):
    type = serializers.ChoiceField(choices=ABOUT_MODELS, help_text="The record's kind, e.g. shifts.shiftrequest.")
    id = serializers.IntegerField(min_value=1, max_value=2**63 - 1)


class AssignmentCheckSerializer(serializers.Serializer):
    profile = serializers.PrimaryKeyRelatedField(queryset=TalentProfile.objects.all(), help_text="The person.")
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    facility = serializers.PrimaryKeyRelatedField(queryset=Facility.objects.all(), required=False, allow_null=True)
    about = AboutSerializer(required=False, allow_null=True)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        for name in ("starts_at", "ends_at"):
            if not EARLIEST_YEAR <= attrs[name].year <= LATEST_YEAR:
                raise serializers.ValidationError({name: f"A time between {EARLIEST_YEAR} and {LATEST_YEAR}."})
        span = attrs["ends_at"] - attrs["starts_at"]
        if span.total_seconds() <= 0:
            raise serializers.ValidationError({"ends_at": "The work must end after it starts."})
        if span.days >= LONGEST_CHECK_DAYS:
            raise serializers.ValidationError({"ends_at": f"Check at most {LONGEST_CHECK_DAYS} days at once."})
        about = attrs.get("about")
        if about and not apps.get_model(about["type"])._default_manager.filter(pk=about["id"]).exists():
            raise serializers.ValidationError({"about": "No such record."})
        return attrs

    def about_ref(self) -> WorkRef | None:
        about = self.validated_data.get("about")
        return (about["type"], about["id"]) if about else None


class ReasonSerializer(serializers.Serializer):
    rule = serializers.CharField()
    label = serializers.CharField()
    severity = serializers.ChoiceField(choices=["block", "warn"])
    message = serializers.CharField()


class VerdictSerializer(serializers.Serializer):
    allowed = serializers.BooleanField(help_text="False when any rule blocks; warnings still allow.")
    blocks = ReasonSerializer(many=True)
    warnings = ReasonSerializer(many=True)
