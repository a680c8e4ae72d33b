"""What the generic sync mirrors from Ceki: one `SyncResource` per local model, and the page readers behind them.

A reader fetches a page, reads each record into its typed form (`schemas`) and resolves the Ceki ids it names to
local rows of the same connection (`mapping.Links`), so mapping stays a pure function of the record and its
links. Contracts, their participants and transactions are read whole (the doc gives them no paging and no date
filter); events are read incrementally by `dates[from]` (README, a chosen reading of the filter). Events and
bills come in Laravel pages, fetched and read one page ahead while the sync writes (`prefetched`).
Order matters on a first sync: `RESOURCES` is in dependency order, contracts first.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from django.apps import apps

from portal.integrations.provider import MappedRecord, SyncResource
from portal.talent.services import match_or_create_profile, split_name
from vendors.base.client import VendorClient
from vendors.base.pagination import prefetched
from vendors.ceki import mapping
from vendors.ceki.client import CekiClient
from vendors.ceki.mapping import Links
from vendors.ceki.schemas import Bill, CekiRecord, Contract, ContractHand, Event

if TYPE_CHECKING:
    from portal.integrations.models import VendorConnection

__all__ = ["RESOURCES", "Linked"]

Record = TypeVar("Record", bound=CekiRecord)


@dataclass(frozen=True)
class Linked:
    """One record of a page as `SyncResource.map` receives it: typed (None when Ceki sent something other than a
    JSON object, which the run counts as failed) with the local rows it points at."""

    record: CekiRecord | None
    links: Links


def _read(kind: type[Record], raw: Any) -> Record | None:
    return kind.from_payload(raw) if isinstance(raw, dict) else None


def _read_pages(kind: type[Record], pages: Iterable[list[Any]]) -> Iterator[list[Record | None]]:
    """Each page read into typed records; no database work, so a prefetching thread may run it."""
    for page in pages:
        yield [_read(kind, raw) for raw in page]


def _local(model: str, connection_id: int, *extra: str) -> dict[str, tuple]:
    """{external_id: (pk, *extra)} of this connection's live rows of `model`, in one query."""
    rows = (
        apps.get_model(model)
        .objects.filter(connection_id=connection_id, archived_at=None)
        .exclude(external_id="")
        .values_list("external_id", "pk", *extra)
    )
    return {row[0]: row[1:] for row in rows}


def _contracts(connection: VendorConnection, ceki: CekiClient) -> Iterator[tuple[int, Links]]:
    """(Ceki id, links) of every contract Ceki lists now. A contract not synced here yet has no local pk: its
    records are then refused by the mapper and counted as failed, not dropped silently (a sync of `contracts`
    first brings them in)."""
    local = _local("contracts.Contract", connection.pk, "currency")
    for raw in ceki.contracts():
        if isinstance(raw, dict) and str(raw.get("id") or "").isdigit():
            pk, currency = local.get(str(raw["id"]), (None, ""))
            yield int(raw["id"]), Links(contract_id=pk, currency=currency or str(raw.get("currency") or "USD"))


def _beneficiaries(events: Iterable[Event | None], contract: Links, hands: dict[str, tuple]) -> list[Linked]:
    """Each event or transaction linked to its contract and to the participant it benefits."""
    linked = []
    for event in events:
        hand = hands.get(str(event.benefitable_id)) if event and event.benefitable_id is not None else None
        linked.append(Linked(event, Links(contract_id=contract.contract_id, beneficiary_id=hand and hand[0])))
    return linked


def contract_pages(
    client: VendorClient, connection: VendorConnection, since: dt.datetime | None
) -> Iterator[list[Linked]]:
    """The contract list is not paginated (doc) and has no date filter: always read whole."""
    yield [Linked(_read(Contract, raw), Links()) for raw in CekiClient(client).contracts()]


