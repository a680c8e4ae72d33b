"""What the generic sync mirrors from Alaunus: one `SyncResource` per local model, and the page readers behind
them.

A page reader fetches one Alaunus page, and before handing it to the generic diff it
- archives the records Alaunus marks deleted (`_deleted`/`_deleted_dates`, issue 9: archived, never destroyed)
  and leaves them out of the page, so they never count as changed again;
- resolves the Alaunus ids the page mentions to local rows of the same connection, a query per kind of
  reference per page (`mapping.Links`), so mapping stays a pure function of the record and its links.
Candidates and users are one resource and clients and contacts another: each pair mirrors into one model, and a
full run of one half would otherwise archive the other half as "no longer listed".
Order matters on a first sync: `RESOURCES` is in dependency order (patients before the visits that name them).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.apps import apps
from django.utils import timezone

from portal.integrations.linking import local_ids
from portal.integrations.provider import MappedRecord, Page, SyncResource
from vendors.alaunus import mapping
from vendors.alaunus.client import AlaunusClient
from vendors.alaunus.mapping import Links
from vendors.alaunus.paths import INCREMENTAL_COLLECTIONS
from vendors.alaunus.schemas import (
    Account,
    Candidate,
    Event,
    Invoice,
    PayrollUser,
    Punchcard,
    Record,
    User,
    parse_page,
)
from vendors.base.client import VendorClient
from vendors.base.pagination import prefetched

if TYPE_CHECKING:
    from portal.integrations.models import VendorConnection

__all__ = ["RESOURCES", "Linked", "account_time_zone"]

DEFAULT_ZONE = "America/Toronto"


@dataclass(frozen=True)
class Linked:
    """One record of a page with the page's links: what `SyncResource.map` receives."""

    record: Record
    links: Links


def account_time_zone(api: AlaunusClient) -> str:
    """The account's `settings.timezone`: the zone of every naive Alaunus time (README, "Decisions")."""
    found = next(iter(parse_page(Account, api.list_page("accounts", 1, limit=1), "accounts").records), None)
    zone = found.settings.timezone if found and found.settings else None
    try:
        ZoneInfo(zone or "")
    except (ZoneInfoNotFoundError, ValueError):
        return DEFAULT_ZONE
    return zone or DEFAULT_ZONE


Resolver = Callable[[int, list[Record], Links], None]
AfterPage = Callable[[int, list[Record], dt.datetime], None]


def _reader(
    collections: tuple[str, ...], resolve: Resolver | None = None, after_page: AfterPage | None = None
) -> Callable[[VendorClient, VendorConnection, dt.datetime | None], Iterator[Page]]:
    def pages(client: VendorClient, connection: VendorConnection, since: dt.datetime | None) -> Iterator[Page]:
        connection_id = connection.pk
        api = AlaunusClient(client)
        zone = account_time_zone(api)
        for collection in collections:
            incremental = collection in INCREMENTAL_COLLECTIONS
            # Fetched and parsed one page ahead (no database work there) while this one is written.
            for records in prefetched(api.record_pages(collection, since=since if incremental else None)):
                live = [r for r in records if not mapping.is_deleted(r)]
                deleted = [r.id for r in records if mapping.is_deleted(r) and r.id]
                links = Links(time_zone=zone)
                if resolve is not None:
                    resolve(connection_id, live, links)
                started = timezone.now()
                yield Page([Linked(record, links) for record in live], deleted=deleted)
                if after_page is not None:
                    after_page(connection_id, live, started)

    return pages


def _mapper(func: Callable[[Record, Links], MappedRecord]) -> Callable[[Linked], MappedRecord]:
    return lambda item: func(item.record, item.links)


def _resolve_people(connection_id: int, people: list[Record], links: Links) -> None:
    """Each person's talent profile: through this connection's reference when there is one, else matched or
    created by email (`match_or_create_profile`, which merges with the same person at other vendors)."""
    from portal.talent.services import match_or_create_profile

    links.caregivers = local_ids("talent.TalentReference", connection_id, (p.id for p in people), "profile_id")
    for person in people:
        if isinstance(person, Candidate | User) and person.id and person.id not in links.caregivers:
            name = person.name
            profile = match_or_create_profile(
                email=person.email or "",
                first_name=(name.first or "")[:100] if name else "",
                last_name=(name.last or "")[:100] if name else "",
                phone=mapping.first_phone(person.phones),
            )
            links.caregivers[person.id] = profile.pk


