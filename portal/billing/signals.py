"""Money moves that a vendor must hear about, sent by `portal.billing.services` (issue 7).

Billing never imports a vendor (STYLE.md, "Imports run one way"): a vendor package connects receivers to these
signals in its provider's `ready()` and writes outbox rows there. Every signal is sent inside the service's
database transaction, after the local rows are written, so an outbox row a receiver writes commits or rolls back
with the change it reports. Receivers must not call a vendor directly.

Signals and their keyword arguments (`sender` is the model class):

- `transactions_approved(sender=Transaction, transaction_ids_by_contract, by)`
- `transactions_paid(sender=Transaction, transaction_ids_by_contract, by)`
    Sent once per action, with `{contract_id: [transaction ids]}` (grouped per contract, the vendor's unit: one
    approve or pay call per contract) of the transactions that this call actually moved; ones already in that
    state or refused are left out, so a retried or double-clicked action sends nothing again (and an action that
    moved nothing sends no signal). One send per action keeps a receiver's queries constant in the batch size.
    `by` is the user who acted.
- `bill_created(sender=Bill, bill_id, contract_id, transaction_ids)`
    A bill of approved charges was made; `transaction_ids` are its lines' transactions.
- `bill_paid(sender=Bill, bill_id, contract_id, transaction_ids, by)`
    A bill and every charge on it were paid. Paying a bill pays its charges at the vendor too, so the charges'
    move is NOT also sent as `transactions_paid`.
- `dispute_raised(sender=VendorDispute, dispute)`
    A coordinator disputed a reconciliation exception at the vendor holding its record (a charge held with a
    note, a timecard correction); the vendor's receiver writes the outbox row about `dispute`.
- `dispute_withdrawn(sender=VendorDispute, dispute)`
    The coordinator withdrew the dispute: the vendor's receiver takes back what `dispute_raised` sent (Ceki: the
    hold's correction voted down). A settled dispute sends nothing: the vendor has acted on it.
"""

from __future__ import annotations

from django.dispatch import Signal

__all__ = [
    "bill_created",
    "bill_paid",
    "dispute_raised",
    "dispute_withdrawn",
    "transactions_approved",
    "transactions_paid",
]

transactions_approved = Signal()
transactions_paid = Signal()
bill_created = Signal()
bill_paid = Signal()
dispute_raised = Signal()
dispute_withdrawn = Signal()
