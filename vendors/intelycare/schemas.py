"""IntelyCare payloads as typed objects, parsed at the edge and tolerant of what the doc shows it really sends
(`externalShiftId` typed integer but sent as a string; `statusTimestamp` "in UTC" but written without a `Z`)."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field
from typing import Any

from portal.integrations.errors import ValidationFailed
from vendors.base.reading import FieldReader, ReadWarning

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
    """The professional an Accepted event carries; a value that is not text (an object, a boolean) is read as
    blank with a warning, so it never replaces a name or address the portal holds (issue 14)."""

    id: str
    external_id: str = ""
    first_name: str = ""
    last_name: str = ""
    professional_type: str = ""
    phone: str = ""
    email: str = ""
    warnings: tuple[ReadWarning, ...] = field(default=(), compare=False)

    @classmethod
    def parse(cls, data: dict[str, Any]) -> HealthcareProfessional:
        read = FieldReader(data, "healthcareProfessional")
        return cls(
            id=read.text("id") or "",
            external_id=read.text("externalId") or "",
            first_name=read.text("firstName") or "",
            last_name=read.text("lastName") or "",
            professional_type=read.text("healthcareProfessionalType") or "",
            phone=read.text("phoneNumber") or "",
            email=(read.text("email") or "").strip().lower(),
            warnings=tuple(read.warnings),
        )

    def as_dict(self) -> dict[str, str]:
        return {name: value for name, value in asdict(self).items() if name != "warnings"}


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
