"""Alaunus's REST calls over the shared `VendorClient`, every path taken from `paths.py`.

`AlaunusClient` is the typed face of it: lists page by page, reads, and writes checked by the drafts before they
leave (a draft's `PayloadInvalid` becomes the same `ValidationFailed` with field errors that Alaunus's own 422
answer becomes, so a page shows both the same way).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import httpx

from portal.integrations.calls import expect_records
from vendors.alaunus.paths import (
    DEFAULT_PAGE_SIZE,
    LIMIT_PARAM,
    PAGE_PARAM,
    UPDATED_SINCE_PARAM,
    auth_headers,
    endpoint,
)
from vendors.alaunus.schemas import (
    SCHEMA_BY_COLLECTION,
    EventDraft,
    PayloadInvalid,
    PunchcardDraft,
    Record,
    parse_page,
)
from vendors.base.client import VendorClient

__all__ = ["AlaunusAuth", "AlaunusClient", "checked"]


class AlaunusAuth(httpx.Auth):
    """Doc, "Authentication": `Authorization: <api key>`, the bare key with no `Bearer` scheme."""

    def __init__(self, api_key: str) -> None:
        self.headers = auth_headers(api_key)

    def auth_flow(self, request: httpx.Request):
        request.headers.update(self.headers)
        yield request


def checked(draft: EventDraft | PunchcardDraft) -> dict[str, Any]:
    """The draft's body, or the draft's own field errors as a `ValidationFailed` (nothing is sent)."""
    try:
        return draft.to_payload()
    except PayloadInvalid as exc:
        raise exc.refused("Alaunus") from exc


class AlaunusClient:
    """Typed calls; `http` is the connection's reused `VendorClient`."""

    def __init__(self, http: VendorClient) -> None:
        self.http = http

    def list_page(
        self,
        collection: str,
        page: int = 1,
        *,
        limit: int = DEFAULT_PAGE_SIZE,
        since: dt.datetime | None = None,
        **filters: Any,
    ) -> dict[str, Any]:
        """One page of a collection as Alaunus sends it (the envelope, raw)."""
        params: dict[str, Any] = {PAGE_PARAM: page, LIMIT_PARAM: limit, **filters}
        if since is not None:
            params[UPDATED_SINCE_PARAM] = since.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")
        return self.http.get(endpoint(f"{collection}.list").format(), **params) or {}

    def record_pages(
        self, collection: str, *, limit: int = DEFAULT_PAGE_SIZE, since: dt.datetime | None = None, **filters: Any
    ) -> Iterator[tuple[Record, ...]]:
        """Every page, parsed, lazily, until Alaunus says there is no more (`Page.has_more`)."""
        schema = SCHEMA_BY_COLLECTION[collection]
        number = 1
        while True:
            page = parse_page(
                schema, self.list_page(collection, number, limit=limit, since=since, **filters), collection
            )
            if number == 1 and page.total is not None:
                expect_records(page.total)  # the envelope's total: the sync run shows a bar
            yield page.records
            if not page.records or not page.has_more:
                return
            number += 1

    def records(self, collection: str, **filters: Any) -> Iterator[Record]:
        """Every record of a collection."""
        for page in self.record_pages(collection, **filters):
            yield from page

    def retrieve(self, collection: str, record_id: str) -> Record:
        body = self.http.get(endpoint(f"{collection}.retrieve").format(record_id))
        return SCHEMA_BY_COLLECTION[collection].from_payload(body)

    def write(self, name: str, body: dict[str, Any], record_id: str | None = None) -> dict[str, Any]:
        """Send a body already checked (by a draft, or given whole by an API caller) to endpoint `name`."""
        point = endpoint(name)
        return self.http.request(point.method.value, point.format(record_id), json=body) or {}

    def create_event(self, draft: EventDraft) -> dict[str, Any]:
        return self.write("events.create", checked(draft))

    def correct_punchcard(self, punchcard_id: str, draft: PunchcardDraft) -> dict[str, Any]:
        return self.write("punchcards.update", checked(draft), punchcard_id)
