"""The IntelyCare sandbox's state: the shifts and timecards it holds, the professionals who accept shifts, and how
shifts move over time. `sandbox.py` is its HTTP face and sends the webhooks these changes make.

Each tick accepts every open or released shift (an `Accepted` event with a seeded professional) and completes
accepted shifts whose end has passed. A status change returns the webhook body the doc describes.
"""

from __future__ import annotations

import datetime as dt
import itertools
import random
from collections.abc import Sequence
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from vendors.base.sandbox_cast import CastMember, cast_of
from vendors.intelycare.schemas import SHIFT_UPDATE_REQUIRED, parse_utc

__all__ = ["IntelyCareWorld", "facility_zone", "shift_date"]

VENDOR = "intelycare"
FIRST = ["Florence", "Mary", "Clara", "Linda", "Dorothea", "Virginia", "Hazel", "Agnes"]
LAST = ["Nightengale", "Seacole", "Barton", "Richards", "Dix", "Henderson", "Johnson", "Hunt"]
TYPES = ["CNA", "LPN", "RN"]

# US zones as the doc's example writes them ("timezone": "ET"); IANA names are taken as they are.
ZONE_ABBREVIATIONS = {
    "ET": "America/New_York",
    "CT": "America/Chicago",
    "MT": "America/Denver",
    "PT": "America/Los_Angeles",
    "AKT": "America/Anchorage",
    "HT": "Pacific/Honolulu",
}


def facility_zone(name: str, default: str) -> ZoneInfo:
    """The shift's `timezone` (an abbreviation or an IANA name), else the facility's configured zone."""
    name = (name or "").strip()
    try:
        return ZoneInfo(ZONE_ABBREVIATIONS.get(name.upper(), name) or default)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo(default)


def shift_date(start: str, zone: ZoneInfo) -> str:
    """The doc's `shiftDate` is the facility's day of the start (its example: 23:00 local on the 16th -> the 16th).
    A start with `Z` or an offset is an instant, seen in the facility's zone; one without is already local."""
    moment = dt.datetime.fromisoformat(str(start).replace("Z", "+00:00"))
    return (moment.astimezone(zone) if moment.tzinfo else moment).date().isoformat()


def vendor_now() -> str:
    """IntelyCare's timestamps: UTC without an offset, to the second, as the doc's examples write them."""
    return dt.datetime.now(dt.UTC).replace(microsecond=0, tzinfo=None).isoformat()


