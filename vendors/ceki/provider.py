"""TribeIT/Ceki's registration: OTP-token credentials, the client, five synced resources, outbound money and time
operations through the outbox, and the sandbox. Ceki sends no webhooks (the doc describes none for the User API).

Every money operation on a contract uses the natural key `ceki-contract:<id>`, so the outbox sends them in the
order they were written (an approval before the payment of the same charges) and, after a crash mid-send, asks
Ceki for the transactions' state before sending again: nothing is approved, billed or paid twice.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, Any

from portal.integrations.errors import NotFound
from portal.integrations.provider import (
    CredentialField,
    OutboundOperation,
    SendResult,
    SettingsForm,
    SyncResource,
    VendorProvider,
)
from vendors.base.client import VendorClient
from vendors.base.pagination import prefetched
from vendors.ceki import listeners
from vendors.ceki.client import CekiAuth, CekiClient, login
from vendors.ceki.mapping import (
    BILL_PAID,
    LOCAL,
    bill_record,
    contract_record,
    event_record,
    participant_record,
    transaction_record,
)
from vendors.ceki.sandbox import CekiSandbox
from vendors.ceki.schemas import (
    PayloadInvalid,
    PaymentStatus,
    approve_transactions_body,
    bill_body,
    pay_transactions_body,
)

if TYPE_CHECKING:
    from portal.billing.models import Bill, Transaction
    from portal.integrations.models import OutboundRequest, VendorConnection

__all__ = [
    "LABEL",
    "Provider",
    "contract_key",
    "hand_key",
    "queue_bill",
    "queue_bill_payment",
    "queue_time_tracking",
    "queue_transaction_moves",
]

LABEL = "TribeIT Ceki"
MOVES = {"approved": "approve_transactions", "paid": "pay_transactions"}
DONE_STATES = {
    PaymentStatus.APPROVED: {PaymentStatus.APPROVED, PaymentStatus.PAID},
    PaymentStatus.PAID: {PaymentStatus.PAID},
}


def contract_key(contract_id: int | str) -> str:
    return f"ceki-contract:{contract_id}"


def hand_key(hand_id: int | str) -> str:
    return f"ceki-hand:{hand_id}"


# -- sync: page iterators that resolve Ceki parent ids to this connection's local rows ---------------------------
def _local(model: str, connection_id: int, *extra: str) -> dict[str, tuple]:
    """{external_id: (pk, *extra)} of this connection's live rows of `model`, in one query."""
    from django.apps import apps

    rows = (
        apps.get_model(model)
        .objects.filter(connection_id=connection_id, archived_at=None)
        .exclude(external_id="")
        .values_list("external_id", "pk", *extra)
    )
    return {row[0]: row[1:] for row in rows}


def _tagged(raws: Iterable[Any], **local: Any) -> list[Any]:
    return [{**raw, LOCAL: local} if isinstance(raw, dict) else raw for raw in raws]


def _with_beneficiary(raws: Iterable[Any], contract_pk: int | None, hands: dict[str, tuple]) -> list[Any]:
    tagged = []
    for raw in raws:
        if isinstance(raw, dict):
            hand = hands.get(str(raw.get("benefitable_id") or ""))
            raw = {**raw, LOCAL: {"contract_id": contract_pk, "beneficiary_id": hand[0] if hand else None}}
        tagged.append(raw)
    return tagged


def contract_pages(
    client: VendorClient, connection: VendorConnection, since: dt.datetime | None
) -> Iterator[list[dict]]:
    """The contract list is not paginated (doc) and has no date filter: always read whole."""
    yield CekiClient(client).contracts()


def _contracts(connection: VendorConnection, ceki: CekiClient) -> Iterator[tuple[int, int | None, str]]:
    """(Ceki id, local pk, currency) of every contract Ceki lists now. A contract not synced here yet has no
    local pk: its records are then refused by the mapper and counted as failed, not dropped silently (a sync of
    `contracts` first brings them in)."""
    local = _local("contracts.Contract", connection.pk, "currency")
    for raw in ceki.contracts():
        if isinstance(raw, dict) and str(raw.get("id") or "").isdigit():
            pk, currency = local.get(str(raw["id"]), (None, ""))
            yield int(raw["id"]), pk, currency or str(raw.get("currency") or "USD")


def participant_pages(
    client: VendorClient, connection: VendorConnection, since: dt.datetime | None
) -> Iterator[list[dict]]:
    """Each hand's Ceki user is the person the other vendors know by the same email (`match_or_create_profile`,
    with a reference by Ceki user id), so a participant shows by name and joins that person's timeline."""
    ceki = CekiClient(client)
    for contract, pk, _ in _contracts(connection, ceki):
        yield [
            {**raw, LOCAL: {"contract_id": pk, "talent_id": _person(connection, raw)}} if isinstance(raw, dict) else raw
            for raw in ceki.contract_users(contract)
        ]


