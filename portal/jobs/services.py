"""Requisition changes made in the portal's pages, and what was sent of them.

A save here is the whole push: a vendor package listening to the requisition's post_save writes its outbox row in
the same transaction (for Kamana, `vendors/kamana/signals.py`), so the change and its delivery commit together or
not at all. The jobs app never names the vendor; it asks the outbox what the save queued.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from portal.core.audit import audit_context
from portal.integrations import outbox
from portal.integrations.models import OutboundRequest
from portal.jobs.models import JobRequisition

__all__ = ["retry_request", "save_requisition"]


def save_requisition(requisition: JobRequisition, *, by: Any) -> OutboundRequest | None:
    """Save a requisition made or changed by `by`; returns the outbound request the save queued, or None when it
    stays in the portal (no connection, or nothing the vendor holds changed).

    A refused status move raises `InvalidTransition` (a ValidationError) and nothing is written."""
    with transaction.atomic(), audit_context("user", user=by):
        before = _latest_request(requisition) if requisition.pk else None
        requisition.save()
        after = _latest_request(requisition)
    return after if after is not None and after != before else None


def _latest_request(requisition: JobRequisition) -> OutboundRequest | None:
    return outbox.delivery_states([requisition]).get(requisition.pk)


def retry_request(requisition: JobRequisition, row_pk: int) -> OutboundRequest | None:
    """Send a failed push of this requisition again. A coordinator may retry the pushes of the requisition they
    are looking at, not any outbox row (that is the Admin's Integrations page): another row's id is ignored."""
    row = next((row for row in outbox.requests_about(requisition) if row.pk == row_pk), None)
    if row is None or row.state != OutboundRequest.State.FAILED:
        return None
    outbox.retry_request(row)
    return row
