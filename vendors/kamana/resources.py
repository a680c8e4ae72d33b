"""What the generic sync mirrors from Kamana: one `SyncResource` per listable resource, and the page readers.

A page reader fetches one Kamana page, reads each record into its typed form (an unreadable one is handed on as
such and counted as failed by the run) and yields a `Page`: the records, and the `included` provinces and
facilities they name (so `include` saves the calls a lookup would cost). It writes nothing: the sync's writer
stores the included records first, then maps the page's records, whose Kamana ids are resolved to local rows of
the same connection, one query per kind, when the first of them is mapped (`mapping.Links`), so they link to
what their page included. Mapping then stays a pure function of a record and its links.
Fetching and reading (`read_document`, no database work) run one page ahead in a thread of their own
(`prefetched`), so the next page is on its way while the sync writes this one; linking stays in the sync's
thread, whose database connection and transaction it uses.

Kamana lists no talents: opportunity preferences are read talent by talent (Show Talent includes them) for every
Kamana talent this connection's references name, fifty talents a page.

Incremental: Kamana documents no change filter on any list. Job requisitions are read newest change first
(README "Decisions": the order the sandbox serves and we rely on, to be confirmed with Kamana), so an incremental
run stops at the first page that reaches records older than the last run's watermark; the reading thread makes
that cut itself, so no page beyond it is fetched. The other lists are small reference data and are always read
whole.
Order matters on a first sync: `RESOURCES` is in dependency order.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from portal.integrations.errors import NotFound
from portal.integrations.linking import local_ids
from portal.integrations.provider import Included, MappedRecord, Page, SyncResource
from vendors.base.client import VendorClient
from vendors.base.pagination import prefetched
from vendors.kamana import mapping, schemas
from vendors.kamana.client import KamanaClient
from vendors.kamana.mapping import Links
from vendors.kamana.schemas.reading import index_included

if TYPE_CHECKING:
    from portal.integrations.models import VendorConnection

__all__ = ["RESOURCES", "Document", "Item", "included_records", "link", "read_document", "read_included"]

# Kamana's timestamps are whole seconds; a record changed in the watermark's own second is read again.
TIE = dt.timedelta(seconds=1)


@dataclass(frozen=True)
class Item:
    """One record of a page: its raw JSON, its typed reading (None when unreadable, with `error`) and its page's
    links, looked up when the writer maps it (`links()`)."""

    raw: Mapping[str, Any]
    record: Any
    links: Callable[[], Links]
    error: str = ""


def _read(data: Iterable[Any], included: Mapping, parse: Callable) -> list[tuple[Mapping, Any, str]]:
    out = []
    for raw in data:
        try:
            out.append((raw, parse(raw, included), ""))
        except schemas.PayloadUnreadable as unreadable:
            out.append((raw if isinstance(raw, Mapping) else {"value": raw}, None, str(unreadable)))
    return out


def link(connection, records: list[Any]) -> Links:
    """The local pks of every Kamana id these records mention, one query per kind that occurs."""
    cid = connection.pk
    links = Links(account_ref=str((connection.credentials or {}).get("account_id", "")))
    get = lambda name: [getattr(r, name, None) for r in records]  # noqa: E731
    links.provinces = local_ids("jobs.Province", cid, get("province_id"))
    links.facilities = local_ids("jobs.Facility", cid, get("facility_id"))
    links.professions = local_ids("jobs.Profession", cid, get("profession_id"))
    links.specialties = local_ids("jobs.Specialty", cid, get("specialty_id"))
    links.requisitions = local_ids("jobs.JobRequisition", cid, get("job_requisition_id"))
    links.engagements = local_ids("contracts.Engagement", cid, get("engagement_id"))
    profile_ids = [
        *get("profile_id"),
        *(r.relationship.profile_id for r in records if getattr(r, "relationship", None)),
    ]
    links.talents = local_ids("talent.TalentReference", cid, profile_ids, "profile_id")
    return links


def _looked_up(connection, records: list[Any]) -> Callable[[], Links]:
    """The links of a page's records, looked up once, when the writer maps the first of them: after it stored
    what the page included, so a requisition links to the facility its own page brought."""
    return functools.cache(functools.partial(link, connection, records))


def _known(links: Links) -> Callable[[], Links]:
    """Links the reader knows without a lookup (the client whose contacts, the talent whose preferences)."""
    return lambda: links


def _mapper(build: Callable[[Any, Mapping, Links], MappedRecord]) -> Callable[[Item], MappedRecord]:
    def map_item(item: Item) -> MappedRecord:
        if item.record is None:
            raise ValueError(item.error or "unreadable record")
        return build(item.record, item.raw, item.links())

    return map_item


# What `included` may hold that a page's records point at, in the order it is stored (provinces first):
# kind -> (model, reader, mapping).
_INCLUDED = {
    "province": ("jobs.Province", schemas.Province.from_payload, _mapper(mapping.province_record)),
    "facility": ("jobs.Facility", schemas.Facility.from_payload, _mapper(mapping.facility_record)),
}


@dataclass(frozen=True)
class Document:
    """A page document read into typed records with no database work, so a prefetching thread may read it."""

    read: list[tuple[Mapping, Any, str]]  # each record's raw JSON, typed reading (None if unreadable), error
    included_read: dict[str, list[tuple[Mapping, Any]]]  # the readable provinces and facilities, by kind
    last: bool = False  # an incremental cut: the list goes on, but with records older than the last run


def read_included(included: Mapping[tuple[str, str], Mapping[str, Any]]) -> dict[str, list[tuple[Mapping, Any]]]:
    """The provinces and facilities of a document's `included` (or a webhook's nested records), typed."""
    out = {}
    for kind, (_, parse, _) in _INCLUDED.items():
        raws = [raw for (type_, _), raw in included.items() if type_ == kind]
        if raws:
            out[kind] = [(raw, record) for raw, record, _ in _read(raws, included, parse) if record is not None]
    return out


def read_document(body: Any, parse: Callable) -> Document:
    body = body if isinstance(body, Mapping) else {}
    included = index_included(body.get("included"))
    return Document(_read(body.get("data") or [], included, parse), read_included(included))


def included_records(connection, included_read: Mapping[str, list[tuple[Mapping, Any]]]) -> list[Included]:
    """Provinces, then facilities, read by `read_included`, for the writer to store before the records that name
    them (`portal.integrations.sync.store_included`); each kind links when it is mapped, after the kinds before."""
    entries = []
    for kind, (model_label, _, map_item) in _INCLUDED.items():
        read = included_read.get(kind)
        if read:
            links = _looked_up(connection, [record for _, record in read])
            entries.append(Included(model_label, [Item(raw, record, links) for raw, record in read], map_item))
    return entries


def _page(connection, document: Document, links: Links | None = None) -> Page:
    readable = [record for _, record, _ in document.read if record is not None]
    page_links = _known(links) if links else _looked_up(connection, readable)
    return Page(
        [Item(raw, record, page_links, error) for raw, record, error in document.read],
        included_records(connection, document.included_read),
    )


def _cut(document: Document, since: dt.datetime) -> Document:
    """Newest first: records older than the last run's watermark (less the tie second) end the walk."""
    fresh = [
        (raw, record, error)
        for raw, record, error in document.read
        if record is None or not record.updated_at or record.updated_at >= since - TIE
    ]
    if len(fresh) == len(document.read):
        return document
    return Document(fresh, document.included_read, last=True)


