"""The contracts app's source for `talent.availability`: dated work on a contract (Ceki contract events) whose
beneficiary is a known person."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator

from portal.contracts.models import ContractEvent
from portal.talent.availability import Commitment

__all__ = ["contract_events"]

# Ceki events carry a start and a duration; a span query reaches back this far for events still running.
LONGEST_EVENT = dt.timedelta(hours=24)


def contract_events(
    profile_ids: Iterable[int] | None, starts_at: dt.datetime, ends_at: dt.datetime
) -> Iterator[Commitment]:
    events = ContractEvent.objects.filter(
        beneficiary__talent__isnull=False, starts_at__lt=ends_at, starts_at__gt=starts_at - LONGEST_EVENT
    )
    if profile_ids is not None:
        events = events.filter(beneficiary__talent_id__in=profile_ids)
    for event in events.select_related("beneficiary", "contract", "connection"):
        kind = f"{event.connection.name} contract event" if event.connection_id else "Contract event"
        title = event.label or str(event.contract)
        ref = ("contracts.contractevent", event.pk)
        yield Commitment(event.beneficiary.talent_id, event.starts_at, event.ends_at, kind, title, ref)
