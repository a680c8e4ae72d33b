"""The approvals queue and a contract's billing page: roles, URL filters, keyset paging, per-row refusals,
one signal per contract, constant query counts."""

from __future__ import annotations

import datetime as dt
from unittest.mock import ANY

import pytest
from django.urls import reverse

from portal.billing import signals
from portal.billing.models import Bill, Transaction
from portal.core.roles import Role
from tests.billing.factories import BillFactory, BillLineItemFactory, TransactionFactory
from tests.contracts.factories import (
    ContractEventFactory,
    ContractFactory,
    ParticipantFactory,
    TimeEntryFactory,
)

pytestmark = pytest.mark.django_db

URL = "/billing/approvals/"
Status = Transaction.Status


def ids_on(response) -> set[int]:
    return {t.pk for t in response.context["transactions"]}


def recorder(heard: list, name: str):
    def listen(sender, **kwargs) -> None:
        heard.append((name, kwargs))

    return listen


def test_url_names_resolve():
    assert reverse("billing:approvals") == URL
    assert reverse("billing:contract", args=[7]) == "/billing/contracts/7/"


@pytest.mark.parametrize("path", [URL, "/billing/contracts/{pk}/"])
def test_pages_need_a_coordinator_or_admin(client, make_user, path):
    path = path.format(pk=ContractFactory().pk)
    assert client.get(path).status_code == 302, "anonymous users are sent to sign in"
    client.force_login(make_user("bot", Role.API_CLIENT))
    assert client.get(path).status_code == 403
    assert client.post(URL, {"action": "approve", "ids": ["1"]}).status_code == 403
    client.force_login(make_user("avery", Role.ADMIN))
    assert client.get(path).status_code == 200


def test_queue_shows_pending_with_money_hours_and_who_benefits(coordinator_client):
    participant = ParticipantFactory(talent__first_name="Rosa", talent__last_name="Diaz")
    TransactionFactory(beneficiary=participant, amount="480.00", currency="USD", hours="8.00", label="Night cover")
    TransactionFactory(status=Status.APPROVED)
    response = coordinator_client.get(URL)
    assert response.status_code == 200
    assert len(response.context["transactions"]) == 1
    html = response.content.decode()
    assert "480.00 USD" in html and "8.00" in html and "Rosa Diaz" in html and "Night cover" in html
    assert "js/approvals.js" in html


def test_filters_live_in_the_url(coordinator_client):
    a, b = ContractFactory(), ContractFactory()
    rosa, sam = ParticipantFactory(contract=a), ParticipantFactory(contract=a)
    march = TransactionFactory(beneficiary=rosa, occurred_at=dt.datetime(2026, 3, 2, 20, tzinfo=dt.UTC))
    april = TransactionFactory(beneficiary=sam, occurred_at=dt.datetime(2026, 4, 2, 20, tzinfo=dt.UTC))
    deposit = TransactionFactory(beneficiary=ParticipantFactory(contract=b), kind="deposit")
    approved = TransactionFactory(beneficiary=rosa, status=Status.APPROVED)

    assert ids_on(coordinator_client.get(URL)) == {march.pk, april.pk, deposit.pk}
    assert ids_on(coordinator_client.get(URL, {"contract": a.pk})) == {march.pk, april.pk}
    assert ids_on(coordinator_client.get(URL, {"contract": a.pk, "participant": sam.pk})) == {april.pk}
    assert ids_on(coordinator_client.get(URL, {"kind": "deposit"})) == {deposit.pk}
    assert ids_on(coordinator_client.get(URL, {"occurred_from": "2026-04-01", "occurred_to": "2026-04-30"})) == {
        april.pk
    }
    assert ids_on(coordinator_client.get(URL, {"status": "approved"})) == {approved.pk}
    backwards = coordinator_client.get(URL, {"occurred_from": "2026-05-01", "occurred_to": "2026-04-01"})
    assert ids_on(backwards) == set(), "a broken filter shows nothing, not everything"
    assert "The range must end on or after its start." in backwards.content.decode()


def test_participants_are_offered_only_for_the_chosen_contract(coordinator_client):
    contract = ContractFactory()
    mine = ParticipantFactory(contract=contract)
    ParticipantFactory()
    assert coordinator_client.get(URL).context["participants"] == []
    assert list(coordinator_client.get(URL, {"contract": contract.pk}).context["participants"]) == [mine]


