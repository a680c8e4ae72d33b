"""Resolving reconciliation exceptions with a reason, and reopening them (issue 20).

Exceptions are computed each time (`reconciliation.py`); a resolution is stored against the exception's key, so
when the same mismatch is computed again it is known as resolved and leaves the queue. A period's resolutions load
in one query by the work's time; resolving twice keeps the first, reopening keeps the row for the record.
"""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils import timezone

from portal.billing.models import ExceptionResolution
from portal.billing.reconciliation import MatchException

__all__ = ["reopen", "resolutions_in", "resolve"]


def resolutions_in(since: dt.datetime, until: dt.datetime) -> dict[str, ExceptionResolution]:
    """The resolutions in force for work in [since, until), by exception key, with who resolved them."""
    rows = ExceptionResolution.objects.filter(reopened_at__isnull=True, work_at__gte=since, work_at__lt=until)
    return {row.key: row for row in rows.select_related("resolved_by")}


def resolve(found: MatchException, reason: str, by) -> ExceptionResolution:
    """Resolve `found` with `reason`; an exception already resolved keeps its first resolution (a double click)."""
    try:
        with transaction.atomic():
            return ExceptionResolution.objects.create(
                key=found.key, work_at=found.when, reason=reason.strip(), resolved_by=by, resolved_at=timezone.now()
            )
    except IntegrityError:
        return ExceptionResolution.objects.get(key=found.key, reopened_at__isnull=True)


def reopen(key: str, by) -> bool:
    """Put a resolved exception back in the queue; False when none was in force."""
    row = ExceptionResolution.objects.filter(key=key, reopened_at__isnull=True).first()
    if row is None:
        return False
    row.reopened_by, row.reopened_at = by, timezone.now()
    row.save()
    return True
