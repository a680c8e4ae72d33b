"""A small list-serving vendor for testing and benchmarking the sync machinery: a facility directory with JSON:API
cursor paging. IntelyCare lists nothing, so the generic diff needs a vendor that does. Registered only where a
test or benchmark overrides VENDOR_PROVIDERS with "tests.integrations.directory"."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from portal.integrations.provider import MappedRecord, SyncResource, VendorProvider
from vendors.base.client import VendorClient
from vendors.base.pagination import cursor_pages
from vendors.base.sandbox import Request, Response, SandboxVendor, route

__all__ = ["DirectorySandbox", "Provider"]

EPOCH = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)
ZONES = ["America/New_York", "America/Chicago", "America/Denver", "America/Los_Angeles"]


class DirectorySandbox(SandboxVendor):
    """Records are computed from their index (constant memory at 50,000); edits and deletions are overlays."""

    name = "directory"

    def seed(self, count: int) -> None:
        self.count = count
        self.edits: dict[int, dict] = {}
        self.deleted: set[int] = set()

    def record(self, n: int) -> dict:
        base = {
            "id": str(n),
            "type": "facility",
            "attributes": {
                "name": f"Facility {n}",
                "address": {"street": f"{n} Main St", "city": f"City {n % 97}", "zip": f"{n % 100000:05d}"},
                "time_zone": ZONES[n % len(ZONES)],
                "updated_at": (EPOCH + dt.timedelta(seconds=n)).isoformat(),
            },
        }
        if n in self.edits:
            base["attributes"].update(self.edits[n])
        return base

    def edit(self, n: int, **attributes) -> None:
        stamp = (dt.datetime.now(dt.UTC)).isoformat()
        self.edits[n] = {**self.edits.get(n, {}), **attributes, "updated_at": stamp}

    @route("GET", "/facilities")
    def list_facilities(self, request: Request) -> Response:
        start = int(request.query.get("after", ["0"])[0])
        size = int(request.query.get("page_size", ["500"])[0])
        since = request.query.get("updated_since", [""])[0]
        if since:  # incremental: only what changed (the edits overlay)
            ids = sorted(n for n, e in self.edits.items() if e["updated_at"] > since and n not in self.deleted)
            return Response(200, {"data": [self.record(n) for n in ids], "meta": {"cursor": None}})
        stop = min(self.count, start + size)
        data = [self.record(n) for n in range(start, stop) if n not in self.deleted]
        return Response(200, {"data": data, "meta": {"cursor": str(stop) if stop < self.count else None}})


def facility_pages(client: VendorClient, connection: object, since: dt.datetime | None) -> Iterator[list[dict]]:
    params = {"page_size": 500, **({"updated_since": since.isoformat()} if since else {})}
    return cursor_pages(client, "facilities", params)


def map_facility(raw: dict) -> MappedRecord:
    attributes = raw["attributes"]
    address = attributes.get("address") or {}
    return MappedRecord(
        external_id=str(raw["id"]),
        fields={
            "name": attributes["name"],
            "street": address.get("street", ""),
            "city": address.get("city", ""),
            "postal_code": address.get("zip", ""),
            "time_zone": attributes.get("time_zone") or "America/New_York",
        },
        vendor_updated_at=dt.datetime.fromisoformat(attributes["updated_at"]),
        vendor_data=raw,
    )


class Provider(VendorProvider):
    name = "directory"
    label = "Facility directory"
    resources = {"facilities": SyncResource("facilities", "jobs.Facility", facility_pages, map_facility)}

    def build_client(self, connection) -> VendorClient:
        return VendorClient(vendor=self.label, base_url=connection.base_url)

    def sandbox(self) -> DirectorySandbox:
        return DirectorySandbox()
