"""Every Kamana V2 endpoint the portal uses: method, path, how its list pages, and what the doc really wrote.

The doc's path templates mix query parameters into the path (`GET /facilities{include}`,
`GET /job_requisitions/{job_requisition_id,include}`, example URIs such as `.../facilitiesprovince`). Where
a template here differs from the doc's, `doc_path` keeps the doc's text and `chosen` says we read it as the
conventional path with `include` as a query parameter (the doc's "Requests" section: "use the include
parameter as it is described in the JSON:API spec"). README.md has the same table.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from urllib.parse import quote

__all__ = [
    "ACCEPT",
    "BASE_URL",
    "ENDPOINTS",
    "Endpoint",
    "Paging",
    "request_headers",
]

BASE_URL = "https://www.kamana.app/api"
# "Our API is versioned using the Accepts header": the only version is v2; any other is refused.
ACCEPT = "application/vnd.api.v2+json"


def request_headers(token: str, *, sends_body: bool) -> dict[str, str]:
    """Headers of every call: the Bearer token and the versioned Accept; JSON content type when a body goes.

    The doc also says bodies need "Accept: application/json", but every example sends the versioned Accept
    with `Content-Type: application/json`, which is what this does (README, quirks).
    """
    headers = {"Authorization": f"Bearer {token}", "Accept": ACCEPT}
    if sends_body:
        headers["Content-Type"] = "application/json"
    return headers


class Paging(StrEnum):
    """How a list endpoint pages (doc "Pagination" and the client lists' own section)."""

    NONE = "none"
    CURSOR = "cursor"  # `meta.cursor` sent back as `after` until it is null
    PAGE_NUMBER = "page_number"  # `page[number]`/`page[size]`, 50 by default, until a short page


@dataclass(frozen=True, slots=True)
class Endpoint:
    """One documented operation. `path` is a template with `{name}` placeholders, relative to `BASE_URL`."""

    method: str
    path: str
    doc_path: str
    paging: Paging = Paging.NONE
    include: tuple[str, ...] = ()  # relations the doc's examples include
    note: str = ""

    @property
    def chosen(self) -> bool:
        """True where the doc's template was not usable as written and this path was chosen for it."""
        return self.path != self.doc_path

    def url(self, **ids: str) -> str:
        """The full URL, each id percent-encoded (ids are UUIDs, but a path must never be built from raw text)."""
        return BASE_URL + self.path.format(**{name: quote(str(value), safe="") for name, value in ids.items()})


def _op(
    method: str,
    path: str,
    doc_path: str | None = None,
    *,
    paging: Paging = Paging.NONE,
    include: tuple[str, ...] = (),
    note: str = "",
) -> Endpoint:
    return Endpoint(method, path, doc_path or path, paging=paging, include=include, note=note)


def _list(path: str, doc_path: str | None = None, *, include: tuple[str, ...] = ()) -> Endpoint:
    """A list paged by cursor: the doc's general rule. A list that sends no `meta.cursor` is one page."""
    return _op("GET", path, doc_path, paging=Paging.CURSOR, include=include)


ENDPOINTS: dict[str, Endpoint] = {
    "clients.list": _op("GET", "/clients", paging=Paging.PAGE_NUMBER),
    "clients.show": _op("GET", "/clients/{client_id}"),
    "clients.create": _op("POST", "/clients"),
    "client_contacts.list": _op("GET", "/clients/{client_id}/contacts", paging=Paging.PAGE_NUMBER),
    "client_contacts.create": _op("POST", "/clients/{client_id}/contacts"),
    "client_contacts.show": _op("GET", "/clients/{client_id}/contacts/{contact_id}"),
    "client_contacts.update": _op("PATCH", "/clients/{client_id}/contacts/{contact_id}"),
    "client_contacts.delete": _op("DELETE", "/clients/{client_id}/contacts/{contact_id}"),
    "relationships.create": _op("POST", "/accounts/{account_id}/relationships"),
    "relationships.update": _op(
        "PATCH",
        "/accounts/{account_id}/relationships/{relationship_id}",
        note="status (with sub_status and status_reason), do_not_hire?, or the primary contact",
    ),
    "engagements.show": _op(
        "GET", "/engagements/{engagement_id}", note="no list endpoint: engagements come by webhook"
    ),
    "engagements.update": _op(
        "PUT", "/engagements/{engagement_id}", note="client_contract_id only while Kamana holds none"
    ),
    "engagement_extensions.list": _list("/engagements/{engagement_id}/extensions"),
    "engagement_extensions.show": _op(
        "GET", "/engagements/{engagement_id}/extensions/{extension_id}", "/engagements/{engagement_id}/extensions/{id}"
    ),
    "engagement_extensions.create": _op("POST", "/engagements/{engagement_id}/extensions"),
    "engagement_notes.list": _list(
        "/engagements/{engagement_id}/notes", "/engagements/{engagement_id}/notes?{include}", include=("creator",)
    ),
    "engagement_notes.show": _op(
        "GET",
        "/engagements/{engagement_id}/notes/{note_id}",
        "/engagements/{engagement_id}/notes/{note_id,include}",
        include=("creator",),
    ),
    "engagement_requirements.list": _list("/engagements/{engagement_id}/requirements"),
    "engagement_requirements.show": _op("GET", "/engagements/{engagement_id}/requirements/{engagement_requirement_id}"),
    "facilities.list": _list("/facilities", "/facilities{include}", include=("province",)),
    "facilities.create": _op("POST", "/facilities"),
    "facilities.show": _op(
        "GET", "/facilities/{facility_id}", "/facilities/{facility_id,include}", include=("province", "contracts")
    ),
    "facilities.update": _op(
        "PUT", "/facilities/{facility_id}", "/facilities/{facility_id,include}", include=("province", "contracts")
    ),
    "facilities.delete": _op("DELETE", "/facilities/{facility_id}", note="only when static_id is null"),
    "job_requisitions.list": _list(
        "/job_requisitions",
        "/job_requisitions?{profession_id,specialty_id,province_id,facility_id,status,search,after,include}",
        include=("creator", "facility.province"),
    ),
    "job_requisitions.create": _op("POST", "/job_requisitions"),
    "job_requisitions.show": _op(
        "GET",
        "/job_requisitions/{job_requisition_id}",
        "/job_requisitions/{job_requisition_id,include}",
        include=("creator", "facility.province"),
    ),
    "job_requisitions.update": _op("PUT", "/job_requisitions/{job_requisition_id}"),
    "professions.list": _list("/professions"),
    "specialties.list": _list("/specialties"),
    "talents.show": _op("GET", "/talents/{profile_id}"),
    "profiles.create": _op("POST", "/profiles"),
}
