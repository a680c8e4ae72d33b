"""What the engagement pages change and compute: saving an engagement's edited fields (through the assignment gate
when the save books its person), starting it, adding an extension, the per-status counts of a filtered list, and
when a credential's date needs chasing.

Saves write only the model; a vendor package listening to post_save turns them into outbox rows in the same
transaction (vendors/kamana/signals.py), so nothing here names a vendor.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, QuerySet

from portal.contracts.models import EXPIRY_WARNING, Engagement, EngagementExtension
from portal.contracts.schedule import books_person, engagement_booking, starts_booking
from portal.core.audit import audit_context
from portal.talent import assignment_gate
from portal.talent.models import TalentProfile

__all__ = ["add_extension", "deadline_state", "save_engagement", "save_gated", "start_engagement", "status_counts"]


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


def save_gated(engagement: Engagement, *, override_reason: str = "", user: Any = None, **save_kwargs: Any) -> None:
    """Save the engagement; when the save books its person (a placement, a start, new days or hours of a booked
    one: `schedule.starts_booking`), the gate must pass it (issue 19), in the same transaction.

    Refused (`assignment_gate.AssignmentRefused`: blocked, or warned without `override_reason`), nothing is saved
    and nothing queued for Kamana; a reason given past warnings is kept by the gate with `user`. The check runs
    after the save, inside the transaction, so a new engagement is its own record and not checked against itself.
    """
    books = starts_booking(engagement)
    with transaction.atomic():
        if books:
            # One booking of a person at a time: two coordinators cannot both pass the gate at once.
            list(TalentProfile.objects.select_for_update().filter(pk=engagement.talent_id).values_list("pk"))
        engagement.save(**save_kwargs)
        if books:
            assignment_gate.require_pass(engagement_booking(engagement), override_reason, user)


def save_engagement(engagement: Engagement, values: dict[str, Any], user: Any, override_reason: str = "") -> list[str]:
    """Apply a section's cleaned values and save only the fields that changed; returns their names.

    Saving only what changed keeps the audit entry and the vendor update to what the coordinator did. New dates
    or hours of a booked engagement pass the gate first (`save_gated`).
    """
    changed = [name for name, value in values.items() if getattr(engagement, name) != value]
    if not changed:
        return []
    for name in changed:
        setattr(engagement, name, values[name])
    with audit_context("user", user=user, detail=_detail(override_reason)):
        save_gated(engagement, override_reason=override_reason, user=user, update_fields=[*changed, "updated_at"])
    return changed


def start_engagement(engagement: Engagement, user: Any, override_reason: str = "") -> None:
    """Start the placement (status `active`) once the gate lets it; Kamana's engagement update takes no status,
    so this is the portal's own record of the start."""
    if engagement.status == Engagement.Status.ACTIVE:
        raise ValidationError("This engagement has already started.")
    save_engagement(engagement, {"status": Engagement.Status.ACTIVE}, user, override_reason)


def _detail(override_reason: str) -> str:
    reason = override_reason.strip()
    return f"engagement page; override: {reason}"[:255] if reason else "engagement page"


def add_extension(
    engagement: Engagement, starts_on: dt.date, ends_on: dt.date, user: Any, override_reason: str = ""
) -> EngagementExtension:
    """A new extension of the placement; an engagement known to its vendor gets it created there too.

    An extension of a booked engagement books its person for more days, so its days pass the gate first, as new
    dates do (`save_gated`): refused (`AssignmentRefused`), nothing is saved and nothing queued for the vendor.
    """
    books = books_person(engagement)
    with transaction.atomic(), audit_context("user", user=user, detail=_detail(override_reason)):
        if books:
            list(TalentProfile.objects.select_for_update().filter(pk=engagement.talent_id).values_list("pk"))
        # No connection or vendor id yet: the vendor's create stores both on the row once it has answered.
        extension = EngagementExtension.objects.create(engagement=engagement, starts_on=starts_on, ends_on=ends_on)
        if books:
            assignment_gate.require_pass(engagement_booking(engagement, extension), override_reason, user)
        return extension


def status_counts(engagements: QuerySet[Engagement]) -> dict[str, int]:
    """How many engagements of `engagements` are in each status, in one grouped query (statuses with none: 0)."""
    counted = dict(engagements.order_by().values_list("status").annotate(number=Count("id")))
    return {status: counted.get(status, 0) for status in Engagement.Status.values}
