"""IntelyCare payloads as typed objects, parsed at the edge and tolerant of what the doc shows it really sends
(`externalShiftId` typed integer but sent as a string; `statusTimestamp` "in UTC" but written without a `Z`)."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass
from typing import Any

from vendors.base.errors import ValidationFailed

__all__ = [
    "SHIFT_REQUIRED",
    "TIMECARD_REQUIRED",
    "HealthcareProfessional",
    "ShiftStatusEvent",
    "parse_utc",
    "require_fields",
]

# "Required fields enforced before sending" (issue 6): the doc's required body fields per request.
SHIFT_REQUIRED = (
    "externalShiftId",
    "shiftStartTime",
    "shiftEndTime",
    "shiftUnit",
    "healthcareProfessionalType",
    "shiftSource",
)
SHIFT_UPDATE_REQUIRED = SHIFT_REQUIRED[1:]  # the update body carries no externalShiftId (shiftId is in the path)
TIMECARD_REQUIRED = ("externalShiftId", "checkIn", "checkOut", "breakDuration")
STATUSES = ("Accepted", "Released", "Completed", "Deleted")


def require_fields(body: dict[str, Any], names: tuple[str, ...], what: str) -> None:
    missing = {name: "This field is required." for name in names if body.get(name) in (None, "")}
    if missing:
        raise ValidationFailed(
            f"Not sent to IntelyCare: the {what} is missing {', '.join(missing)}.", field_errors=missing
        )


def parse_utc(value: Any) -> dt.datetime:
    """ISO 8601; the doc says webhook times are UTC, so a time without an offset is read as UTC."""
    parsed = dt.datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)


@dataclass(frozen=True)
class HealthcareProfessional:
    id: str
    external_id: str = ""
    first_name: str = ""
    last_name: str = ""
    professional_type: str = ""
    phone: str = ""
    email: str = ""

    @classmethod
    def parse(cls, data: dict[str, Any]) -> HealthcareProfessional:
        return cls(
            id=str(data.get("id") or ""),
            external_id=str(data.get("externalId") or ""),
            first_name=str(data.get("firstName") or ""),
            last_name=str(data.get("lastName") or ""),
            professional_type=str(data.get("healthcareProfessionalType") or ""),
            phone=str(data.get("phoneNumber") or ""),
            email=str(data.get("email") or "").strip().lower(),
        )

    def as_dict(self) -> dict[str, str]:
        return asdict(self)


@dataclass(frozen=True)
class ShiftStatusEvent:
    """The one webhook shape: Accepted (with the professional), Released, Completed, Deleted."""

    client_id: str
    external_shift_id: str
    status: str
    status_at: dt.datetime
    professional: HealthcareProfessional | None = None

    @classmethod
    def parse(cls, data: dict[str, Any]) -> ShiftStatusEvent:
        status = str(data["shiftStatus"])
        if status not in STATUSES:
            raise ValueError(f"unknown shiftStatus {status!r}")
        professional = data.get("healthcareProfessional")
        if status == "Accepted" and not isinstance(professional, dict):
            raise ValueError("an Accepted event must carry healthcareProfessional")
        return cls(
            client_id=str(data.get("clientId") or ""),
            external_shift_id=str(data["externalShiftId"]),
            status=status,
            status_at=parse_utc(data["statusTimestamp"]),
            professional=HealthcareProfessional.parse(professional) if isinstance(professional, dict) else None,
        )