def _person(connection: VendorConnection, hand: ContractHand) -> int | None:
    """Each hand's Ceki user is the person the other vendors know by the same email (`match_or_create_profile`,
    with a reference by Ceki user id), so a participant shows by name and joins that person's timeline; a person
    only Ceki knows is created with the user's `name` (a Ceki user has one name: first word, then the rest)."""
    user = hand.raw.get("user") if isinstance(hand.raw.get("user"), dict) else {}
    email = str(user.get("email") or hand.raw.get("email") or "").strip()
    if not email:
        return None
    first, last = split_name(str(user.get("name") or ""))
    external_id = str(user.get("id") or "")
    return match_or_create_profile(
        email=email, first_name=first, last_name=last, connection=connection, external_id=external_id
    ).pk


def participant_pages(
    client: VendorClient, connection: VendorConnection, since: dt.datetime | None
) -> Iterator[list[Linked]]:
    ceki = CekiClient(client)
    for contract, links in _contracts(connection, ceki):
        hands = [_read(ContractHand, raw) for raw in ceki.contract_users(contract)]
        talents = [_person(connection, hand) if hand else None for hand in hands]
        yield [
            Linked(hand, Links(contract_id=links.contract_id, talent_id=talent))
            for hand, talent in zip(hands, talents, strict=True)
        ]


def _benefiting_pages(
    client: VendorClient, connection: VendorConnection, read: Callable[[CekiClient, int], Iterable[list[Event | None]]]
) -> Iterator[list[Linked]]:
    """Events or transactions, `read` per contract, each linked to its contract and the participant it benefits."""
    ceki = CekiClient(client)
    hands = _local("contracts.ContractParticipant", connection.pk)
    for contract, links in _contracts(connection, ceki):
        for events in read(ceki, contract):
            yield _beneficiaries(events, links, hands)


def event_pages(
    client: VendorClient, connection: VendorConnection, since: dt.datetime | None
) -> Iterator[list[Linked]]:
    """Incremental: `dates[from]` = the last run's newest `updated_at`."""

    def read(ceki: CekiClient, contract: int) -> Iterator[list[Event | None]]:
        return prefetched(_read_pages(Event, ceki.event_pages(contract, changed_from=since)))

    return _benefiting_pages(client, connection, read)


def _contract_transactions(ceki: CekiClient, contract: int) -> list[list[Event | None]]:
    """Ceki lists transactions per participant only, with no date filter: one page per contract, read whole."""
    rows: dict[Any, Any] = {}
    for hand in ceki.contract_users(contract):
        if isinstance(hand, dict) and str(hand.get("user_id") or "").isdigit():
            for raw in ceki.participant_transactions(contract, int(hand["user_id"])):
                rows[raw.get("id") if isinstance(raw, dict) else id(raw)] = raw
    return [[_read(Event, raw) for raw in rows.values()]]


def transaction_pages(
    client: VendorClient, connection: VendorConnection, since: dt.datetime | None
) -> Iterator[list[Linked]]:
    return _benefiting_pages(client, connection, _contract_transactions)


def bill_pages(client: VendorClient, connection: VendorConnection, since: dt.datetime | None) -> Iterator[list[Linked]]:
    ceki = CekiClient(client)
    for contract, links in _contracts(connection, ceki):
        for bills in prefetched(_read_pages(Bill, ceki.bill_pages(contract))):
            yield [Linked(bill, links) for bill in bills]


def _mapper(build: Callable[[Any, Links], MappedRecord]) -> Callable[[Linked], MappedRecord]:
    def map_linked(item: Linked) -> MappedRecord:
        if item.record is None:
            raise ValueError("a Ceki record that is not a JSON object")
        return build(item.record, item.links)

    return map_linked


RESOURCES: dict[str, SyncResource] = {
    resource.name: resource
    for resource in (
        SyncResource(
            "contracts", "contracts.Contract", contract_pages, _mapper(mapping.contract_record), incremental=False
        ),
        SyncResource(
            "participants",
            "contracts.ContractParticipant",
            participant_pages,
            _mapper(mapping.participant_record),
            incremental=False,
        ),
        SyncResource("events", "contracts.ContractEvent", event_pages, _mapper(mapping.event_record)),
        SyncResource(
            "transactions",
            "billing.Transaction",
            transaction_pages,
            _mapper(mapping.transaction_record),
            incremental=False,
        ),
        SyncResource("bills", "billing.Bill", bill_pages, _mapper(mapping.bill_record), incremental=False),
    )
}
