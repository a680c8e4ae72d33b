"""The page number a list reads from its URL, the same way on every page.

A page past the last is an empty page, not an error; a number past `LAST_PAGE` is read as it, since an OFFSET
that big overflows PostgreSQL's bigint (a 500 before, `?page=99999999999999999999`).
"""

from __future__ import annotations

from django.http import HttpRequest

__all__ = ["LAST_PAGE", "page_number"]

LAST_PAGE = 10_000


def page_number(request: HttpRequest) -> int:
    """`?page=` as a whole number from 1 to `LAST_PAGE`; anything else is page 1."""
    value = request.GET.get("page", "").strip()
    return max(1, min(int(value), LAST_PAGE)) if value.isdigit() else 1
