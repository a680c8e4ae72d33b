"""Cursor paging: stable under inserts, and no COUNT(*) over millions of rows."""

from __future__ import annotations

from rest_framework.pagination import CursorPagination

__all__ = ["StableCursorPagination"]


class StableCursorPagination(CursorPagination):
    ordering = "-id"
    page_size_query_param = "page_size"
    max_page_size = 500
