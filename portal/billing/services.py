"""Approving and paying transactions, many at once, as the approvals queue and the API ask (issue 7).

A batch is not all-or-nothing: each id gets its own outcome, so "pay these twelve" pays the eleven approved ones
and says why the pending one was refused. A charge held by an open dispute is skipped the same way, its outcome
naming the dispute, so bulk approval moves the rest (issue 20). Asking again for what is already done succeeds
without a change, so a retried task or a double click is harmless. The rows are locked for the batch and written
with one UPDATE and one audit INSERT, whatever the batch size.

Vendors hear of each move through `portal.billing.signals`, sent inside the same transaction (see there).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, TypedDict

from django.core.exceptions import ValidationError
from django.db import transaction
from django.dispatch import Signal
from django.utils import timezone

from portal.billing import signals
from portal.billing.disputes import hold_refusal, open_holds
from portal.billing.models import Bill, BillLineItem, Transaction
from portal.contracts.models import Contract
from portal.core.audit import record_bulk_changes

__all__ = ["TransactionOutcome", "approve_transactions", "create_bill", "mark_bill_paid", "mark_transactions_paid"]

Status = Transaction.Status


class TransactionOutcome(TypedDict, total=False):
    ok: bool
    changed: bool
    status: str
    message: str
    held_by: int  # the open dispute that refused it, when one did


def approve_transactions(ids: Iterable[int], *, by: Any) -> dict[int, TransactionOutcome]:
    """Approve pending transactions; `by` is the approving user."""
    return _move(
        ids, to=Status.APPROVED, by=by, stamp=("approved_at", "approved_by"), signal=signals.transactions_approved
    )


def mark_transactions_paid(ids: Iterable[int], *, by: Any) -> dict[int, TransactionOutcome]:
    """Mark approved transactions paid; a pending one must be approved first and is refused."""
    return _move(ids, to=Status.PAID, by=by, stamp=("paid_at", "paid_by"), signal=signals.transactions_paid)


def _refusal(current: str, to: str) -> str:
    if current == Status.PENDING and to == Status.PAID:
        return "It is still pending: approve it before marking it paid."
    if current == Status.DELETED:
        return "It was deleted."
    return f"It is already {current} and cannot go back to {to}."


def _move(
    ids: Iterable[int], *, to: str, by: Any, stamp: tuple[str, str], signal: Signal | None
) -> dict[int, TransactionOutcome]:
    wanted = list(dict.fromkeys(int(pk) for pk in ids))
    now = timezone.now()
    at_field, by_field = stamp
    outcomes: dict[int, TransactionOutcome] = {}
    changed_rows: list[Transaction] = []
    audit_rows = []
    with transaction.atomic():
        rows = Transaction.objects.select_for_update().in_bulk(wanted)
        holds = open_holds(wanted)
        for pk in wanted:
            row = rows.get(pk)
            if row is None:
                outcomes[pk] = TransactionOutcome(ok=False, changed=False, status="", message="No such transaction.")
            elif pk in holds and row.status != to:
                outcomes[pk] = TransactionOutcome(
                    ok=False, changed=False, status=row.status, message=hold_refusal(holds[pk]), held_by=holds[pk].pk
                )
            elif row.status == to:
                outcomes[pk] = TransactionOutcome(ok=True, changed=False, status=to, message=f"Already {to}.")
            elif to not in Transaction.status_transitions["status"].get(row.status, set()):
                outcomes[pk] = TransactionOutcome(
                    ok=False, changed=False, status=row.status, message=_refusal(row.status, to)
                )
            else:
                audit_rows.append(
                    (pk, "update", {"status": [row.status, to], at_field: [None, now], by_field: [None, by.pk]})
                )
                row.status = to
                setattr(row, at_field, now)
                setattr(row, by_field, by)
                row.updated_at = now
                changed_rows.append(row)
                outcomes[pk] = TransactionOutcome(ok=True, changed=True, status=to, message=f"Marked {to}.")
        if changed_rows:
            Transaction.objects.bulk_update(changed_rows, ["status", at_field, by_field, "updated_at"])
            record_bulk_changes(Transaction, audit_rows)
        if signal is not None and changed_rows:
            _send_moves(signal, changed_rows, by)
    return outcomes


def _send_moves(signal: Signal, changed_rows: list[Transaction], by: Any) -> None:
    """One signal for the whole action, its ids grouped per contract (the vendor's unit), in the order asked for:
    a receiver's cost stays the same whatever the batch spans."""
    by_contract: dict[int, list[int]] = {}
    for row in changed_rows:
        by_contract.setdefault(row.contract_id, []).append(row.pk)
    signal.send(Transaction, transaction_ids_by_contract=by_contract, by=by)


def create_bill(contract: Contract, transaction_ids: Iterable[int], *, label: str) -> Bill:
    """A bill of approved charges of one contract, one line each (Ceki bills are per contract).

    All or nothing, unlike approving: a bill quietly missing a line would be paid short, so any charge that is
    not approved, not this contract's or already billed refuses the whole bill, naming each.
    """
    wanted = list(dict.fromkeys(int(pk) for pk in transaction_ids))
    with transaction.atomic():
        rows = Transaction.objects.select_for_update(of=("self",)).select_related("bill_line").in_bulk(wanted)
        problems = [_billing_problem(pk, rows.get(pk), contract) for pk in wanted]
        problems = [problem for problem in problems if problem]
        if not wanted or problems:
            raise ValidationError({"transactions": problems or ["Choose at least one approved charge."]})
        bill = Bill.objects.create(contract=contract, label=label, currency=contract.currency)
        BillLineItem.objects.bulk_create(
            BillLineItem(
                bill=bill,
                transaction=rows[pk],
                description=rows[pk].label,
                hours=rows[pk].hours,
                amount=rows[pk].amount,
                currency=rows[pk].currency,
            )
            for pk in wanted
        )
        signals.bill_created.send(Bill, bill_id=bill.pk, contract_id=contract.pk, transaction_ids=wanted)
    return bill


def _billing_problem(pk: int, row: Transaction | None, contract: Contract) -> str:
    if row is None or row.contract_id != contract.pk:
        return f"{pk}: not a transaction of this contract."
    if row.kind != Transaction.Kind.CHARGE or row.status != Status.APPROVED:
        return f"{pk}: only approved charges can be billed (this one is a {row.status} {row.kind})."
    if hasattr(row, "bill_line"):
        return f"{pk}: already on bill {row.bill_line.bill_id}."
    return ""


def mark_bill_paid(bill: Bill, *, by: Any) -> dict[int, TransactionOutcome]:
    """Pay a bill and every charge on it, or nothing: a bill is paid whole (Ceki: "mark a bill and its
    transactions as paid"). Outcomes per transaction as in `mark_transactions_paid`."""
    with transaction.atomic():
        bill = Bill.objects.select_for_update().get(pk=bill.pk)
        ids = list(bill.line_items.exclude(transaction=None).values_list("transaction_id", flat=True))
        # Not `mark_transactions_paid`: the vendor pays a bill's charges with the bill (see signals.bill_paid).
        outcomes = _move(ids, to=Status.PAID, by=by, stamp=("paid_at", "paid_by"), signal=None)
        refused = [f"{pk}: {outcome['message']}" for pk, outcome in outcomes.items() if not outcome["ok"]]
        if refused:
            raise ValidationError({"transactions": refused})
        if bill.status != Bill.Status.PAID:
            bill.status, bill.paid_at = Bill.Status.PAID, timezone.now()
            bill.save(update_fields=["status", "paid_at", "updated_at"])
            signals.bill_paid.send(Bill, bill_id=bill.pk, contract_id=bill.contract_id, transaction_ids=ids, by=by)
    return outcomes
