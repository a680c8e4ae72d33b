"""Every Alaunus endpoint the portal calls, with its HTTP method, in one place.

The Alaunus doc describes objects but prints no URL paths (its only example is `curl 'http://example.com/api/
test'`), so every path here is CHOSEN, per issue 9: one REST collection per object under the connection's base
URL (e.g. `https://<tenant>.alaunus.example/api`), `GET /<collection>` to list, `GET /<collection>/{id}` to read
one, and writes only where the portal drives Alaunus (visits, their series, punchcard corrections, notes).
Auth and paging parameters sit here too because they are part of the same unwritten contract.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from urllib.parse import quote

__all__ = [
    "AUTH_HEADER",
    "COLLECTIONS",
    "DEFAULT_PAGE_SIZE",
    "ENDPOINTS",
    "INCREMENTAL_COLLECTIONS",
    "LIMIT_PARAM",
    "MAX_PAGE_SIZE",
    "PAGE_PARAM",
    "UPDATED_SINCE_PARAM",
    "Endpoint",
    "Method",
    "auth_headers",
    "endpoint",
]

# Doc, "Authentication": `Authorization: <api key>` - the raw key, no "Bearer" scheme.
AUTH_HEADER = "Authorization"

# CHOSEN (the doc is silent on paging): 1-based page number and page size as query parameters.
PAGE_PARAM = "page"
LIMIT_PARAM = "limit"
DEFAULT_PAGE_SIZE = 100
MAX_PAGE_SIZE = 500
# CHOSEN (the doc has no change feed): records whose `_last_updated_date` is at or after this ISO 8601 instant.
# Only objects that carry a last-updated date can be asked this way (events and the two kinds of notes).
UPDATED_SINCE_PARAM = "updated_since"
INCREMENTAL_COLLECTIONS = ("events", "patientsprogressnotes", "usersnotes")

# The 16 objects the doc describes with attributes. Conversations, Payments and Tags have headings but no
# attributes in the doc, so they are left out until Alaunus documents them.
COLLECTIONS = (
    "accounts",
    "candidates",
    "clients",
    "contacts",
    "events",
    "eventsgroups",
    "files",
    "invoices",
    "patients",
    "patientsprogressnotes",
    "payrolls",
    "payrollsusers",
    "punchcards",
    "skills",
    "users",
    "usersnotes",
)


class Method(StrEnum):
    GET = "GET"
    POST = "POST"
    PUT = "PUT"


@dataclass(frozen=True, slots=True)
class Endpoint:
    """One call: `path` is relative to the connection's base URL and may hold an `{id}` placeholder."""

    method: Method
    path: str
    chosen: bool = True  # True: not in the Alaunus doc, our convention (all of them, today).

    def format(self, record_id: str | None = None) -> str:
        """The path with `record_id` URL-quoted into it (ids come from Alaunus and are not trusted as paths)."""
        if "{id}" not in self.path:
            return self.path
        if not record_id:
            raise ValueError(f"{self.path} needs a record id")
        return self.path.replace("{id}", quote(str(record_id), safe=""))


def _reads(collection: str) -> dict[str, Endpoint]:
    return {
        f"{collection}.list": Endpoint(Method.GET, f"/{collection}"),
        f"{collection}.retrieve": Endpoint(Method.GET, f"/{collection}/{{id}}"),
    }


ENDPOINTS: dict[str, Endpoint] = {
    **{name: point for collection in COLLECTIONS for name, point in _reads(collection).items()},
    "events.create": Endpoint(Method.POST, "/events"),
    "events.update": Endpoint(Method.PUT, "/events/{id}"),
    "eventsgroups.create": Endpoint(Method.POST, "/eventsgroups"),
    "eventsgroups.update": Endpoint(Method.PUT, "/eventsgroups/{id}"),
    "punchcards.update": Endpoint(Method.PUT, "/punchcards/{id}"),
    "usersnotes.create": Endpoint(Method.POST, "/usersnotes"),
    "patientsprogressnotes.create": Endpoint(Method.POST, "/patientsprogressnotes"),
}


def endpoint(name: str) -> Endpoint:
    """Look up `"<collection>.<action>"`; a KeyError names the known ones, which beats a silent 404 later."""
    try:
        return ENDPOINTS[name]
    except KeyError:
        raise KeyError(f"no Alaunus endpoint {name!r}; known: {', '.join(sorted(ENDPOINTS))}") from None


def auth_headers(api_key: str) -> dict[str, str]:
    """The one header Alaunus authenticates by."""
    if not api_key or not api_key.strip():
        raise ValueError("an Alaunus API key is required")
    return {AUTH_HEADER: api_key.strip()}
