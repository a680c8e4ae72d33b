"""What coordinators are told about changes on their way to a vendor, in the same words on every page.

The outbox records the truth (`portal.integrations.outbox`); this turns it into what a message says right after an
action ("Approved here; sending to Ceki") and where a retry button comes back to.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme

from portal.integrations.models import OutboundRequest

__all__ = ["back_to", "sending_note"]


def sending_note(rows: Iterable[OutboundRequest | None]) -> str:
    """Words like "sending to TribeIT Ceki" for the vendors these requests go to, or "" when none goes anywhere:
    a message never claims a vendor has a change before the outbox says it was sent."""
    vendors = sorted({row.connection.vendor_label for row in rows if row is not None})
    return f"sending to {' and '.join(vendors)}" if vendors else ""


def back_to(request: HttpRequest, default: str) -> str:
    """The page a retry button was pressed on (its `next`), when it is one of ours; else `default`."""
    wanted = request.POST.get("next", "")
    safe = url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return wanted if wanted and safe else default
