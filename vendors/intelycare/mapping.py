"""IntelyCare payloads <-> portal domain fields, one function per resource (allauth `extract_common_fields`).

Times: the doc accepts UTC with `Z` or facility-local time without it. The portal stores instants in UTC, so it
always sends UTC with `Z`: an overnight shift (23:00 -> 07:00) or one across a daylight-saving change keeps its
exact instants, and IntelyCare's own facility configuration can never shift it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from vendors.base.reading import unreadable_fields
from vendors.intelycare.schemas import HealthcareProfessional

__all__ = ["SHIFT_STATUS", "professional_profile_fields", "shift_request_body", "timecard_body", "utc_z"]

SHIFT_SOURCE = "staffing-portal"
# The professional's keys whose profile field has another name (an unreadable one fills nothing, issue 14).
_PROFESSIONAL_KEYS = {"firstName": "first_name", "lastName": "last_name", "phoneNumber": "phone"}
# A status webhook's `shiftStatus` -> the shift's reported `ShiftRequest.Status`.
SHIFT_STATUS = {"Accepted": "filled", "Released": "open", "Completed": "completed", "Deleted": "cancelled"}


def utc_z(instant: dt.datetime) -> str:
    """ISO 8601 in UTC with `Z`; refuses a naive datetime (it would be read as facility-local time)."""
    if instant.tzinfo is None:
        raise ValueError("a shift time must be timezone-aware")
    return instant.astimezone(dt.UTC).replace(microsecond=0, tzinfo=None).isoformat() + "Z"


def shift_request_body(shift: Any) -> dict[str, Any]:
    """A `shifts.ShiftRequest` as IntelyCare's create/update body."""
    return {
        "externalShiftId": str(shift.external_shift_id),
        "shiftStartTime": utc_z(shift.starts_at),
        "shiftEndTime": utc_z(shift.ends_at),
        "shiftUnit": shift.unit,
        "healthcareProfessionalType": shift.professional_type,
        "shiftSource": getattr(shift, "source", "") or SHIFT_SOURCE,
        "shiftBoostPercentage": int(shift.boost_percentage or 0),
        # Informational only: the times above carry their offset. The doc's example says "ET"; we send IANA.
        "timezone": shift.time_zone,
    }


def timecard_body(timecard: Any) -> dict[str, Any]:
    """A `shifts.Timecard` as IntelyCare's timecard body (check-in/out are UTC per the doc)."""
    return {
        "externalShiftId": str(timecard.shift.external_shift_id),
        "checkIn": utc_z(timecard.check_in),
        "checkOut": utc_z(timecard.check_out),
        "breakDuration": int(timecard.break_minutes or 0),
    }


def professional_profile_fields(professional: HealthcareProfessional) -> dict[str, Any]:
    """Keyword arguments for `portal.talent.services.match_or_create_profile` (without connection and time)."""
    fields = {
        "email": professional.email,
        "first_name": professional.first_name,
        "last_name": professional.last_name,
        "phone": professional.phone,
    }
    problems = unreadable_fields(
        professional.warnings, fields, prefix="healthcareProfessional.", renamed=_PROFESSIONAL_KEYS
    )
    return {**fields, "external_id": professional.id, "vendor_data": professional.as_dict(), "problems": problems}