def _cursor_reader(key: str, parse: Callable, *, incremental: bool = False):
    def documents(client: VendorClient, since: dt.datetime | None) -> Iterator[Document]:
        for body in KamanaClient(client).raw_cursor_pages(key):
            document = read_document(body, parse)
            if incremental and since is not None:
                document = _cut(document, since)
            yield document
            if document.last:
                return

    def pages(client: VendorClient, connection: VendorConnection, since: dt.datetime | None) -> Iterator[Page]:
        for document in prefetched(documents(client, since)):
            yield _page(connection, document)

    return pages


def _clients(client: VendorClient, connection: VendorConnection, since: dt.datetime | None) -> Iterator[Page]:
    for body in KamanaClient(client).raw_numbered_pages("clients.list"):
        yield _page(connection, read_document(body, schemas.Client.from_payload))


def _client_contacts(client: VendorClient, connection: VendorConnection, since: dt.datetime | None) -> Iterator[Page]:
    """Contacts are listed per client: every live client of this connection, each walked to its end."""
    from portal.jobs.models import Client

    api = KamanaClient(client)
    for pk, external_id in Client.objects.filter(connection=connection, archived_at=None).values_list(
        "pk", "external_id"
    ):
        links = Links(client_id=pk)
        for body in api.raw_numbered_pages("client_contacts.list", client_id=external_id):
            yield _page(connection, read_document(body, schemas.ClientContact.from_payload), links)


