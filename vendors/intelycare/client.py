"""IntelyCare's REST calls. The doc names no URL paths, so every path the portal uses is here and nowhere else
(listed in README.md); change them in this one module when IntelyCare confirms theirs."""

from __future__ import annotations

from typing import Any

import httpx

from vendors.base.client import VendorClient

__all__ = ["PATHS", "IntelyCareAuth", "IntelyCareClient"]

PATHS = {
    "shifts": "v1/shifts",
    "shift": "v1/shifts/{shift_id}",
    "timecards": "v1/timecards",
}


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
        return self.http.request("POST", PATHS["shifts"], json=body, retry_post=True)["data"]

    def update_shift(self, shift_id: str, body: dict[str, Any]) -> dict[str, Any]:
        return self.http.request("PUT", PATHS["shift"].format(shift_id=shift_id), json=body)["data"]

    def delete_shift(self, shift_id: str) -> dict[str, Any]:
        return self.http.request("DELETE", PATHS["shift"].format(shift_id=shift_id))["data"]

    def create_timecard(self, body: dict[str, Any]) -> dict[str, Any]:
        return self.http.request("POST", PATHS["timecards"], json=body, retry_post=True)

    def update_timecard(self, body: dict[str, Any]) -> dict[str, Any]:
        return self.http.request("PUT", PATHS["timecards"], json=body)
