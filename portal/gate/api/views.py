"""`POST /api/v1/assignment-checks/`: what the gate says of a person at an interval and a facility."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from portal.gate.api.serializers import AssignmentCheckSerializer, VerdictSerializer
from portal.jobs.models import DEFAULT_TIME_ZONE
from portal.talent.assignment_gate import Booking, check

__all__ = ["AssignmentCheckView"]


class AssignmentCheckView(APIView):
    """Checks only: nothing is booked or stored. The answer lists every rule that blocks and every warning."""

    @extend_schema(request=AssignmentCheckSerializer, responses=VerdictSerializer, operation_id="assignment_check")
    def post(self, request: Request) -> Response:
        asked = AssignmentCheckSerializer(data=request.data)
        asked.is_valid(raise_exception=True)
        data = asked.validated_data
        facility = data.get("facility")
        booking = Booking(
            data["profile"].pk,
            data["starts_at"],
            data["ends_at"],
            facility.pk if facility else None,
            facility.time_zone if facility else DEFAULT_TIME_ZONE,
            asked.about_ref(),
            "Checked through the API",
        )
        verdict = check(booking)
        answer = {"allowed": not verdict.blocks, "blocks": verdict.blocks, "warnings": verdict.warnings}
        return Response(VerdictSerializer(answer).data)
