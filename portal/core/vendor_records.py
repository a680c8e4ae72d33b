"""The one way a vendor package writes back what a vendor assigned to a row the portal sent (issue 16 item 3).

The sync writer stores what a vendor reports; these services store what a vendor answered to a send: its id, the
values it chose (a reference number) and the errors it attached. Vendors call them instead of `update()` on a
model of their own choosing, so every such write is in one place and keeps the first id a record was given.
"""

from __future__ import annotations

from typing import Any

from portal.core.models import VendorRecord


def remember_vendor_id(record: VendorRecord, connection: Any, external_id: str, **assigned: Any) -> bool:
    """Keep the vendor's id (and what else it assigned) on a row that has none yet; False when it already had one.

    A retried create that the vendor recognises answers with the same id, so an id already held is never replaced.
    """
    changed = (
        type(record)
        .objects.filter(pk=record.pk, external_id="")
        .update(connection=connection, external_id=str(external_id), **assigned)
    )
    if changed:
        record.connection, record.external_id = connection, str(external_id)
        for name, value in assigned.items():
            setattr(record, name, value)
    return bool(changed)


def remember_vendor_errors(record: Any, errors: list[Any]) -> None:
    """Show on a row what the vendor refused of an accepted call (an empty list clears it)."""
    type(record).objects.filter(pk=record.pk).update(vendor_errors=list(errors))
    record.vendor_errors = list(errors)
