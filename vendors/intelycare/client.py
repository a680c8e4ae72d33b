"""IntelyCare's REST calls, one method per endpoint; the methods and paths are `paths.py`'s (the doc names none)."""

from __future__ import annotations

from typing import Any

import httpx

from vendors.base.client import VendorClient
from vendors.intelycare.paths import CREATE_SHIFT, CREATE_TIMECARD, DELETE_SHIFT, UPDATE_SHIFT, UPDATE_TIMECARD

__all__ = ["IntelyCareAuth", "IntelyCareClient"]


class IntelyCareAuth(httpx.Auth):
    """`X-API-KEY` and `X-CLIENT-ID` on every call (doc: "Authentication")."""

    def __init__(self, api_key: str, client_id: str) -> None:
        self.api_key, self.client_id = api_key, client_id

    def auth_flow(self, request: httpx.Request):
        request.headers["X-API-KEY"] = self.api_key
        request.headers["X-CLIENT-ID"] = self.client_id
        yield request


class IntelyCareClient:
    """One object per request (the doc: bulk is not supported)."""

    def __init__(self, http: VendorClient) -> None:
        self.http = http

    def create_shift(self, body: dict[str, Any]) -> dict[str, Any]:
        # externalShiftId is IntelyCare's natural key for a shift, so a repeated POST is recognised (409).
        return self.http.request(CREATE_SHIFT.method, CREATE_SHIFT.path(), json=body, retry_post=True)["data"]

    def update_shift(self, shift_id: str, body: dict[str, Any]) -> dict[str, Any]:
        return self.http.request(UPDATE_SHIFT.method, UPDATE_SHIFT.path(shift_id=shift_id), json=body)["data"]

    def delete_shift(self, shift_id: str) -> dict[str, Any]:
        return self.http.request(DELETE_SHIFT.method, DELETE_SHIFT.path(shift_id=shift_id))["data"]

    def create_timecard(self, body: dict[str, Any]) -> dict[str, Any]:
        return self.http.request(CREATE_TIMECARD.method, CREATE_TIMECARD.path(), json=body, retry_post=True)

    def update_timecard(self, body: dict[str, Any]) -> dict[str, Any]:
        return self.http.request(UPDATE_TIMECARD.method, UPDATE_TIMECARD.path(), json=body)
