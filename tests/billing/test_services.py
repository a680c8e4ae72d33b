"""Approving and paying transactions in batches: per-id outcomes, refusals with reasons, constant queries."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from portal.billing.models import Bill, Transaction
from portal.billing.services import approve_transactions, create_bill, mark_bill_paid, mark_transactions_paid
from tests.billing.factories import TransactionFactory

pytestmark = pytest.mark.django_db

Status = Transaction.Status


def test_pay_refuses_the_pending_one_with_a_reason_and_pays_the_rest(coordinator):
    approved = TransactionFactory.create_batch(3)
    pending = TransactionFactory()
    approve_transactions([t.pk for t in approved], by=coordinator)

    outcomes = mark_transactions_paid([*(t.pk for t in approved), pending.pk, 999_999], by=coordinator)

    assert [outcomes[t.pk]["ok"] for t in approved] == [True, True, True]
    assert outcomes[pending.pk] == {
        "ok": False,
        "changed": False,
        "status": "pending",
        "message": "It is still pending: approve it before marking it paid.",
    }
    assert outcomes[999_999]["message"] == "No such transaction."
    paid = Transaction.objects.filter(status=Status.PAID)
    assert set(paid.values_list("pk", flat=True)) == {t.pk for t in approved}
    assert all(t.paid_by == coordinator and t.paid_at for t in paid)
    assert Transaction.objects.get(pk=pending.pk).status == Status.PENDING
    history = Transaction.objects.get(pk=approved[0].pk).audit_history()
    assert [e.changes["status"] for e in history if "status" in e.changes][:2] == [
        ["approved", "paid"],
        ["pending", "approved"],
    ]


def test_asking_again_is_harmless_and_deleted_ones_are_refused(coordinator):
    done = TransactionFactory()
    deleted = TransactionFactory(status=Status.DELETED)
    approve_transactions([done.pk], by=coordinator)
    outcomes = approve_transactions([done.pk, deleted.pk], by=coordinator)
    assert outcomes[done.pk] == {"ok": True, "changed": False, "status": "approved", "message": "Already approved."}
    assert outcomes[deleted.pk]["ok"] is False
    assert outcomes[deleted.pk]["message"] == "It was deleted."


@pytest.mark.parametrize("size", [5, 200])
def test_a_batch_costs_the_same_queries_whatever_its_size(coordinator, django_assert_max_num_queries, size):
    ids = [t.pk for t in TransactionFactory.create_batch(size)]
    with django_assert_max_num_queries(8):  # one of them reads the open disputes holding any of the batch
        outcomes = approve_transactions(ids, by=coordinator)
    assert sum(o["changed"] for o in outcomes.values()) == size


def test_paying_a_pending_transaction_directly_is_refused_by_the_model():
    pending = TransactionFactory()
    pending.status = Status.PAID
    with pytest.raises(ValidationError) as excinfo:
        pending.save()
    assert "Cannot change status from 'pending' to 'paid'" in str(excinfo.value)


def test_amount_must_be_positive():
    with pytest.raises(IntegrityError), transaction.atomic():
        TransactionFactory(amount="0")


def test_bill_of_approved_charges_then_paid_whole(coordinator):
    charges = TransactionFactory.create_batch(3)
    contract = charges[0].contract
    for charge in charges[1:]:
        charge.contract = contract
        charge.save()
    approve_transactions([c.pk for c in charges], by=coordinator)

    bill = create_bill(contract, [c.pk for c in charges], label="Week 10")
    assert [line.amount for line in bill.line_items.all()] == [Decimal("480.00")] * 3

    outcomes = mark_bill_paid(bill, by=coordinator)
    assert all(o["ok"] for o in outcomes.values())
    bill.refresh_from_db()
    assert bill.status == "paid" and bill.paid_at
    assert set(Transaction.objects.filter(pk__in=outcomes).values_list("status", flat=True)) == {"paid"}


def test_a_bill_refuses_pending_foreign_and_already_billed_charges(coordinator):
    approved, pending = TransactionFactory(), TransactionFactory()
    pending.contract = approved.contract
    pending.save()
    foreign = TransactionFactory()
    approve_transactions([approved.pk, foreign.pk], by=coordinator)
    with pytest.raises(ValidationError) as excinfo:
        create_bill(approved.contract, [approved.pk, pending.pk, foreign.pk], label="Mixed")
    problems = excinfo.value.message_dict["transactions"]
    assert problems == [
        f"{pending.pk}: only approved charges can be billed (this one is a pending charge).",
        f"{foreign.pk}: not a transaction of this contract.",
    ]
    assert not Bill.objects.exists()
    create_bill(approved.contract, [approved.pk], label="First")
    with pytest.raises(ValidationError, match="already on bill"):
        create_bill(approved.contract, [approved.pk], label="Again")


def test_a_bill_with_a_deleted_charge_is_not_paid_at_all(coordinator):
    first, second = TransactionFactory(), TransactionFactory()
    second.contract = first.contract
    second.save()
    approve_transactions([first.pk, second.pk], by=coordinator)
    bill = create_bill(first.contract, [first.pk, second.pk], label="Week 11")
    second.status = "deleted"
    second.save()
    with pytest.raises(ValidationError, match="It was deleted"):
        mark_bill_paid(bill, by=coordinator)
    assert Transaction.objects.get(pk=first.pk).status == "approved"
    assert Bill.objects.get(pk=bill.pk).status == "open"
