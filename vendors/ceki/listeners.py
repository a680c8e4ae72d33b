"""Ceki listens to the billing app: approvals, payments and bills made in the portal become outbox rows.

The billing services send their signals inside the change's database transaction, so the rows written here
commit or roll back with it. Records that Ceki does not hold (no Ceki connection or id) are left alone.
"""

from __future__ import annotations

from typing import Any

__all__ = ["connect"]


def _ceki_bill(bill_id: int):
    from portal.billing.models import Bill
    from vendors.ceki.provider import Provider

    bill = Bill.objects.select_related("contract__connection").get(pk=bill_id)
    contract = bill.contract
    held = contract.connection is not None and contract.connection.vendor == Provider.name and contract.external_id
    return bill if held else None


def _moved(to: str):
    def receiver(sender: Any, transaction_ids_by_contract: dict[int, list[int]], **kwargs: Any) -> None:
        from vendors.ceki.provider import queue_transaction_moves

        ids = [pk for pks in transaction_ids_by_contract.values() for pk in pks]
        queue_transaction_moves(sender.objects.filter(pk__in=ids), to)

    return receiver


def _bill_created(sender: Any, bill_id: int, **kwargs: Any) -> None:
    from vendors.ceki.provider import queue_bill

    if bill := _ceki_bill(bill_id):
        queue_bill(bill)


def _bill_paid(sender: Any, bill_id: int, **kwargs: Any) -> None:
    from vendors.ceki.provider import queue_bill_payment

    if bill := _ceki_bill(bill_id):
        queue_bill_payment(bill)


def connect() -> None:
    """Once, from `Provider.ready()`; dispatch_uid makes a repeat harmless."""
    from portal.billing import signals
    from portal.billing.models import Bill, Transaction

    signals.transactions_approved.connect(
        _moved("approved"), sender=Transaction, weak=False, dispatch_uid="ceki-approved"
    )
    signals.transactions_paid.connect(_moved("paid"), sender=Transaction, weak=False, dispatch_uid="ceki-paid")
    signals.bill_created.connect(_bill_created, sender=Bill, weak=False, dispatch_uid="ceki-bill-created")
    signals.bill_paid.connect(_bill_paid, sender=Bill, weak=False, dispatch_uid="ceki-bill-paid")
