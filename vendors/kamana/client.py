"""Kamana's REST calls, typed: every endpoint of `paths.py`, bodies checked by `schemas` before anything is sent.

A thin layer over `VendorClient` (retries, error taxonomy, logging): it fills path templates, adds `include`,
walks both paging styles, and reads answers into the typed records of `schemas`. A body the doc says Kamana
would refuse never leaves: it raises `ValidationFailed` with the same field errors Kamana's would carry.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import Any, TypeVar
from urllib.parse import quote

import httpx

from vendors.base.client import VendorClient
from vendors.kamana import schemas
from vendors.kamana.paths import ENDPOINTS, request_headers
from vendors.kamana.schemas import Page, PayloadInvalid

__all__ = ["KamanaAuth", "KamanaClient", "checked"]

T = TypeVar("T")


class KamanaAuth(httpx.Auth):
    """`Authorization: Bearer` and the versioned `Accept` on every call (doc "Authentication", "Versioning")."""

    def __init__(self, token: str) -> None:
        self.token = token

    def auth_flow(self, request: httpx.Request):
        request.headers.update(request_headers(self.token, sends_body=bool(request.content)))
        yield request


def checked(build: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """Run a `schemas` body builder; its refusal becomes the taxonomy's `ValidationFailed` with field errors."""
    try:
        return build(*args, **kwargs)
    except PayloadInvalid as invalid:
        raise invalid.refused("Kamana") from invalid


def _path(key: str, **ids: str) -> str:
    return ENDPOINTS[key].path.format(**{name: quote(str(value), safe="") for name, value in ids.items()})