def _caregivers(connection_id: int, ids: Iterable[str | None]) -> dict[str, int]:
    return local_ids("talent.TalentReference", connection_id, ids, "profile_id")


def _resolve_events(connection_id: int, events: list[Record], links: Links) -> None:
    typed = [e for e in events if isinstance(e, Event)]
    links.patients = local_ids("jobs.Patient", connection_id, (e.patient.id for e in typed if e.patient))
    links.groups = local_ids("shifts.RecurringVisitGroup", connection_id, (e.group for e in typed))
    links.caregivers = _caregivers(connection_id, (a.user for e in typed for a in e.attendees))


def _resolve_punchcards(connection_id: int, cards: list[Record], links: Links) -> None:
    typed = [c for c in cards if isinstance(c, Punchcard)]
    links.visits = local_ids("shifts.Visit", connection_id, (c.event for c in typed))
    links.caregivers = _caregivers(connection_id, (c.user.id for c in typed if c.user))


def _resolve_invoices(connection_id: int, invoices: list[Record], links: Links) -> None:
    typed = [i for i in invoices if isinstance(i, Invoice)]
    links.clients = local_ids("jobs.Client", connection_id, (i.client.id for i in typed if i.client))
    links.patients = local_ids("jobs.Patient", connection_id, (i.patient.id for i in typed if i.patient))


def _resolve_payroll_entries(connection_id: int, entries: list[Record], links: Links) -> None:
    typed = [e for e in entries if isinstance(e, PayrollUser)]
    links.payrolls = local_ids("billing.Payroll", connection_id, (e.payroll for e in typed))
    links.caregivers = _caregivers(connection_id, (e.user.id for e in typed if e.user))
    card_ids = {card for e in typed for card in e.punchcards}
    cards = apps.get_model("shifts.Timecard").objects.filter(connection_id=connection_id, external_id__in=card_ids)
    for card in cards.only("external_id", "check_in", "check_out", "break_minutes", "pay_total"):
        links.timecards[card.external_id] = (card.worked_minutes, card.pay_total)


def _write_invoice_lines(connection_id: int, invoices: list[Record], started: dt.datetime) -> None:
    """Lines follow their invoice (billing's service rewrites those the sync just created or changed)."""
    from portal.billing.invoice_lines import rewrite_changed_invoice_lines

    lines = {i.id: mapping.invoice_lines(i) for i in invoices if isinstance(i, Invoice) and i.id}
    rewrite_changed_invoice_lines(connection_id, lines, started)


def _resource(
    name: str,
    label: str,
    collections: tuple[str, ...],
    func: Callable,
    resolve: Resolver | None = None,
    after_page: AfterPage | None = None,
) -> SyncResource:
    return SyncResource(
        name=name,
        model=label,
        pages=_reader(collections, resolve, after_page),
        map=_mapper(func),
        incremental=all(c in INCREMENTAL_COLLECTIONS for c in collections),
    )


RESOURCES: dict[str, SyncResource] = {
    resource.name: resource
    for resource in (
        _resource("skills", "talent.Skill", ("skills",), mapping.skill_record),
        _resource("clients", "jobs.Client", ("clients", "contacts"), mapping.client_record),
        _resource("patients", "jobs.Patient", ("patients",), mapping.patient_record),
        _resource(
            "talent",
            "talent.TalentReference",
            ("candidates", "users"),
            mapping.talent_reference_record,
            _resolve_people,
        ),
        _resource("eventsgroups", "shifts.RecurringVisitGroup", ("eventsgroups",), mapping.recurring_group_record),
        _resource("events", "shifts.Visit", ("events",), mapping.visit_record, _resolve_events),
        _resource("punchcards", "shifts.Timecard", ("punchcards",), mapping.timecard_record, _resolve_punchcards),
        _resource(
            "invoices",
            "billing.Invoice",
            ("invoices",),
            mapping.invoice_record,
            _resolve_invoices,
            _write_invoice_lines,
        ),
        _resource("payrolls", "billing.Payroll", ("payrolls",), mapping.payroll_record),
        _resource(
            "payrollsusers",
            "billing.PayrollEntry",
            ("payrollsusers",),
            mapping.payroll_entry_record,
            _resolve_payroll_entries,
        ),
    )
}
