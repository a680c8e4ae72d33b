"""Lazy iterators over the paging styles in the vendor docs; each holds one page in memory at a time.

Each yields pages (lists of records) so a sync can diff a page at a time. `prefetched` reads such an iterator one
page ahead in a thread of its own, so the next page is fetched while the current one is written.
"""

from __future__ import annotations

import contextvars
import queue
import threading
from collections.abc import Iterator
from typing import Any, TypeVar

from vendors.base.client import VendorClient

__all__ = [
    "cursor_pages",
    "laravel_pages",
    "numbered_pages",
    "prefetched",
    "results_per_page_pages",
]

T = TypeVar("T")

_END = object()


def prefetched(pages: Iterator[T], *, ahead: int = 1) -> Iterator[T]:
    """Yield what `pages` yields, in order, while a thread reads up to `ahead` pages beyond the one being used.

    A sync alternates between waiting for the vendor (the next page) and waiting for its database (this page's
    writes); done one after the other, a run pays both in full. Here the vendor's answer and its parsing overlap
    the writes of the page before (issue 4: the sync benchmark). `pages` runs in the reading thread, so it must
    not use the database (Django's connections belong to their thread). An exception it raises is raised here when
    its turn comes, after every page before it was yielded; so a failing page N+1 still leaves page N written.
    Closing this iterator early stops the reader after the page it is fetching, which is then dropped: an
    iterator that knows where to stop (an incremental cut) should stop itself, so no page is fetched needlessly.
    At most `ahead` + 1 pages are held beyond the one in use.
    """
    handoff: queue.Queue = queue.Queue(maxsize=ahead)
    stopped = threading.Event()

    def offer(item: object) -> bool:
        while not stopped.is_set():
            try:
                handoff.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def read() -> None:
        try:
            for page in pages:
                if not offer((page, None)):
                    break
            else:
                offer((_END, None))
        except BaseException as exc:  # handed to the consumer, who raises it in its own thread
            offer((_END, exc))
        finally:
            close = getattr(pages, "close", None)
            if close is not None:
                close()

    reader = threading.Thread(target=contextvars.copy_context().run, args=(read,), name="page-prefetch", daemon=True)
    reader.start()
    try:
        while True:
            page, error = handoff.get()
            if error is not None:
                raise error
            if page is _END:
                return
            yield page
    finally:
        stopped.set()


def cursor_pages(
    client: VendorClient, path: str, params: dict[str, Any] | None = None, *, data_key: str = "data"
) -> Iterator[list[dict]]:
    """JSON:API `meta.cursor`, sent back as `after`, until the cursor is null (Kamana "Pagination")."""
    params = dict(params or {})
    while True:
        body = client.get(path, **params) or {}
        yield body.get(data_key) or []
        cursor = (body.get("meta") or {}).get("cursor")
        if not cursor:
            return
        params["after"] = cursor


def numbered_pages(
    client: VendorClient, path: str, params: dict[str, Any] | None = None, *, size: int = 50, data_key: str = "data"
) -> Iterator[list[dict]]:
    """`page[number]`/`page[size]`, until a short page (Kamana's paged lists)."""
    number = 1
    while True:
        body = client.get(path, **{**(params or {}), "page[number]": number, "page[size]": size}) or {}
        records = body.get(data_key) or []
        yield records
        if len(records) < size:
            return
        number += 1


def laravel_pages(
    client: VendorClient, path: str, params: dict[str, Any] | None = None, *, per_page: int = 50
) -> Iterator[list[dict]]:
    """Laravel's paginator: `current_page`/`last_page`/`per_page` next to `data` (TribeIT Ceki)."""
    page = 1
    while True:
        body = client.get(path, **{**(params or {}), "page": page, "per_page": per_page}) or {}
        yield body.get("data") or []
        if int(body.get("current_page") or page) >= int(body.get("last_page") or page):
            return
        page += 1


def results_per_page_pages(
    client: VendorClient,
    path: str,
    params: dict[str, Any] | None = None,
    *,
    per_page: int = 50,
    data_key: str = "Results",
) -> Iterator[list[dict]]:
    """`results_per_page` + `page_number` (CareerBuilder), until a short page."""
    page = 1
    while True:
        body = client.get(path, **{**(params or {}), "results_per_page": per_page, "page_number": page}) or {}
        records = body.get(data_key) or [] if isinstance(body, dict) else body
        yield records
        if len(records) < per_page:
            return
        page += 1