TALENTS_PER_PAGE = 50


def _talent_document(api: KamanaClient, profile_id: str, links: Callable[[], Links]) -> list[Item]:
    """One talent's opportunity preferences, each with its raw JSON from `included`; a talent Kamana no longer
    has yields none (a full run then archives its preferences)."""
    try:
        body = api.document("talents.show", profile_id=profile_id)
    except NotFound:
        return []
    try:
        talent = schemas.read_single(body, schemas.TalentProfile.from_payload)
    except schemas.PayloadUnreadable as unreadable:
        return [Item({"talent": profile_id}, None, links, f"talent {profile_id}: {unreadable}")]
    included = index_included(body.get("included"))
    return [
        Item(included.get(("opportunity_preference", preference.id)) or {"id": preference.id}, preference, links)
        for preference in talent.opportunity_preferences
    ]


def _opportunity_preferences(
    client: VendorClient, connection: VendorConnection, since: dt.datetime | None
) -> Iterator[list[Item]]:
    """Every live Kamana talent of this connection (its `TalentReference`s, by pk), read with Show Talent."""
    from portal.talent.models import TalentReference

    api = KamanaClient(client)
    references = TalentReference.objects.filter(connection=connection, archived_at=None).exclude(external_id="")
    after = 0
    while batch := list(
        references.filter(pk__gt=after).order_by("pk").values_list("pk", "external_id")[:TALENTS_PER_PAGE]
    ):
        after = batch[-1][0]
        yield [
            item
            for pk, profile_id in batch
            for item in _talent_document(api, profile_id, _known(Links(talent_reference_id=pk)))
        ]


RESOURCES: dict[str, SyncResource] = {
    resource.name: resource
    for resource in (
        SyncResource(
            "professions",
            "jobs.Profession",
            _cursor_reader("professions.list", schemas.Profession.from_payload),
            _mapper(mapping.profession_record),
            incremental=False,
        ),
        SyncResource(
            "specialties",
            "jobs.Specialty",
            _cursor_reader("specialties.list", schemas.Specialty.from_payload),
            _mapper(mapping.specialty_record),
            incremental=False,
        ),
        SyncResource("clients", "jobs.Client", _clients, _mapper(mapping.client_record), incremental=False),
        SyncResource(
            "client_contacts",
            "jobs.ClientContact",
            _client_contacts,
            _mapper(mapping.client_contact_record),
            incremental=False,
        ),
        SyncResource(
            "facilities",
            "jobs.Facility",
            _cursor_reader("facilities.list", schemas.Facility.from_payload),
            _mapper(mapping.facility_record),
            incremental=False,
        ),
        SyncResource(
            "job_requisitions",
            "jobs.JobRequisition",
            _cursor_reader("job_requisitions.list", schemas.JobRequisition.from_payload, incremental=True),
            _mapper(mapping.job_requisition_record),
        ),
        SyncResource(
            "opportunity_preferences",
            "talent.OpportunityPreference",
            _opportunity_preferences,
            _mapper(mapping.opportunity_preference_record),
            incremental=False,
        ),
    )
}
