"""Disputing a reconciliation exception through the vendor that holds its record (issue 20).

Billing never imports a vendor: it records the dispute (`VendorDispute`) and sends `signals.dispute_raised` in the
same transaction; the vendor's receiver writes the outbox row, which the queue then shows (queued, sent, or the
vendor's refusal). Which vendor takes which kind of dispute is registered by the vendor (`accept_disputes`, from
its `Provider.ready()`): a Ceki charge held with a note, an IntelyCare timecard correction. Elsewhere the queue
offers no dispute, only a resolution.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from portal.billing import signals
from portal.billing.models import Transaction, VendorDispute
from portal.billing.reconciliation import MatchException
from portal.core.timezones import to_local
from portal.integrations.outbox import delivery_states
from portal.shifts.models import Timecard

__all__ = [
    "DisputeTarget",
    "FiledDispute",
    "accept_disputes",
    "close_dispute",
    "disputes_for",
    "hold_refusal",
    "open_holds",
    "raise_dispute",
    "targets_for",
]

Kind = VendorDispute.Kind
_ACCEPTING: dict[str, set[str]] = defaultdict(set)  # dispute kind -> vendors that take it


def accept_disputes(vendor: str, kind: str) -> None:
    """A vendor package says it takes this kind of dispute (its signals turn one into an outbox row)."""
    _ACCEPTING[kind].add(vendor)


@dataclass(frozen=True)
class DisputeTarget:
    """The vendor record an exception can be disputed on, and how."""

    kind: str
    record: Transaction | Timecard
    vendor: str  # the connection's name, for "Dispute at <vendor>"
    times: tuple[str, str] = ("", "")  # a timecard's check-in and out on its shift's clock, to start a correction


@dataclass(frozen=True)
class FiledDispute:
    """A dispute with its latest outbox row; `refusal` is what the vendor refused of a call it answered."""

    dispute: VendorDispute
    outbound: Any

    @property
    def refusal(self) -> str:
        response = getattr(self.outbound, "vendor_response", None)
        errors = response.get("errors") if isinstance(response, dict) else None
        return "; ".join(str(e) for e in errors) if isinstance(errors, list) else str(errors or "")


def targets_for(exceptions: list[MatchException]) -> dict[str, DisputeTarget]:
    """The disputable ones among `exceptions`, by key: two queries whatever their number."""
    charges, cards = defaultdict(list), defaultdict(list)  # record pk -> keys of its exceptions
    for e in exceptions:
        if e.record.startswith(("transaction:", "timecard:")):
            (charges if e.record.startswith("transaction:") else cards)[e.record_pk].append(e.key)
    found: dict[str, DisputeTarget] = {}
    if charges and _ACCEPTING[Kind.HOLD_CHARGE]:
        rows = Transaction.objects.filter(pk__in=charges, connection__vendor__in=_ACCEPTING[Kind.HOLD_CHARGE])
        for row in rows.exclude(external_id="").select_related("connection"):
            found.update(dict.fromkeys(charges[row.pk], DisputeTarget(Kind.HOLD_CHARGE, row, row.connection.name)))
    if cards and _ACCEPTING[Kind.CORRECT_TIMECARD]:
        rows = Timecard.objects.filter(
            pk__in=cards,
            shift__connection__vendor__in=_ACCEPTING[Kind.CORRECT_TIMECARD],
            shift__connection__is_active=True,
            check_out__isnull=False,
        ).select_related("shift__connection")
        for row in rows:
            times = tuple(_local_input(t, row.shift.time_zone) for t in (row.check_in, row.check_out))
            target = DisputeTarget(Kind.CORRECT_TIMECARD, row, row.shift.connection.name, times)
            found.update(dict.fromkeys(cards[row.pk], target))
    return found


def _local_input(instant: dt.datetime, zone: str) -> str:
    """An instant as a `datetime-local` input's value on the wall clock of `zone`."""
    return to_local(instant, zone).strftime("%Y-%m-%dT%H:%M")


def raise_dispute(
    found: MatchException,
    target: DisputeTarget,
    note: str,
    by: Any,
    *,
    check_in: dt.datetime | None = None,
    check_out: dt.datetime | None = None,
    break_minutes: int | None = None,
) -> VendorDispute:
    """Record the dispute and announce it, in one transaction with the outbox row a vendor writes for it."""
    times = {"check_in": check_in, "check_out": check_out, "break_minutes": break_minutes}
    with transaction.atomic():
        dispute = VendorDispute.objects.create(
            kind=target.kind,
            exception_key=found.key,
            work_at=found.when,
            transaction=target.record if target.kind == Kind.HOLD_CHARGE else None,
            timecard=target.record if target.kind == Kind.CORRECT_TIMECARD else None,
            note=note.strip(),
            raised_by=by,
            raised_at=timezone.now(),
            **(times if target.kind == Kind.CORRECT_TIMECARD else {}),
        )
        signals.dispute_raised.send(sender=VendorDispute, dispute=dispute)
    return dispute


def disputes_for(keys: list[str]) -> dict[str, list[FiledDispute]]:
    """The disputes of these exceptions, newest first, each with where it stands at its vendor: two queries."""
    disputes = list(VendorDispute.objects.filter(exception_key__in=keys).select_related("raised_by"))
    states = delivery_states(disputes)
    filed: dict[str, list[FiledDispute]] = defaultdict(list)
    for dispute in disputes:
        filed[dispute.exception_key].append(FiledDispute(dispute, states.get(dispute.pk)))
    return dict(filed)


def open_holds(transaction_ids: list[int]) -> dict[int, VendorDispute]:
    """The open hold on each of these charges (the newest if several), in one query: what refuses their moves."""
    rows = VendorDispute.objects.filter(
        kind=Kind.HOLD_CHARGE, transaction_id__in=transaction_ids, closed_at__isnull=True
    ).order_by("raised_at", "id")
    return {row.transaction_id: row for row in rows}


def hold_refusal(dispute: VendorDispute) -> str:
    """Why a held charge does not move, naming the dispute and how to lift it."""
    return (
        f"It is held by dispute #{dispute.pk} (“{dispute.note}”): withdraw or settle the dispute on the "
        "reconciliation queue first."
    )


def close_dispute(dispute: VendorDispute, closed_as: str, reason: str, by: Any) -> bool:
    """Withdraw or settle a dispute with a reason (audited by its save); False if it was already closed.

    A withdrawal is told to the vendor (`signals.dispute_withdrawn`, its outbox row in this transaction)."""
    with transaction.atomic():
        dispute = VendorDispute.objects.select_for_update().get(pk=dispute.pk)
        if dispute.closed_at is not None:
            return False
        dispute.closed_as, dispute.close_reason = closed_as, reason.strip()
        dispute.closed_by, dispute.closed_at = by, timezone.now()
        dispute.save()
        if closed_as == VendorDispute.Closing.WITHDRAWN:
            signals.dispute_withdrawn.send(sender=VendorDispute, dispute=dispute)
    return True
