"""How the API answers a write the assignment gate refused (issue 19): `409 Conflict` with the verdict, so a
client sees every block and warning and can send the write again with an `override_reason` past warnings."""

from __future__ import annotations

from dataclasses import asdict

from rest_framework import serializers
from rest_framework.exceptions import APIException

from portal.talent.assignment_gate import Verdict

__all__ = ["GateRefusalSerializer", "GateRefused"]


class GateRefused(APIException):
    status_code = 409
    default_code = "gate_refused"

    def __init__(self, verdict: Verdict) -> None:
        if verdict.blocks:
            detail = "The assignment gate blocks this: nothing was changed."
        else:
            detail = "The assignment gate warns: send override_reason to go on. Nothing was changed."
        super().__init__(detail)
        # Merged into the error body by `core.api.errors.json_exception_handler`.
        self.extra_body = {
            "overridable": not verdict.blocks,
            "blocks": [asdict(reason) for reason in verdict.blocks],
            "warnings": [asdict(reason) for reason in verdict.warnings],
        }


class _ReasonSerializer(serializers.Serializer):
    rule = serializers.CharField()
    label = serializers.CharField()
    severity = serializers.ChoiceField(choices=["block", "warn"])
    message = serializers.CharField()


class GateRefusalSerializer(serializers.Serializer):
    """The 409 body (for the OpenAPI schema)."""

    detail = serializers.CharField()
    code = serializers.CharField(help_text="gate_refused")
    errors = serializers.DictField()
    overridable = serializers.BooleanField(help_text="True when only warnings stand in the way.")
    blocks = _ReasonSerializer(many=True)
    warnings = _ReasonSerializer(many=True)
