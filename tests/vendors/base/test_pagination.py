"""The paging helpers against a sandbox vendor serving each documented style over real HTTP: every record once,
the last page detected, pages fetched lazily."""

from __future__ import annotations

import pytest

from tests.support.processes import free_port
from vendors.base.client import VendorClient
from vendors.base.pagination import cursor_pages, laravel_pages, numbered_pages, results_per_page_pages
from vendors.base.sandbox import Request, Response, SandboxServer, SandboxVendor, route

TOTAL = 23


class PagingStyles(SandboxVendor):
    name = "paging"

    def seed(self, count: int) -> None:
        self.records = [{"id": n} for n in range(count)]

    def _slice(self, start: int, size: int) -> list[dict]:
        return self.records[start : start + size]

    @route("GET", "/cursor")
    def cursor(self, request: Request) -> Response:  # Kamana: meta.cursor -> ?after=
        start = int(request.query.get("after", ["0"])[0])
        end = start + 10
        return Response(200, {"data": self._slice(start, 10), "meta": {"cursor": str(end) if end < TOTAL else None}})

    @route("GET", "/numbered")
    def numbered(self, request: Request) -> Response:  # Kamana: page[number] / page[size]
        number, size = int(request.query["page[number]"][0]), int(request.query["page[size]"][0])
        return Response(200, {"data": self._slice((number - 1) * size, size)})

    @route("GET", "/laravel")
    def laravel(self, request: Request) -> Response:  # Ceki: current_page / last_page / per_page
        page, per_page = int(request.query["page"][0]), int(request.query["per_page"][0])
        last = -(-TOTAL // per_page)
        return Response(
            200,
            {
                "data": self._slice((page - 1) * per_page, per_page),
                "current_page": page,
                "last_page": last,
                "per_page": per_page,
            },
        )

    @route("GET", "/results")
    def results(self, request: Request) -> Response:  # CareerBuilder: results_per_page
        page, size = int(request.query["page_number"][0]), int(request.query["results_per_page"][0])
        return Response(200, {"Results": self._slice((page - 1) * size, size)})


@pytest.fixture
def client():
    server = SandboxServer([PagingStyles(seed=TOTAL)], port=free_port()).start()
    yield VendorClient(vendor="Paging", base_url=server.vendor_url("paging"))
    server.stop()


@pytest.mark.parametrize(
    ("pages", "path", "kwargs"),
    [
        (cursor_pages, "cursor", {}),
        (numbered_pages, "numbered", {"size": 10}),
        (laravel_pages, "laravel", {"per_page": 10}),
        (results_per_page_pages, "results", {"per_page": 10}),
    ],
)
def test_every_style_yields_every_record_once(client, pages, path, kwargs):
    iterator = pages(client, path, **kwargs)
    first = next(iterator)
    assert [r["id"] for r in first] == list(range(10)), "the first page arrives before the rest is fetched"
    ids = [r["id"] for r in first] + [r["id"] for page in iterator for r in page]
    assert ids == list(range(TOTAL))
