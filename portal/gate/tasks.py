"""The gate's Celery tasks: thin, safe to run twice (a re-check raises a live finding once and resolves once)."""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone

from portal.gate import duplicates, services
from portal.gate.models import Recheck
from portal.integrations.models import SyncRun

__all__ = ["recheck_after_sync", "recheck_work", "suggest_duplicates"]


@shared_task(name="gate.recheck_work")
def recheck_work(work: list[list]) -> services.RecheckResult:
    """`work`: [[model label, pk, profile id], ...] that a vendor just booked."""
    return services.recheck([(label, pk) for label, pk, _ in work], {profile_id for *_, profile_id in work})


@shared_task(name="gate.recheck_after_sync")
def recheck_after_sync() -> services.RecheckResult | None:
    """Re-check all upcoming work when a sync has finished since the last re-check (beat, every few minutes)."""
    now = timezone.now()
    last = Recheck.objects.order_by("-started_at").values_list("started_at", flat=True).first()
    synced = SyncRun.objects.filter(state__in=SyncRun.SUCCEEDED_STATES)
    if last is not None and not synced.filter(finished_at__gt=last).exists():
        return None
    result = services.recheck_upcoming(now)
    Recheck.objects.create(started_at=now, **result)
    return result


@shared_task(name="gate.suggest_duplicates")
def suggest_duplicates() -> duplicates.RefreshResult:
    """Store new who-is-who suggestions (hourly, and when a coordinator asks); never merges anything."""
    return duplicates.refresh_suggestions()