class IntelyCareWorld:
    """Every record of one sandbox client. Not thread-safe on its own: the sandbox holds its lock."""

    def __init__(self, *, client_id: str, professionals: int, facility_time_zone: str) -> None:
        self.client_id = client_id
        self.facility_time_zone = facility_time_zone  # "the configuration of the facility" (doc, shiftStartTime)
        self.shifts: dict[int, dict[str, Any]] = {}  # internalShiftId -> shift
        self.by_external: dict[str, int] = {}
        self.timecards: dict[str, dict[str, Any]] = {}
        self.assignments: dict[int, dict[str, Any]] = {}  # internalShiftId -> professional
        self._ids = itertools.count(10174202)
        rng = random.Random(6)
        self.professionals = [
            {
                "id": str(456789 + n),
                "externalId": str(111124 + n),
                "firstName": rng.choice(FIRST),
                "lastName": f"{rng.choice(LAST)}-{n}",
                "healthcareProfessionalType": rng.choice(TYPES),
                "phoneNumber": f"(800) 900-{1000 + n:04d}",
                "email": f"intelypro{n}@example.org",
                "profilePicture": "",
            }
            for n in range(max(1, professionals))
        ]

    def add_cast(self, cast: Sequence[CastMember]) -> None:
        """The demo's people IntelyCare knows become the professionals who accept shifts, so the person a shift
        goes to has a history at other vendors too."""
        self.professionals = [
            {
                "id": str(556000 + member.index),
                "externalId": str(211000 + member.index),
                "firstName": member.first_name,
                "lastName": member.last_name,
                "healthcareProfessionalType": TYPES[member.index % len(TYPES)],
                "phoneNumber": member.phone,
                "email": member.email,
                "profilePicture": "",
            }
            for member in cast_of(VENDOR, tuple(cast))
        ] or self.professionals

    # -- shifts ------------------------------------------------------------------------------------------------
    def _shift_date(self, start: str, zone_name: str) -> str:
        return shift_date(start, facility_zone(zone_name, self.facility_time_zone))

    def shift_of(self, external_id: str) -> dict[str, Any] | None:
        internal = self.by_external.get(external_id)
        return None if internal is None else self.shifts[internal]

    def live_shift(self, internal_id: int) -> dict[str, Any] | None:
        """The shift with this internalShiftId, unless it is unknown or deleted."""
        shift = self.shifts.get(internal_id)
        return None if shift is None or shift["_status"] == "Deleted" else shift

    def add_shift(self, body: dict[str, Any]) -> dict[str, Any]:
        """A new open shift from a create body whose required fields are present."""
        internal = next(self._ids)
        shift = {
            "clientId": int(self.client_id),
            "internalShiftId": internal,
            "externalShiftId": str(body["externalShiftId"]),
            "shiftStartTime": body["shiftStartTime"],
            "shiftEndTime": body["shiftEndTime"],
            "shiftDate": self._shift_date(body["shiftStartTime"], body.get("timezone", "")),
            "shiftUnit": body["shiftUnit"],
            "healthcareProfessionalType": body["healthcareProfessionalType"],
            "shiftSource": body["shiftSource"],
            "shiftBoostPercentage": int(body.get("shiftBoostPercentage") or 0),
            "timezone": body.get("timezone", ""),
            "_status": "Open",
        }
        self.shifts[internal] = shift
        self.by_external[shift["externalShiftId"]] = internal
        return shift

    def change_shift(self, shift: dict[str, Any], body: dict[str, Any]) -> None:
        for key in (*SHIFT_UPDATE_REQUIRED, "shiftBoostPercentage", "timezone"):
            if key in body:
                shift[key] = body[key]
        shift["shiftDate"] = self._shift_date(shift["shiftStartTime"], shift["timezone"])

    def set_status(self, shift: dict[str, Any], status: str, *, at: str | None = None) -> dict[str, Any]:
        """Move the shift to `status`; the webhook body that tells the portal so."""
        shift["_status"] = status
        event: dict[str, Any] = {
            "clientId": int(self.client_id),
            "externalShiftId": shift["externalShiftId"],
            "shiftStatus": status,
            "statusTimestamp": at or vendor_now(),
        }
        if status == "Accepted":
            professional = self.assignments.setdefault(
                shift["internalShiftId"], self.professionals[shift["internalShiftId"] % len(self.professionals)]
            )
            event = {**event, "healthcareProfessional": professional}
        elif status == "Released":
            self.assignments.pop(shift["internalShiftId"], None)
        return event

    def tick(self) -> list[dict[str, Any]]:
        """Open and released shifts are accepted, accepted ones that have ended complete; their webhook bodies."""
        now = dt.datetime.now(dt.UTC)
        events = []
        for shift in list(self.shifts.values()):
            if shift["_status"] in ("Open", "Released"):
                events.append(self.set_status(shift, "Accepted"))
            elif shift["_status"] == "Accepted" and parse_utc(shift["shiftEndTime"]) < now:
                events.append(self.set_status(shift, "Completed"))
        return events

    # -- timecards ---------------------------------------------------------------------------------------------
    def record_timecard(self, body: dict[str, Any], *, created: bool) -> dict[str, Any]:
        """Keep the shift's one timecard; times IntelyCare cannot take are accepted with `errors` (doc example)."""
        errors = None
        if parse_utc(body["checkOut"]) <= parse_utc(body["checkIn"]):
            errors = ["checkOut must be after checkIn"]
        card = {
            "clientId": int(self.client_id),
            "externalShiftId": str(body["externalShiftId"]),
            "checkIn": body["checkIn"],
            "checkOut": body["checkOut"],
            "breakDuration": int(body["breakDuration"]),
            "errors": errors,
            ("createdAt" if created else "updatedAt"): vendor_now(),
        }
        self.timecards[card["externalShiftId"]] = card
        return card
