"""Lazy iterators over the paging styles in the vendor docs; each holds one page in memory at a time.

Each yields pages (lists of records) so a sync can diff a page at a time.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from vendors.base.client import VendorClient

__all__ = ["cursor_pages", "laravel_pages", "numbered_pages", "results_per_page_pages"]


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
