"""The paging helpers against a sandbox vendor serving each documented style over real HTTP: every record once,
the last page detected, pages fetched lazily; and `prefetched`, which reads one page ahead in a thread."""

from __future__ import annotations

import threading

import pytest

from tests.support.processes import free_port
from vendors.base.client import VendorClient
from vendors.base.pagination import cursor_pages, laravel_pages, numbered_pages, prefetched, results_per_page_pages
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
def server():
    server = SandboxServer([PagingStyles(seed=TOTAL)], port=free_port()).start()
    yield server
    server.stop()


@pytest.fixture
def client(server):
    return VendorClient(vendor="Paging", base_url=server.vendor_url("paging"))


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


def _cursor_requests(server) -> int:
    return len([r for r in server.requests if r[2] == "/cursor"])


def test_prefetched_pages_arrive_in_order_while_the_next_is_fetched(client, server):
    pages = prefetched(cursor_pages(client, "cursor"))
    first = next(pages)
    assert [r["id"] for r in first] == list(range(10))
    pause = threading.Event()
    for _ in range(100):  # the reader fetches ahead while page 1 is still being used
        if _cursor_requests(server) >= 2:
            break
        pause.wait(0.05)
    assert _cursor_requests(server) >= 2
    rest = [r["id"] for page in pages for r in page]
    assert [r["id"] for r in first] + rest == list(range(TOTAL))
    assert _cursor_requests(server) == 3, "every page fetched once"


class Boom(RuntimeError):
    pass


def test_a_failing_page_is_raised_after_every_page_before_it():
    def source():
        yield "page 1"
        yield "page 2"
        raise Boom("page 3 could not be fetched")

    pages = prefetched(source())
    assert next(pages) == "page 1"
    assert next(pages) == "page 2"
    with pytest.raises(Boom, match="page 3"):
        next(pages)


def test_closing_early_stops_the_reader_and_closes_its_source():
    fetched, closed = [], threading.Event()

    def source():
        try:
            for n in range(100):
                fetched.append(n)
                yield n
        finally:
            closed.set()

    pages = prefetched(source())
    assert next(pages) == 0
    pages.close()
    assert closed.wait(5), "the reader closes the source once the consumer has stopped"
    assert len(fetched) <= 3, f"at most one page in hand, one queued and one being read; read {fetched}"


def test_a_source_that_stops_itself_is_not_read_further(client, server):
    """An iterator that knows where to stop (an incremental cut) ends the reader: nothing is fetched beyond it."""

    def first_page_only():
        for page in cursor_pages(client, "cursor"):
            yield page
            return

    assert [len(page) for page in prefetched(first_page_only())] == [10]
    assert _cursor_requests(server) == 1
