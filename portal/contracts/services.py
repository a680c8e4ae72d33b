"""What the engagement pages change and compute: saving an engagement's edited fields, adding an extension, the
per-status counts of a filtered list, and when a credential's date needs chasing.

Saves write only the model; a vendor package listening to post_save turns them into outbox rows in the same
transaction (vendors/kamana/signals.py), so nothing here names a vendor.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.db.models import Count, QuerySet

from portal.contracts.models import EXPIRY_WARNING, Engagement, EngagementExtension
from portal.core.audit import audit_context

__all__ = ["add_extension", "deadline_state", "save_engagement", "status_counts"]


def deadline_state(day: dt.date | None, today: dt.date) -> str:
    """'expired' once `day` has passed, 'expiring' while it is at most 30 days away, else ''.

    Both sides are calendar days on the same clock (the facility's, or the coordinator's when the engagement has
    no facility): a credential valid through the 14th is still valid all of the 14th, wherever the server is.
    """
    if day is None:
        return ""
    if day < today:
        return "expired"
    return "expiring" if day - today <= EXPIRY_WARNING else ""


def save_engagement(engagement: Engagement, values: dict[str, Any], user: Any) -> list[str]:
    """Apply a section's cleaned values and save only the fields that changed; returns their names.

    Saving only what changed keeps the audit entry and the vendor update to what the coordinator did.
    """
    changed = [name for name, value in values.items() if getattr(engagement, name) != value]
    if not changed:
        return []
    for name in changed:
        setattr(engagement, name, values[name])
    with transaction.atomic(), audit_context("user", user=user, detail="engagement page"):
        engagement.save(update_fields=[*changed, "updated_at"])
    return changed


def add_extension(engagement: Engagement, starts_on: dt.date, ends_on: dt.date, user: Any) -> EngagementExtension:
    """A new extension of the placement; an engagement known to its vendor gets it created there too."""
    with transaction.atomic(), audit_context("user", user=user, detail="engagement page"):
        # No connection or vendor id yet: the vendor's create stores both on the row once it has answered.
        return EngagementExtension.objects.create(engagement=engagement, starts_on=starts_on, ends_on=ends_on)


def status_counts(engagements: QuerySet[Engagement]) -> dict[str, int]:
    """How many engagements of `engagements` are in each status, in one grouped query (statuses with none: 0)."""
    counted = dict(engagements.order_by().values_list("status").annotate(number=Count("id")))
    return {status: counted.get(status, 0) for status in Engagement.Status.values}