class KamanaClient:
    """One Kamana account. Lists yield typed `Page`s lazily; single calls return typed records."""

    def __init__(self, http: VendorClient) -> None:
        self.http = http

    # -- plumbing --------------------------------------------------------------------------------------------
    def _call(self, key: str, parse: Any, *, json: Any = None, params: Mapping[str, Any] | None = None, **ids: str):
        endpoint = ENDPOINTS[key]
        query = dict(params or {})
        if endpoint.include and "include" not in query:
            query.update(schemas.include_query(endpoint.include))
        body = self.http.request(endpoint.method, _path(key, **ids), json=json, params=query or None)
        return schemas.read_single(body, parse)

    def cursor_pages(
        self, key: str, parse: Callable[..., T], params: Mapping[str, Any] | None = None, **ids: str
    ) -> Iterator[Page[T]]:
        """`meta.cursor` sent back as `after` until it is null (doc "Pagination"), each page read and typed."""
        for body in self.raw_cursor_pages(key, params, **ids):
            yield schemas.read_page(body, parse)

    def document(self, key: str, **ids: str) -> dict:
        """A single resource's whole document, for callers that keep the raw JSON beside the typed record."""
        return self.http.get(_path(key, **ids)) or {}

    def raw_cursor_pages(self, key: str, params: Mapping[str, Any] | None = None, **ids: str) -> Iterator[dict]:
        """The same walk, yielding whole documents (`data` + `included`): the sync keeps each record's raw JSON."""
        endpoint = ENDPOINTS[key]
        query = dict(params or {})
        if endpoint.include and "include" not in query:
            query.update(schemas.include_query(endpoint.include))
        while True:
            body = self.http.get(_path(key, **ids), **query) or {}
            yield body
            cursor = (body.get("meta") or {}).get("cursor") if isinstance(body, dict) else None
            if not cursor:
                return
            query["after"] = str(cursor)

    def raw_numbered_pages(self, key: str, *, size: int = 50, **ids: str) -> Iterator[dict]:
        """`page[number]`/`page[size]` from 1 until a short page (clients and client contacts)."""
        number = 1
        while True:
            body = self.http.get(_path(key, **ids), **schemas.page_query(number, size)) or {}
            yield body
            if len(body.get("data") or []) < size:
                return
            number += 1

    def numbered_pages(self, key: str, parse: Callable[..., T], *, size: int = 50, **ids: str) -> Iterator[Page[T]]:
        for body in self.raw_numbered_pages(key, size=size, **ids):
            yield schemas.read_page(body, parse)

    # -- clients and contacts --------------------------------------------------------------------------------
    def clients(self, *, size: int = 50) -> Iterator[Page[schemas.Client]]:
        return self.numbered_pages("clients.list", schemas.Client.from_payload, size=size)

    def client(self, client_id: str) -> schemas.Client:
        return self._call("clients.show", schemas.Client.from_payload, client_id=client_id)

    def create_client(self, values: Mapping[str, Any]) -> schemas.Client:
        body = checked(schemas.client_body, values)
        return self._call("clients.create", schemas.Client.from_payload, json=body)

    def client_contacts(self, client_id: str, *, size: int = 50) -> Iterator[Page[schemas.ClientContact]]:
        return self.numbered_pages(
            "client_contacts.list", schemas.ClientContact.from_payload, size=size, client_id=client_id
        )

    def client_contact(self, client_id: str, contact_id: str) -> schemas.ClientContact:
        return self._call(
            "client_contacts.show", schemas.ClientContact.from_payload, client_id=client_id, contact_id=contact_id
        )

    def create_client_contact(self, client_id: str, values: Mapping[str, Any]) -> schemas.ClientContact:
        body = checked(schemas.client_contact_body, values, create=True)
        return self._call("client_contacts.create", schemas.ClientContact.from_payload, json=body, client_id=client_id)

    def update_client_contact(
        self, client_id: str, contact_id: str, values: Mapping[str, Any]
    ) -> schemas.ClientContact:
        body = checked(schemas.client_contact_body, values, create=False)
        return self._call(
            "client_contacts.update",
            schemas.ClientContact.from_payload,
            json=body,
            client_id=client_id,
            contact_id=contact_id,
        )

    def delete_client_contact(self, client_id: str, contact_id: str) -> schemas.ClientContact:
        return self._call(
            "client_contacts.delete", schemas.ClientContact.from_payload, client_id=client_id, contact_id=contact_id
        )

    # -- relationships ---------------------------------------------------------------------------------------
    def create_relationship(self, account_id: str, values: Mapping[str, Any]) -> schemas.Relationship:
        body = checked(schemas.relationship_create_body, values)
        return self._call("relationships.create", schemas.Relationship.from_payload, json=body, account_id=account_id)

    def update_relationship(
        self, account_id: str, relationship_id: str, values: Mapping[str, Any]
    ) -> schemas.Relationship:
        body = checked(schemas.relationship_update_body, values)
        return self._call(
            "relationships.update",
            schemas.Relationship.from_payload,
            json=body,
            account_id=account_id,
            relationship_id=relationship_id,
        )

    # -- engagements -----------------------------------------------------------------------------------------
    def engagement(self, engagement_id: str) -> schemas.Engagement:
        return self._call("engagements.show", schemas.Engagement.from_payload, engagement_id=engagement_id)

    def update_engagement(
        self, engagement_id: str, values: Mapping[str, Any], *, current_client_contract_id: str | None
    ) -> schemas.Engagement:
        body = checked(schemas.engagement_update_body, values, current_client_contract_id=current_client_contract_id)
        return self._call("engagements.update", schemas.Engagement.from_payload, json=body, engagement_id=engagement_id)

    def extensions(self, engagement_id: str) -> Iterator[Page[schemas.EngagementExtension]]:
        return self.cursor_pages(
            "engagement_extensions.list", schemas.EngagementExtension.from_payload, engagement_id=engagement_id
        )

    def extension(self, engagement_id: str, extension_id: str) -> schemas.EngagementExtension:
        return self._call(
            "engagement_extensions.show",
            schemas.EngagementExtension.from_payload,
            engagement_id=engagement_id,
            extension_id=extension_id,
        )

    def create_extension(self, engagement_id: str, values: Mapping[str, Any]) -> schemas.EngagementExtension:
        body = checked(schemas.engagement_extension_body, values)
        return self._call(
            "engagement_extensions.create",
            schemas.EngagementExtension.from_payload,
            json=body,
            engagement_id=engagement_id,
        )

    def notes(self, engagement_id: str) -> Iterator[Page[schemas.EngagementNote]]:
        return self.cursor_pages(
            "engagement_notes.list", schemas.EngagementNote.from_payload, engagement_id=engagement_id
        )

    def note(self, engagement_id: str, note_id: str) -> schemas.EngagementNote:
        return self._call(
            "engagement_notes.show", schemas.EngagementNote.from_payload, engagement_id=engagement_id, note_id=note_id
        )

    def requirements(self, engagement_id: str) -> Iterator[Page[schemas.EngagementRequirement]]:
        return self.cursor_pages(
            "engagement_requirements.list", schemas.EngagementRequirement.from_payload, engagement_id=engagement_id
        )

    def requirement(self, engagement_id: str, requirement_id: str) -> schemas.EngagementRequirement:
        return self._call(
            "engagement_requirements.show",
            schemas.EngagementRequirement.from_payload,
            engagement_id=engagement_id,
            engagement_requirement_id=requirement_id,
        )

    # -- facilities ------------------------------------------------------------------------------------------
    def facilities(self) -> Iterator[Page[schemas.Facility]]:
        return self.cursor_pages("facilities.list", schemas.Facility.from_payload)

    def facility(self, facility_id: str) -> schemas.Facility:
        return self._call("facilities.show", schemas.Facility.from_payload, facility_id=facility_id)

    def create_facility(self, values: Mapping[str, Any]) -> schemas.Facility:
        body = checked(schemas.facility_body, values, create=True)
        return self._call("facilities.create", schemas.Facility.from_payload, json=body)

    def update_facility(self, facility_id: str, values: Mapping[str, Any]) -> schemas.Facility:
        body = checked(schemas.facility_body, values, create=False)
        return self._call("facilities.update", schemas.Facility.from_payload, json=body, facility_id=facility_id)

    def delete_facility(self, facility_id: str, *, static_id: str | None) -> schemas.Facility:
        checked(schemas.facility_delete_check, static_id)
        return self._call("facilities.delete", schemas.Facility.from_payload, facility_id=facility_id)

    # -- job requisitions ------------------------------------------------------------------------------------
    def job_requisitions(self, **filters: Any) -> Iterator[Page[schemas.JobRequisition]]:
        query = checked(schemas.job_requisitions_query, filters)
        return self.cursor_pages("job_requisitions.list", schemas.JobRequisition.from_payload, query)

    def job_requisition(self, job_requisition_id: str) -> schemas.JobRequisition:
        return self._call(
            "job_requisitions.show", schemas.JobRequisition.from_payload, job_requisition_id=job_requisition_id
        )

    def create_job_requisition(self, values: Mapping[str, Any]) -> schemas.JobRequisition:
        body = checked(schemas.job_requisition_body, values, create=True)
        return self._call("job_requisitions.create", schemas.JobRequisition.from_payload, json=body)

    def update_job_requisition(self, job_requisition_id: str, values: Mapping[str, Any]) -> schemas.JobRequisition:
        body = checked(schemas.job_requisition_body, values, create=False)
        return self._call(
            "job_requisitions.update",
            schemas.JobRequisition.from_payload,
            json=body,
            job_requisition_id=job_requisition_id,
        )

    # -- reference lists and talent --------------------------------------------------------------------------
    def professions(self) -> Iterator[Page[schemas.Profession]]:
        return self.cursor_pages("professions.list", schemas.Profession.from_payload)

    def specialties(self) -> Iterator[Page[schemas.Specialty]]:
        return self.cursor_pages("specialties.list", schemas.Specialty.from_payload)

    def talent(self, profile_id: str) -> schemas.TalentProfile:
        return self._call("talents.show", schemas.TalentProfile.from_payload, profile_id=profile_id)

    def create_profile(self, values: Mapping[str, Any]) -> schemas.TalentProfile:
        body = checked(schemas.profile_body, values)
        return self._call("profiles.create", schemas.TalentProfile.from_payload, json=body)
