"""An invoice's lines as its vendor lists them: the lines follow their invoice (issue 16 item 3).

A vendor sends an invoice with its lines inside it; the sync writer stores the invoice, and this service rewrites
the lines of the invoices that sync just created or changed, so a vendor package never writes billing rows itself.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from django.db import transaction

from portal.billing.models import Invoice, InvoiceLine


def rewrite_changed_invoice_lines(
    connection_id: int, lines: Mapping[str, Sequence[Mapping[str, Any]]], changed_since: dt.datetime
) -> int:
    """Replace the lines of the connection's invoices (by external id) written since `changed_since`; an invoice
    the sync left unchanged keeps its lines untouched. Returns how many invoices had their lines rewritten."""
    touched = dict(
        Invoice.objects.filter(
            connection_id=connection_id, external_id__in=list(lines), updated_at__gte=changed_since
        ).values_list("external_id", "pk")
    )
    if not touched:
        return 0
    with transaction.atomic():
        InvoiceLine.objects.filter(invoice_id__in=touched.values()).delete()
        InvoiceLine.objects.bulk_create(
            InvoiceLine(invoice_id=pk, **line) for external_id, pk in touched.items() for line in lines[external_id]
        )
    return len(touched)