def _person(connection: VendorConnection, hand: dict) -> int | None:
    from portal.talent.services import match_or_create_profile

    user = hand.get("user") if isinstance(hand.get("user"), dict) else {}
    email = str(user.get("email") or hand.get("email") or "").strip()
    if not email:
        return None
    return match_or_create_profile(email=email, connection=connection, external_id=str(user.get("id") or "")).pk


def event_pages(client: VendorClient, connection: VendorConnection, since: dt.datetime | None) -> Iterator[list[dict]]:
    """Incremental: `dates[from]` = the last run's newest `updated_at` (README: a chosen reading of the filter).
    Each contract's pages (and its bills', below) are fetched one ahead while the sync writes (`prefetched`)."""
    ceki = CekiClient(client)
    hands = _local("contracts.ContractParticipant", connection.pk)
    for contract, pk, _ in _contracts(connection, ceki):
        for page in prefetched(ceki.event_pages(contract, changed_from=since)):
            yield _with_beneficiary(page, pk, hands)


def transaction_pages(
    client: VendorClient, connection: VendorConnection, since: dt.datetime | None
) -> Iterator[list[dict]]:
    """Ceki lists transactions per participant only, with no date filter: one page per contract, read whole."""
    ceki = CekiClient(client)
    hands = _local("contracts.ContractParticipant", connection.pk)
    for contract, pk, _ in _contracts(connection, ceki):
        rows: dict[Any, Any] = {}
        for hand in ceki.contract_users(contract):
            if isinstance(hand, dict) and str(hand.get("user_id") or "").isdigit():
                for raw in ceki.participant_transactions(contract, int(hand["user_id"])):
                    rows[raw.get("id") if isinstance(raw, dict) else id(raw)] = raw
        yield _with_beneficiary(rows.values(), pk, hands)


def bill_pages(client: VendorClient, connection: VendorConnection, since: dt.datetime | None) -> Iterator[list[dict]]:
    ceki = CekiClient(client)
    for contract, pk, currency in _contracts(connection, ceki):
        for page in prefetched(ceki.bill_pages(contract)):
            yield _tagged(page, contract_id=pk, currency=currency)


# -- outbound ---------------------------------------------------------------------------------------------------
def _checked(build: Callable[..., dict[str, Any]], *args: Any, **kwargs: Any) -> dict[str, Any]:
    """Our own check of a body, refused in the taxonomy's terms so the outbox parks it with the field errors."""
    try:
        return build(*args, **kwargs)
    except PayloadInvalid as exc:
        raise exc.refused("Ceki") from None


def _contract(row: OutboundRequest) -> int:
    return int(row.payload["contract"])


def _move_transactions(
    to: PaymentStatus,
) -> tuple[Callable[[VendorClient, OutboundRequest], SendResult], Callable[..., SendResult | None]]:
    approving = to is PaymentStatus.APPROVED
    build = approve_transactions_body if approving else pay_transactions_body
    call = CekiClient.approve_transactions if approving else CekiClient.pay_transactions

    def send(client: VendorClient, row: OutboundRequest) -> SendResult:
        body = _checked(build, [int(i) for i in row.payload["transactions"]])
        return SendResult(str(_contract(row)), call(CekiClient(client), _contract(row), body))

    def find_existing(client: VendorClient, row: OutboundRequest) -> SendResult | None:
        """Already there if every transaction of the row is in the target state (or past it) at Ceki."""
        wanted = {int(i) for i in row.payload["transactions"]}
        states = {t.id: t.payment_status for t in CekiClient(client).contract_transactions(_contract(row))}
        if all(states.get(i) in DONE_STATES[to] for i in wanted):
            return SendResult(str(_contract(row)), {"already": sorted(wanted)})
        return None

    return send, find_existing


def _bill_of(row: OutboundRequest) -> Bill | None:
    related = row.related_object
    return related if related is not None and hasattr(related, "line_items") else None


def create_bill(client: VendorClient, row: OutboundRequest) -> SendResult:
    body = _checked(bill_body, label=row.payload["label"], transactions=[int(i) for i in row.payload["transactions"]])
    data = CekiClient(client).create_bill(_contract(row), body)
    _remember_bill_id(row, str(data["id"]))
    return SendResult(str(data["id"]), data)


def find_bill(client: VendorClient, row: OutboundRequest) -> SendResult | None:
    """A Ceki transaction is billed once, so a bill over exactly these transactions is this request's bill."""
    wanted = {int(i) for i in row.payload["transactions"]}
    for bill in CekiClient(client).bills(_contract(row)):
        data = bill.raw.get("data")
        billed = data.get("transactions") if isinstance(data, dict) else None
        if isinstance(billed, list) and {int(i) for i in billed} == wanted:
            _remember_bill_id(row, str(bill.id))
            return SendResult(str(bill.id), dict(bill.raw))
    return None


