"""IntelyCare's fake: the documented endpoints and bodies, and a world where shifts get filled over time.

Each tick accepts every open shift (an `Accepted` webhook with a seeded professional) and completes accepted
shifts whose end has passed. `POST /intelycare/_sandbox/shifts/<externalShiftId>/status {"shiftStatus": ...}`
forces a status change (tests, demos). Webhooks carry `X-Signature-IC`: hex HMAC-SHA256 of the raw body.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import itertools
import random
from collections.abc import Sequence
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from vendors.base.sandbox import Request, Response, SandboxVendor, route
from vendors.base.sandbox_cast import CastMember, cast_of
from vendors.intelycare.schemas import SHIFT_REQUIRED, SHIFT_UPDATE_REQUIRED, TIMECARD_REQUIRED, parse_utc

__all__ = ["IntelyCareSandbox"]

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


def _now() -> str:
    return dt.datetime.now(dt.UTC).replace(microsecond=0, tzinfo=None).isoformat()


class IntelyCareSandbox(SandboxVendor):
    name = "intelycare"

    def __init__(
        self,
        *,
        api_key: str = "sandbox-key",
        client_id: str = "1234",
        seed: int = 20,
        facility_time_zone: str = "America/New_York",
    ) -> None:
        self.api_key, self.client_id = api_key, client_id
        self.facility_time_zone = facility_time_zone  # "the configuration of the facility" (doc, shiftStartTime)
        self.shifts: dict[int, dict[str, Any]] = {}  # internalShiftId -> shift
        self.by_external: dict[str, int] = {}
        self.timecards: dict[str, dict[str, Any]] = {}
        self.assignments: dict[int, dict[str, Any]] = {}  # internalShiftId -> professional
        self._ids = itertools.count(10174202)
        super().__init__(seed=seed)

    def seed(self, count: int) -> None:
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
            for n in range(max(1, count))
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
            for member in cast_of(self.name, tuple(cast))
        ] or self.professionals

    def authenticate(self, request: Request) -> Response | None:
        if request.path.startswith("/_sandbox/"):
            return None
        if request.headers.get("x-api-key") != self.api_key or request.headers.get("x-client-id") != self.client_id:
            return Response(401, {"message": "Unauthorized: X-API-KEY and X-CLIENT-ID must match."})
        return None

    def webhook_headers(self, body: bytes, secret: str) -> dict[str, str]:
        return {"X-Signature-IC": hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()}

    @staticmethod
    def _missing(body: dict, names: tuple[str, ...]) -> Response | None:
        missing = {name: f"{name} is required" for name in names if body.get(name) in (None, "")}
        return Response(400, {"errors": missing}) if missing else None

    def _shift_date(self, start: str, zone_name: str) -> str:
        return shift_date(start, facility_zone(zone_name, self.facility_time_zone))

    def _shift_out(self, shift: dict) -> dict:
        return {k: v for k, v in shift.items() if not k.startswith("_")}

    @route("POST", "/v1/shifts")
    def create_shift(self, request: Request) -> Response:
        body = request.json()
        if error := self._missing(body, SHIFT_REQUIRED):
            return error
        external = str(body["externalShiftId"])
        if external in self.by_external:
            existing = self.shifts[self.by_external[external]]
            return Response(409, {"message": "externalShiftId already exists", "data": self._shift_out(existing)})
        internal = next(self._ids)
        shift = {
            "clientId": int(self.client_id),
            "internalShiftId": internal,
            "externalShiftId": external,
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
        self.by_external[external] = internal
        return Response(200, {"data": self._shift_out(shift)})

    @route("PUT", "/v1/shifts/(?P<shift_id>[0-9]+)")
    def update_shift(self, request: Request, shift_id: str) -> Response:
        shift = self.shifts.get(int(shift_id))
        if shift is None or shift["_status"] == "Deleted":
            return Response(404, {"message": "Shift not found"})
        body = request.json()
        if error := self._missing(body, SHIFT_UPDATE_REQUIRED):
            return error
        for key in (*SHIFT_UPDATE_REQUIRED, "shiftBoostPercentage", "timezone"):
            if key in body:
                shift[key] = body[key]
        shift["shiftDate"] = self._shift_date(shift["shiftStartTime"], shift["timezone"])
        return Response(200, {"data": self._shift_out(shift)})

    @route("DELETE", "/v1/shifts/(?P<shift_id>[0-9]+)")
    def delete_shift(self, request: Request, shift_id: str) -> Response:
        shift = self.shifts.get(int(shift_id))
        if shift is None or shift["_status"] == "Deleted":
            return Response(404, {"message": "Shift not found"})
        self._set_status(shift, "Deleted")
        return Response(
            200, {"data": {"internalShiftId": shift["internalShiftId"], "shiftDate": shift["shiftDate"], "removed": 1}}
        )

    @route("POST", "/v1/timecards")
    def create_timecard(self, request: Request) -> Response:
        return self._timecard(request.json(), created=True)

    @route("PUT", "/v1/timecards")
    def update_timecard(self, request: Request) -> Response:
        return self._timecard(request.json(), created=False)

    def _timecard(self, body: dict, *, created: bool) -> Response:
        if error := self._missing(body, TIMECARD_REQUIRED):
            return error
        external = str(body["externalShiftId"])
        if external not in self.by_external:
            return Response(404, {"message": "Shift not found"})
        if created and external in self.timecards:
            return Response(409, {"message": "Timecard already exists", **self.timecards[external]})
        if not created and external not in self.timecards:
            return Response(404, {"message": "Timecard not found"})
        errors = None
        if parse_utc(body["checkOut"]) <= parse_utc(body["checkIn"]):
            errors = ["checkOut must be after checkIn"]
        card = {
            "clientId": int(self.client_id),
            "externalShiftId": external,
            "checkIn": body["checkIn"],
            "checkOut": body["checkOut"],
            "breakDuration": int(body["breakDuration"]),
            "errors": errors,
            ("createdAt" if created else "updatedAt"): _now(),
        }
        self.timecards[external] = card
        return Response(200, card)

    @route("POST", "/_sandbox/shifts/(?P<external_id>[^/]+)/status")
    def force_status(self, request: Request, external_id: str) -> Response:
        body = request.json()
        shift = self.shifts[self.by_external[external_id]]
        self._set_status(shift, body["shiftStatus"], at=body.get("statusTimestamp"))
        return Response(200, {"status": shift["_status"]})

    def _set_status(self, shift: dict, status: str, *, at: str | None = None) -> None:
        shift["_status"] = status
        event: dict[str, Any] = {
            "clientId": int(self.client_id),
            "externalShiftId": shift["externalShiftId"],
            "shiftStatus": status,
            "statusTimestamp": at or _now(),
        }
        if status == "Accepted":
            professional = self.assignments.setdefault(
                shift["internalShiftId"], self.professionals[shift["internalShiftId"] % len(self.professionals)]
            )
            event = {**event, "healthcareProfessional": professional}
        elif status == "Released":
            self.assignments.pop(shift["internalShiftId"], None)
        self.emit(event)

    def tick(self) -> None:
        now = dt.datetime.now(dt.UTC)
        for shift in list(self.shifts.values()):
            if shift["_status"] in ("Open", "Released"):
                self._set_status(shift, "Accepted")
            elif shift["_status"] == "Accepted" and parse_utc(shift["shiftEndTime"]) < now:
                self._set_status(shift, "Completed")
