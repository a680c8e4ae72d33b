"""IntelyCare's fake over HTTP: the documented endpoints and bodies over the state in `sandbox_world.py`.

Paths are `paths.py`'s; a missing required field is 400 `{"errors": {field: message}}`, an unknown shift 404, a
repeated create 409 with what IntelyCare holds (README "Repeated create"). Each tick lets the world move (shifts
are accepted and completed) and sends what changed as webhooks signed with `X-Signature-IC`: hex HMAC-SHA256 of
the raw body. `POST /intelycare/_sandbox/shifts/<externalShiftId>/status {"shiftStatus": ...}` forces a status
change (tests, demos).
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Sequence

from vendors.base.sandbox import Request, Response, SandboxVendor, route
from vendors.base.sandbox_cast import CastMember
from vendors.intelycare.paths import CREATE_SHIFT, CREATE_TIMECARD, DELETE_SHIFT, UPDATE_SHIFT, UPDATE_TIMECARD
from vendors.intelycare.sandbox_world import IntelyCareWorld
from vendors.intelycare.schemas import SHIFT_REQUIRED, SHIFT_UPDATE_REQUIRED, TIMECARD_REQUIRED

__all__ = ["IntelyCareSandbox"]

SHIFT_ID = "[0-9]+"  # internalShiftId is a number


class IntelyCareSandbox(SandboxVendor):
    """`seed` is the number of professionals who accept shifts (the world holds no shift until one is created)."""

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
        self.facility_time_zone = facility_time_zone
        super().__init__(seed=seed)

    def seed(self, count: int) -> None:
        self.world = IntelyCareWorld(
            client_id=self.client_id, professionals=count, facility_time_zone=self.facility_time_zone
        )

    def add_cast(self, cast: Sequence[CastMember]) -> None:
        self.world.add_cast(cast)

    def tick(self) -> None:
        for event in self.world.tick():
            self.emit(event)

    # -- the wire --------------------------------------------------------------------------------------------
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

    @staticmethod
    def _shift_out(shift: dict) -> dict:
        return {k: v for k, v in shift.items() if not k.startswith("_")}

    # -- shifts ----------------------------------------------------------------------------------------------
    @route(CREATE_SHIFT.method, CREATE_SHIFT.pattern())
    def create_shift(self, request: Request) -> Response:
        body = request.json()
        if error := self._missing(body, SHIFT_REQUIRED):
            return error
        existing = self.world.shift_of(str(body["externalShiftId"]))
        if existing is not None:
            return Response(409, {"message": "externalShiftId already exists", "data": self._shift_out(existing)})
        return Response(200, {"data": self._shift_out(self.world.add_shift(body))})

    @route(UPDATE_SHIFT.method, UPDATE_SHIFT.pattern(shift_id=SHIFT_ID))
    def update_shift(self, request: Request, shift_id: str) -> Response:
        shift = self.world.live_shift(int(shift_id))
        if shift is None:
            return Response(404, {"message": "Shift not found"})
        body = request.json()
        if error := self._missing(body, SHIFT_UPDATE_REQUIRED):
            return error
        self.world.change_shift(shift, body)
        return Response(200, {"data": self._shift_out(shift)})

    @route(DELETE_SHIFT.method, DELETE_SHIFT.pattern(shift_id=SHIFT_ID))
    def delete_shift(self, request: Request, shift_id: str) -> Response:
        shift = self.world.live_shift(int(shift_id))
        if shift is None:
            return Response(404, {"message": "Shift not found"})
        self.emit(self.world.set_status(shift, "Deleted"))
        return Response(
            200, {"data": {"internalShiftId": shift["internalShiftId"], "shiftDate": shift["shiftDate"], "removed": 1}}
        )

    @route("POST", "/_sandbox/shifts/(?P<external_id>[^/]+)/status")
    def force_status(self, request: Request, external_id: str) -> Response:
        body = request.json()
        shift = self.world.shift_of(external_id)
        self.emit(self.world.set_status(shift, body["shiftStatus"], at=body.get("statusTimestamp")))
        return Response(200, {"status": shift["_status"]})

    # -- timecards -------------------------------------------------------------------------------------------
    @route(CREATE_TIMECARD.method, CREATE_TIMECARD.pattern())
    def create_timecard(self, request: Request) -> Response:
        return self._timecard(request.json(), created=True)

    @route(UPDATE_TIMECARD.method, UPDATE_TIMECARD.pattern())
    def update_timecard(self, request: Request) -> Response:
        return self._timecard(request.json(), created=False)

    def _timecard(self, body: dict, *, created: bool) -> Response:
        if error := self._missing(body, TIMECARD_REQUIRED):
            return error
        external = str(body["externalShiftId"])
        if self.world.shift_of(external) is None:
            return Response(404, {"message": "Shift not found"})
        held = self.world.timecards.get(external)
        if created and held is not None:
            return Response(409, {"message": "Timecard already exists", **held})
        if not created and held is None:
            return Response(404, {"message": "Timecard not found"})
        return Response(200, self.world.record_timecard(body, created=created))
