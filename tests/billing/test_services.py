"""Approving and paying transactions in batches: per-id outcomes, refusals with reasons, constant queries."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from portal.billing.models import Transaction
from portal.billing.services import approve_transactions, mark_transactions_paid
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
    with django_assert_max_num_queries(7):
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