def _remember_bill_id(row: OutboundRequest, bill_id: str) -> None:
    bill = _bill_of(row)
    if bill is not None and not bill.external_id:
        type(bill).objects.filter(pk=bill.pk).update(connection=row.connection, external_id=bill_id)


def _bill_id(row: OutboundRequest) -> int:
    """Ceki's bill id: in the payload, else on the local bill (its create request, sent first under the same
    natural key, put it there)."""
    if row.payload.get("bill"):
        return int(row.payload["bill"])
    bill = _bill_of(row)
    if bill is not None:
        bill.refresh_from_db(fields=["external_id"])
        if bill.external_id:
            return int(bill.external_id)
    raise NotFound("Not sent to Ceki: the bill was never created there.")


def pay_bill(client: VendorClient, row: OutboundRequest) -> SendResult:
    bill_id = _bill_id(row)
    return SendResult(str(bill_id), CekiClient(client).pay_bill(_contract(row), bill_id))


def find_paid_bill(client: VendorClient, row: OutboundRequest) -> SendResult | None:
    bill_id = _bill_id(row)
    for bill in CekiClient(client).bills(_contract(row)):
        if bill.id == bill_id and bill.status_id == BILL_PAID:
            return SendResult(str(bill_id), dict(bill.raw))
    return None


def start_tracking(client: VendorClient, row: OutboundRequest) -> SendResult:
    hand = int(row.payload["hand"])
    return SendResult(str(hand), CekiClient(client).start_timer(hand))


def stop_tracking(client: VendorClient, row: OutboundRequest) -> SendResult:
    """Ceki turns the tracked minutes into a pending charge; its id is kept as the request's vendor id."""
    hand = int(row.payload["hand"])
    charge = CekiClient(client).stop_timer(hand)
    return SendResult(str(charge.get("id") or hand), charge)


def _timer_is(running: bool) -> Callable[[VendorClient, OutboundRequest], SendResult | None]:
    def find_existing(client: VendorClient, row: OutboundRequest) -> SendResult | None:
        hand = int(row.payload["hand"])
        status = CekiClient(client).timer_status(hand)
        return SendResult(str(hand), status) if bool(status.get("is_working")) is running else None

    return find_existing


def queue_transaction_moves(transactions: Iterable[Transaction], to: str) -> list[OutboundRequest]:
    """Outbox rows for moving Ceki-mirrored transactions to `to` ("approved" or "paid"): one per contract, the
    vendor's unit, written in the caller's transaction. Rows not mirrored from a Ceki connection are skipped.
    Two queries whatever the number of transactions, so a bulk action of thousands stays cheap."""
    from portal.billing.models import Transaction
    from portal.integrations.models import VendorConnection
    from portal.integrations.outbox import enqueue

    mirrored = (
        Transaction.objects.filter(pk__in=[row.pk for row in transactions], connection__vendor=Provider.name)
        .exclude(external_id="")
        .exclude(contract__external_id="")
        .select_related("contract")
        .only("pk", "connection_id", "external_id", "contract__external_id")
    )
    groups: dict[tuple[int, str], list[Transaction]] = {}
    for row in mirrored:
        groups.setdefault((row.connection_id, row.contract.external_id), []).append(row)
    connections = VendorConnection.objects.in_bulk({connection_id for connection_id, _ in groups})
    # Each row is about its contract and carries its transactions, so every one of them shows whether it got there.
    return [
        enqueue(
            connections[connection_id],
            MOVES[to],
            payload={"contract": int(contract), "transactions": sorted(int(row.external_id) for row in rows)},
            natural_key=contract_key(contract),
            related=rows[0].contract,
            about=rows,
        )
        for (connection_id, contract), rows in sorted(groups.items())
    ]


def queue_bill(bill: Bill) -> OutboundRequest:
    """Create a local bill (of Ceki-mirrored charges) at Ceki too; its Ceki id lands on the bill when sent."""
    from portal.integrations.outbox import enqueue

    ids = [int(line.transaction.external_id) for line in bill.line_items.select_related("transaction")]
    contract = bill.contract
    return enqueue(
        contract.connection,
        "create_bill",
        payload={"contract": int(contract.external_id), "label": bill.label, "transactions": sorted(ids)},
        natural_key=contract_key(contract.external_id),
        related=bill,
    )


def queue_bill_payment(bill: Bill) -> OutboundRequest:
    """Mark a bill paid at Ceki, after its creation there if that is still queued (same natural key)."""
    from portal.integrations.outbox import enqueue

    contract = bill.contract
    payload: dict[str, Any] = {"contract": int(contract.external_id)}
    if bill.external_id:
        payload["bill"] = int(bill.external_id)
    return enqueue(
        contract.connection, "pay_bill", payload=payload, natural_key=contract_key(contract.external_id), related=bill
    )


