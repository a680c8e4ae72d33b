"""Delivery truth on the money pages (issue 17, item 2): with the Ceki sandbox answering 503 over real HTTP, the
approvals queue and the contract page say an approval has not reached Ceki, with Ceki's reason and the next try,
or that it was not sent, with a retry; the message never claims Ceki has it; a retry that goes through says so."""

from __future__ import annotations

import pytest
from django.urls import reverse

from portal.billing.models import Transaction
from portal.integrations import outbox
from portal.integrations.models import OutboundRequest
from portal.integrations.sync import run_sync
from tests.vendors.ceki.conftest import ceki, ceki_server, ceki_vendor  # noqa: F401 (fixtures)
from vendors.ceki.provider import Provider

pytestmark = pytest.mark.django_db

APPROVED = reverse("billing:approvals") + "?status=approved"


@pytest.fixture
def pending(ceki):  # noqa: F811 (fixture)
    for name in Provider.resources:
        run_sync(ceki, name)
    return Transaction.objects.filter(connection=ceki, kind="charge", status="pending").order_by("pk").first()


def approve(client, transaction: Transaction) -> str:
    response = client.post(reverse("billing:approvals"), {"action": "approve", "ids": [transaction.pk]}, follow=True)
    return response.content.decode()


def move_of(transaction: Transaction) -> OutboundRequest:
    return outbox.delivery_states([transaction])[transaction.pk]


def row_of(page: str, transaction: Transaction) -> str:
    start = page.index(f'id="transaction-{transaction.pk}"')
    return " ".join(page[start : page.index("</tr>", start)].split())


def test_approving_says_it_is_sending_to_ceki_not_that_ceki_has_it(coordinator_client, pending):
    page = approve(coordinator_client, pending)
    assert "Approved here: 1 transaction; sending to TribeIT Ceki." in page
    assert "1 transaction approved." not in page
    row = move_of(pending)
    assert row.state == "pending" and row.related_object == pending.contract, "the contract's approval carries it"


def test_approving_a_local_only_transaction_says_what_it_did(coordinator_client):
    from tests.billing.factories import TransactionFactory
    from tests.contracts.factories import ParticipantFactory

    local = TransactionFactory(beneficiary=ParticipantFactory())
    page = approve(coordinator_client, local)
    assert "1 transaction approved." in page and "sending to" not in page


def test_with_ceki_answering_503_queue_and_contract_page_say_it_has_not_reached_ceki(
    coordinator_client,
    pending,
    ceki_server,  # noqa: F811 (fixture)
):
    approve(coordinator_client, pending)
    row = move_of(pending)
    ceki_server.add_fault("503", vendor="ceki")
    assert outbox.dispatch(row.pk).state == "pending"
    row.refresh_from_db()
    assert row.next_attempt_at is not None and row.last_error

    queue = coordinator_client.get(APPROVED).content.decode()
    shown = row_of(queue, pending)
    assert f"Not reached Ceki sandbox yet: {row.last_error}" in shown
    assert row.next_attempt_at.isoformat() in shown and "next try" in shown and "Try now" in shown
    assert 'data-delivery="waiting"' in shown

    contract_page = coordinator_client.get(reverse("billing:contract", args=[pending.contract_id])).content.decode()
    assert "Not reached Ceki sandbox yet" in contract_page and row.next_attempt_at.isoformat() in contract_page

    ceki_server.clear_faults()
    retry = reverse("billing:retry-delivery", args=[pending.contract_id, row.pk])
    assert retry in shown
    coordinator_client.post(retry, {"next": APPROVED})
    row.refresh_from_db()
    assert (row.state, row.next_attempt_at) == ("pending", None), "Try now sends at once"
    assert outbox.dispatch(row.pk).state == "sent"
    shown = row_of(coordinator_client.get(APPROVED).content.decode(), pending)
    assert "Sent to Ceki sandbox" in shown and "Not reached" not in shown


def test_a_parked_approval_shows_not_sent_with_the_reason_and_a_retry(
    coordinator_client,
    pending,
    settings,
    ceki_server,  # noqa: F811 (fixture)
):
    settings.OUTBOX_MAX_ATTEMPTS = 1
    approve(coordinator_client, pending)
    row = move_of(pending)
    ceki_server.add_fault("503", vendor="ceki")
    assert outbox.dispatch(row.pk).state == "failed"
    row.refresh_from_db()
    contract_page = coordinator_client.get(reverse("billing:contract", args=[pending.contract_id])).content.decode()
    assert f"Not sent to Ceki sandbox: {row.last_error}" in " ".join(contract_page.split())
    retry = reverse("billing:retry-delivery", args=[pending.contract_id, row.pk])
    assert f'action="{retry}"' in contract_page
    shown = row_of(coordinator_client.get(APPROVED).content.decode(), pending)
    assert "Not sent to Ceki sandbox" in shown and "Retry" in shown and "Approved here" in shown


def test_a_retry_is_refused_for_another_contracts_change(coordinator_client, pending):
    from tests.contracts.factories import ContractFactory

    approve(coordinator_client, pending)
    row = move_of(pending)
    OutboundRequest.objects.filter(pk=row.pk).update(state="failed", last_error="no")
    other = ContractFactory()
    page = coordinator_client.post(reverse("billing:retry-delivery", args=[other.pk, row.pk]), follow=True)
    row.refresh_from_db()
    assert row.state == "failed" and "not one of this contract" in page.content.decode()