def test_htmx_filter_answers_the_partial(coordinator_client):
    TransactionFactory()
    response = coordinator_client.get(URL, {"kind": "charge"}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert "<html" not in html and 'id="approvals"' in html and 'hx-swap-oob="true"' in html


def test_paging_by_keyset_without_counting(coordinator_client, django_assert_max_num_queries):
    participant = ParticipantFactory()
    start = dt.datetime(2026, 3, 1, tzinfo=dt.UTC)
    rows = [TransactionFactory(beneficiary=participant, occurred_at=start + dt.timedelta(hours=n)) for n in range(55)]
    first = coordinator_client.get(URL)
    assert len(first.context["transactions"]) == 50
    assert first.context["transactions"][0] == rows[-1], "newest first"
    next_query = first.context["next_page_query"]
    assert "after=" in next_query
    with django_assert_max_num_queries(9) as captured:  # vendor banner + nav count
        second = coordinator_client.get(f"{URL}?{next_query}")
    assert not any("COUNT(" in q["sql"].upper() for q in captured.captured_queries)
    assert ids_on(second) == {t.pk for t in rows[:5]}
    assert second.context["next_page_query"] == ""
    assert coordinator_client.get(URL, {"after": "not-a-cursor"}).status_code == 200


@pytest.mark.parametrize("rows", [5, 200])
def test_queue_query_count_is_constant(coordinator_client, django_assert_max_num_queries, rows):
    contract = ContractFactory()
    for participant in ParticipantFactory.create_batch(4, contract=contract):
        TransactionFactory.create_batch(rows // 4 + 1, beneficiary=participant)
    # session, user, roles, contracts for the filter, participants of the chosen contract, the page of rows
    with django_assert_max_num_queries(10):  # vendor banner + nav count + the open holds of the page
        response = coordinator_client.get(URL, {"contract": contract.pk})
    assert len(response.context["transactions"]) == min(50, 4 * (rows // 4 + 1))


def test_pay_refuses_the_pending_ones_by_name_and_pays_the_rest(coordinator_client, coordinator):
    pending = TransactionFactory()
    approved = TransactionFactory.create_batch(2, status=Status.APPROVED)
    response = coordinator_client.post(
        f"{URL}?status=approved",
        {"action": "pay", "ids": [pending.pk, *(t.pk for t in approved)]},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "2 transactions marked paid." in html
    assert (
        f"Transaction #{pending.pk} was not marked paid: It is still pending: approve it before marking it paid."
        in html
    )
    assert set(Transaction.objects.filter(status=Status.PAID).values_list("pk", flat=True)) == {t.pk for t in approved}
    assert Transaction.objects.get(pk=pending.pk).status == Status.PENDING
    assert ids_on(response) == set(), "the answer is the refreshed queue of its filters: nothing left to pay"


def test_approve_sends_one_signal_grouped_per_contract_and_redirects_without_htmx(coordinator_client, coordinator):
    a, b = ContractFactory(), ContractFactory()
    on_a = TransactionFactory.create_batch(2, beneficiary=ParticipantFactory(contract=a))
    on_b = TransactionFactory(beneficiary=ParticipantFactory(contract=b))
    heard: list[tuple[str, dict]] = []
    listen = recorder(heard, "transactions_approved")
    signals.transactions_approved.connect(listen)
    try:
        response = coordinator_client.post(
            f"{URL}?kind=charge", {"action": "approve", "ids": [on_a[0].pk, on_b.pk, on_a[1].pk]}
        )
        coordinator_client.post(URL, {"action": "approve", "ids": [on_b.pk]})
    finally:
        signals.transactions_approved.disconnect(listen)
    assert response.status_code == 302 and response["Location"] == f"{URL}?kind=charge"
    assert [h["transaction_ids_by_contract"] for _, h in heard] == [
        {a.pk: [on_a[0].pk, on_a[1].pk], b.pk: [on_b.pk]}
    ], "one signal grouped per contract, and nothing again for an approval asked twice"
    assert all(h["by"] == coordinator for _, h in heard)
    assert "3 transactions approved." in coordinator_client.get(URL).content.decode()


def test_an_action_without_ticks_says_so(coordinator_client):
    response = coordinator_client.post(URL, {"action": "approve"}, headers={"HX-Request": "true"})
    assert "Tick at least one transaction." in response.content.decode()


def test_empty_states_say_what_to_do(coordinator_client):
    assert "Nothing is waiting for approval" in coordinator_client.get(URL).content.decode()
    assert "Nothing is waiting for payment" in coordinator_client.get(URL, {"status": "approved"}).content.decode()


def _contract_with_everything(n: int):
    contract = ContractFactory()
    people = ParticipantFactory.create_batch(3, contract=contract)
    ContractEventFactory.create_batch(n, contract=contract, beneficiary=people[0])
    TimeEntryFactory(contract=contract, participant=people[1], stopped_at=None)
    for _ in range(max(1, n // 20)):
        bill = BillFactory(contract=contract)
        for t in TransactionFactory.create_batch(3, beneficiary=people[2], status=Status.APPROVED):
            BillLineItemFactory(bill=bill, transaction=t)
    TransactionFactory.create_batch(n, beneficiary=people[0], status=Status.APPROVED)
    return contract


@pytest.mark.parametrize("rows", [5, 200])
def test_contract_page_query_count_is_constant(coordinator_client, django_assert_max_num_queries, rows):
    contract = _contract_with_everything(rows)
    # session, user, roles, contract, participants, running clocks, events, bills, their lines, billable charges
    with django_assert_max_num_queries(14):  # vendor banner + nav count
        response = coordinator_client.get(f"/billing/contracts/{contract.pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Mark bill paid" in html and "Make bill" in html and "since" in html


def test_make_a_bill_of_approved_charges_then_pay_it(coordinator_client, coordinator):
    contract = ContractFactory()
    charges = TransactionFactory.create_batch(
        2, beneficiary=ParticipantFactory(contract=contract), status=Status.APPROVED
    )
    pending = TransactionFactory(beneficiary=ParticipantFactory(contract=contract))
    url = f"/billing/contracts/{contract.pk}/"
    htmx = {"HX-Request": "true"}
    heard: list[tuple[str, dict]] = []
    listeners = {name: recorder(heard, name) for name in ("bill_created", "bill_paid", "transactions_paid")}
    for name, listener in listeners.items():
        getattr(signals, name).connect(listener)
    try:
        refused = coordinator_client.post(
            url, {"label": "March", "ids": [charges[0].pk, pending.pk]}, headers=htmx
        ).content.decode()
        assert f"No bill was made: {pending.pk}: only approved charges can be billed" in refused
        assert not Bill.objects.exists()

        made = coordinator_client.post(url, {"label": "March", "ids": [t.pk for t in charges]}, headers=htmx)
        assert "Bill “March” made with 2 charges." in made.content.decode()
        assert "960.00 USD" in made.content.decode(), "the bill's total"
        bill = Bill.objects.get()
        assert set(bill.line_items.values_list("transaction_id", flat=True)) == {t.pk for t in charges}

        paid = coordinator_client.post(url, {"bill": bill.pk}, headers=htmx)
        assert "Bill “March” and its charges are marked paid." in paid.content.decode()
        coordinator_client.post(url, {"bill": bill.pk}, headers=htmx)
    finally:
        for name, listener in listeners.items():
            getattr(signals, name).disconnect(listener)
    bill.refresh_from_db()
    assert bill.status == Bill.Status.PAID
    assert set(Transaction.objects.filter(status=Status.PAID).values_list("pk", flat=True)) == {t.pk for t in charges}
    ids = [t.pk for t in charges]
    assert [name for name, _ in heard] == ["bill_created", "bill_paid"], (
        "a bill's charges are paid with the bill at the vendor, not also one by one; paying twice sends nothing"
    )
    assert heard[0][1] == {"bill_id": bill.pk, "contract_id": contract.pk, "transaction_ids": ids, "signal": ANY}
    assert heard[1][1] == {
        "bill_id": bill.pk,
        "contract_id": contract.pk,
        "transaction_ids": ANY,
        "by": coordinator,
        "signal": ANY,
    }
    assert sorted(heard[1][1]["transaction_ids"]) == sorted(ids)


def test_a_bill_of_another_contract_is_not_found(coordinator_client):
    bill = BillFactory()
    response = coordinator_client.post(f"/billing/contracts/{ContractFactory().pk}/", {"bill": bill.pk})
    assert response.status_code == 404