def queue_time_tracking(participant: Any, *, start: bool) -> OutboundRequest:
    """Start or stop a participant's (a Ceki hand's) time tracking; starts and stops go out in order."""
    from portal.integrations.outbox import enqueue

    return enqueue(
        participant.connection,
        "start_time_tracking" if start else "stop_time_tracking",
        payload={"hand": int(participant.external_id)},
        natural_key=hand_key(participant.external_id),
        related=participant,
    )


class Provider(VendorProvider):
    name = "ceki"
    label = LABEL
    credential_fields = (
        CredentialField("email", "Ceki account email", secret=False),
        CredentialField("otp", "One-time password (sandbox: its demo OTP)", required=False),
        CredentialField("token", "Bearer token (set by the OTP login)", required=False),
    )
    resources = {
        resource.name: resource
        for resource in (
            SyncResource("contracts", "contracts.Contract", contract_pages, contract_record, incremental=False),
            SyncResource(
                "participants",
                "contracts.ContractParticipant",
                participant_pages,
                participant_record,
                incremental=False,
            ),
            SyncResource("events", "contracts.ContractEvent", event_pages, event_record),
            SyncResource(
                "transactions", "billing.Transaction", transaction_pages, transaction_record, incremental=False
            ),
            SyncResource("bills", "billing.Bill", bill_pages, bill_record, incremental=False),
        )
    }
    operations = {
        op.name: op
        for op in (
            OutboundOperation(
                "approve_transactions", "Approve transactions", *_move_transactions(PaymentStatus.APPROVED)
            ),
            OutboundOperation("pay_transactions", "Mark transactions paid", *_move_transactions(PaymentStatus.PAID)),
            OutboundOperation("create_bill", "Create bill", create_bill, find_bill),
            OutboundOperation("pay_bill", "Mark bill paid", pay_bill, find_paid_bill),
            OutboundOperation("start_time_tracking", "Start time tracking", start_tracking, _timer_is(True)),
            OutboundOperation("stop_time_tracking", "Stop time tracking", stop_tracking, _timer_is(False)),
        )
    }

    def ready(self) -> None:
        listeners.connect()

    def build_client(self, connection: VendorConnection) -> VendorClient:
        credentials = connection.credentials or {}
        auth = CekiAuth(
            connection.base_url,
            email=str(credentials.get("email", "")),
            otp=str(credentials.get("otp", "")),
            token=str(credentials.get("token", "")),
            on_token=_token_keeper(connection.pk),
        )
        return VendorClient(
            vendor=self.label,
            base_url=connection.base_url,
            auth=auth,
            secrets=self.secrets_of(connection),
        )

    def request_otp(self, connection: VendorConnection) -> None:
        """The Admin's first OTP step: Ceki mails a one-time password to the connection's email."""
        CekiClient(self.client(connection)).request_otp(str((connection.credentials or {}).get("email", "")))

    def log_in(self, connection: VendorConnection, otp: str) -> None:
        """The second step: exchange the OTP for a token and keep both on the connection (saved, so every
        process builds a fresh client with them)."""
        token = login(connection.base_url, str((connection.credentials or {}).get("email", "")), otp)
        connection.credentials = {**(connection.credentials or {}), "otp": otp, "token": token}
        connection.save(update_fields=["credentials", "updated_at"])

    def settings_forms(self) -> tuple[SettingsForm, ...]:
        """The Admin's two OTP steps on the connection's page (`request_otp`, then `log_in`)."""
        from vendors.ceki.settings_forms import LogInForm, RequestCodeForm

        return (
            SettingsForm("request-code", "Log in to Ceki: get a code", RequestCodeForm),
            SettingsForm("log-in", "Log in to Ceki: enter the code", LogInForm),
        )

    def verify_webhook(self, connection: VendorConnection, body: bytes, headers: Mapping[str, str]) -> bool:
        """Ceki sends no webhooks (the User API describes none): whatever reaches a Ceki webhook URL is kept in
        the inbox as rejected, and nothing is applied."""
        return False

    def sandbox(self) -> CekiSandbox:
        return CekiSandbox()


def _token_keeper(connection_id: int) -> Callable[[str], None]:
    """Store a fresh token on the connection (encrypted), leaving its other credentials as they are."""

    def keep(token: str) -> None:
        from portal.integrations.models import VendorConnection

        connection = VendorConnection.objects.get(pk=connection_id)
        VendorConnection.objects.filter(pk=connection_id).update(
            credentials={**(connection.credentials or {}), "token": token}
        )

    return keep
